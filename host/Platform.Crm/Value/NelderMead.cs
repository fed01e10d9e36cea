namespace Platform.Crm.Value;

/// <summary>
/// Nelder–Mead simplex minimisation (reflection 1, expansion 2, contraction ½, shrink ½), restarted from the best
/// point until a restart no longer improves. Deterministic: the same function and start give the same result.
/// Non-finite function values count as +∞, so the simplex simply moves away from them.
/// </summary>
internal static class NelderMead
{
    internal sealed record Result(double[] Point, double Value, int Evaluations, bool Converged);

    /// <param name="f">The function to minimise.</param>
    /// <param name="start">Start point.</param>
    /// <param name="step">Initial simplex edge along each axis.</param>
    /// <param name="valueTolerance">Stop when the simplex values span at most this (absolute).</param>
    /// <param name="pointTolerance">… and every vertex is within this of the best one (max norm).</param>
    /// <param name="maxEvaluations">Budget over all restarts.</param>
    /// <param name="abandon">Stops the search as soon as the best point satisfies it (e.g. it ran off to where the
    /// caller rejects any result): the best point so far is returned, not converged.</param>
    public static Result Minimize(Func<double[], double> f, double[] start, double step = 0.5,
        double valueTolerance = 1e-12, double pointTolerance = 1e-8, int maxEvaluations = 20_000, Func<double[], bool>? abandon = null)
    {
        var evaluations = 0;
        double Eval(double[] p)
        {
            evaluations++;
            var v = f(p);
            return double.IsFinite(v) ? v : double.PositiveInfinity;
        }

        var best = (double[])start.Clone();
        var bestValue = Eval(best);
        var converged = false;
        for (var restart = 0; restart < 20 && evaluations < maxEvaluations; restart++)
        {
            var (point, value, ok) = Run(Eval, best, bestValue, step, valueTolerance, pointTolerance,
                () => evaluations >= maxEvaluations, abandon);
            var improvement = bestValue - value;
            if (value <= bestValue)
            {
                best = point;
                bestValue = value;
            }
            if (ok && restart > 0 && !(improvement > valueTolerance))
            {
                converged = true;
                break;
            }
            if (!ok) break;
            step = Math.Max(step * 0.5, 1e-3);
        }
        return new Result(best, bestValue, evaluations, converged);
    }

    private static (double[] Point, double Value, bool Converged) Run(Func<double[], double> eval, double[] start,
        double startValue, double step, double valueTolerance, double pointTolerance, Func<bool> outOfBudget, Func<double[], bool>? abandon)
    {
        var n = start.Length;
        var points = new double[n + 1][];
        var values = new double[n + 1];
        points[0] = (double[])start.Clone();
        values[0] = startValue;
        for (var i = 1; i <= n; i++)
        {
            points[i] = (double[])start.Clone();
            points[i][i - 1] += step;
            values[i] = eval(points[i]);
        }
        var order = new int[n + 1];
        var centroid = new double[n];
        while (true)
        {
            for (var i = 0; i <= n; i++) order[i] = i;
            Array.Sort(order, (i, j) => values[i].CompareTo(values[j]) is var c && c != 0 ? c : i.CompareTo(j));
            var bestIndex = order[0];
            var worstIndex = order[n];
            var secondWorst = values[order[n - 1]];
            if (Converged(points, values, bestIndex, valueTolerance, pointTolerance))
                return (points[bestIndex], values[bestIndex], true);
            if (outOfBudget() || abandon?.Invoke(points[bestIndex]) == true) return (points[bestIndex], values[bestIndex], false);

            Array.Clear(centroid);
            for (var k = 0; k < n; k++)
            {
                var p = points[order[k]];
                for (var d = 0; d < n; d++) centroid[d] += p[d] / n;
            }
            var worst = points[worstIndex];
            var reflected = Along(centroid, worst, -1);
            var fr = eval(reflected);
            if (fr < values[bestIndex])
            {
                var expanded = Along(centroid, worst, -2);
                var fe = eval(expanded);
                if (fe < fr) Replace(worstIndex, expanded, fe);
                else Replace(worstIndex, reflected, fr);
            }
            else if (fr < secondWorst)
                Replace(worstIndex, reflected, fr);
            else
            {
                var outside = fr < values[worstIndex];
                var contracted = outside ? Along(centroid, worst, -0.5) : Along(centroid, worst, 0.5);
                var fc = eval(contracted);
                if (outside ? fc <= fr : fc < values[worstIndex])
                    Replace(worstIndex, contracted, fc);
                else
                {
                    var b = points[bestIndex];
                    for (var i = 0; i <= n; i++)
                    {
                        if (i == bestIndex) continue;
                        for (var d = 0; d < n; d++) points[i][d] = b[d] + 0.5 * (points[i][d] - b[d]);
                        values[i] = eval(points[i]);
                    }
                }
            }
        }

        void Replace(int index, double[] p, double v)
        {
            points[index] = p;
            values[index] = v;
        }
    }

    /// <summary>centroid + t·(point − centroid).</summary>
    private static double[] Along(double[] centroid, double[] point, double t)
    {
        var r = new double[centroid.Length];
        for (var d = 0; d < r.Length; d++) r[d] = centroid[d] + t * (point[d] - centroid[d]);
        return r;
    }

    private static bool Converged(double[][] points, double[] values, int best, double valueTolerance, double pointTolerance)
    {
        for (var i = 0; i < points.Length; i++)
        {
            if (i == best) continue;
            if (!(values[i] - values[best] <= valueTolerance)) return false;
            for (var d = 0; d < points[i].Length; d++)
                if (Math.Abs(points[i][d] - points[best][d]) > pointTolerance) return false;
        }
        return true;
    }
}
