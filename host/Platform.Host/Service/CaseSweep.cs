using Microsoft.EntityFrameworkCore;
using Platform.Crm.Service;
using Platform.Host.Storage;
using Quartz;

namespace Platform.Host.Service;

/// <summary>
/// Resolves cases that wait on a buyer who stayed quiet for the reply window after the seller's answer (the same rule the
/// sync applies when the buyer writes again later), so answered cases do not linger as "waiting" forever.
/// </summary>
public sealed class CaseSweep(IDbContextFactory<PlatformDbContext> factory, WriteGate gate, ServiceSettings settings, TimeProvider clock, ILogger<CaseSweep> logger)
{
    /// <summary>Resolves every case whose reply window has passed; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var due = now - settings.ReplyWindow;
        await using var db = await factory.CreateDbContextAsync(ct);
        using var writing = await gate.EnterAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var rows = await db.Cases.AsTracking().Where(c => c.Status == "waiting" && c.AnsweredAt != null && c.AnsweredAt <= due).Take(10_000).ToListAsync(ct);
        foreach (var row in rows)
        {
            var state = CaseRows.State(row.Status, row.OpenedAt.ToUnixTimeMilliseconds(), row.FirstResponseAt?.ToUnixTimeMilliseconds(), row.ResolvedAt?.ToUnixTimeMilliseconds(),
                row.ResolvedByHand, row.Triggers, row.ComplaintTerms, row.AnsweredAt?.ToUnixTimeMilliseconds());
            if (CaseRules.OnQuiet(state, now, settings.ReplyWindow) is not { Kind: CaseOutcomeKind.Changed, State: { } resolved } outcome) continue;
            row.Status = CaseRules.Wire(resolved.Status);
            row.ResolvedAt = resolved.ResolvedAt;
            row.ResolvedByHand = false;
            row.UpdatedAt = resolved.ResolvedAt!.Value;
            db.CaseEvents.Add(new CaseEventRow { MerchantId = row.MerchantId, CaseId = row.Id, At = resolved.ResolvedAt.Value, Kind = "resolved", Text = outcome.Event! });
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (rows.Count > 0) logger.LogInformation("Resolved {Count} case(s) whose buyers did not reply within {Days} days of the answer", rows.Count, settings.ReplyWindow.TotalDays);
        return rows.Count;
    }
}

/// <summary>Runs <see cref="CaseSweep"/> on <c>Platform:Service:SweepCron</c>.</summary>
[DisallowConcurrentExecution]
public sealed class CaseSweepJob(CaseSweep sweep) : IJob
{
    public static readonly JobKey Key = new("case-sweep", "service");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await sweep.SweepAsync(cancellationToken);
}
