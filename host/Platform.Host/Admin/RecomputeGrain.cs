using System.Security.Cryptography;
using Orleans.Concurrency;
using Platform.Host.Customers;
using Platform.Host.Value;

namespace Platform.Host.Admin;

/// <summary>
/// A merchant's full re-run (key: merchant id): identity resolution over every stored account, then the value model
/// refitted and every customer scored. One at a time per merchant; it runs in the background and reports its progress.
/// </summary>
[Alias("Platform.IRecomputeGrain")]
public interface IRecomputeGrain : IGrainWithStringKey
{
    /// <summary>Starts a re-run, or returns the one already running.</summary>
    [Alias("Start")] Task<RecomputeStatus> Start(bool review);

    /// <summary>The running or last re-run since this host started; null when there was none.</summary>
    [Alias("Status")] Task<RecomputeStatus?> Status();
}

/// <summary>What a merchant re-run is doing or did. <c>status</c>: running, succeeded or failed; <c>step</c>: identity, fit, scoring or done.</summary>
[GenerateSerializer, Immutable, Alias("Platform.RecomputeStatus")]
public sealed record RecomputeStatus(
    [property: Id(0)] string Id,
    [property: Id(1)] string Merchant,
    [property: Id(2)] string Status,
    [property: Id(3)] string Step,
    [property: Id(4)] bool Review,
    [property: Id(5)] DateTimeOffset StartedAt,
    [property: Id(6)] DateTimeOffset? FinishedAt,
    [property: Id(7)] IdentityRebuild? Identity,
    [property: Id(8)] RecomputeModel? Model,
    [property: Id(9)] ScoringResult? Scoring,
    [property: Id(10)] string? Error);

/// <summary>The refitted value model, in brief (the full report: <c>GET /insights/model</c>).</summary>
[GenerateSerializer, Immutable, Alias("Platform.RecomputeModel")]
public sealed record RecomputeModel([property: Id(0)] string Status, [property: Id(1)] DateTimeOffset FittedAt, [property: Id(2)] int Customers, [property: Id(3)] int? SampledFrom);

public sealed class RecomputeGrain(ValueModels models, TimeProvider clock, ILogger<RecomputeGrain> logger) : Grain, IRecomputeGrain
{
    private RecomputeStatus? _current;
    private string MerchantId => this.GetPrimaryKeyString();

    public Task<RecomputeStatus?> Status() => Task.FromResult(_current);

    public Task<RecomputeStatus> Start(bool review)
    {
        if (_current is { Status: "running" } running) return Task.FromResult(running);
        _current = new RecomputeStatus("rc_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)), MerchantId, "running", "identity", review,
            clock.GetUtcNow(), null, null, null, null, null);
        // Keeps the activation (and its status) while the work runs and for a while after, for GET.
        DelayDeactivation(TimeSpan.FromHours(2));
        // Runs on this activation's scheduler between its awaits; Status() is answered meanwhile.
        _ = RunAsync(_current.Id, review);
        return Task.FromResult(_current);
    }

    private async Task RunAsync(string id, bool review)
    {
        try
        {
            var identity = await GrainFactory.GetGrain<IIdentityGrain>(MerchantId).Rebuild();
            Update(id, s => s with { Identity = identity, Step = "fit" });
            var report = await Task.Run(() => models.FitAsync(MerchantId, null, null, CancellationToken.None));
            Update(id, s => s with { Model = new RecomputeModel(report.Status, report.FittedAt, report.Customers, report.SampledFrom), Step = "scoring" });
            var scoring = await GrainFactory.GetGrain<IScoringGrain>(MerchantId).ScoreAll(review);
            Update(id, s => s with { Scoring = scoring, Step = "done", Status = "succeeded", FinishedAt = clock.GetUtcNow() });
            logger.LogInformation("Merchant {Merchant}: re-run {Id} done: identity over {Accounts} accounts, model {Model}, {Customers} customers scored",
                MerchantId, id, identity.Accounts, report.Status, scoring.Customers);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Merchant {Merchant}: re-run {Id} failed at {Step}", MerchantId, id, _current?.Step);
            Update(id, s => s with { Status = "failed", Error = $"{s.Step} failed: {e.Message}", FinishedAt = clock.GetUtcNow() });
        }
    }

    private void Update(string id, Func<RecomputeStatus, RecomputeStatus> change)
    {
        if (_current is { } s && s.Id == id) _current = change(s);
    }
}
