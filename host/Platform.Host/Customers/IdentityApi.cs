using Platform.Host.Infrastructure;

namespace Platform.Host.Customers;

/// <summary>Identity control under <c>/customers/{id}</c>: merge, split, possible duplicates, export and erasure.</summary>
public static class IdentityApi
{
    public sealed record MergeRequest(string? Other);
    public sealed record SplitRequest(IReadOnlyList<IdentityRef>? Identities);

    public static RouteGroupBuilder MapIdentityApi(this RouteGroupBuilder merchant)
    {
        var customers = merchant.MapGroup("/customers").WithTags("Identity");
        customers.MapPost("/{id}/merge", Merge);
        customers.MapPost("/{id}/split", Split);
        customers.MapGet("/{id}/similar", Similar);
        customers.MapGet("/{id}/export", Export);
        customers.MapDelete("/{id}", Erase);
        return merchant;
    }

    private static async Task<IResult> Merge(string m, string id, MergeRequest? body, IGrainFactory grains, CustomerQueries queries, CancellationToken ct)
    {
        var outcome = await grains.GetGrain<IIdentityGrain>(m).Merge(id, body?.Other?.Trim() ?? "");
        return await AnswerAsync(outcome, m, queries, ct);
    }

    private static async Task<IResult> Split(string m, string id, SplitRequest? body, IGrainFactory grains, CustomerQueries queries, CancellationToken ct)
    {
        var outcome = await grains.GetGrain<IIdentityGrain>(m).Split(id, body?.Identities ?? []);
        return await AnswerAsync(outcome, m, queries, ct);
    }

    /// <summary>200 with both customers' profiles after the change, or the problem.</summary>
    private static async Task<IResult> AnswerAsync(IdentityOutcome outcome, string m, CustomerQueries queries, CancellationToken ct)
    {
        if (Problem(outcome) is { } problem) return problem;
        var customer = await queries.ProfileAsync(m, outcome.Customer!, ct);
        var other = outcome.Other is null ? null : await queries.ProfileAsync(m, outcome.Other, ct);
        return TypedResults.Ok(new { customer, other });
    }

    private static IResult? Problem(IdentityOutcome outcome) => outcome.Status switch
    {
        200 => null,
        404 => Problems.NotFound(outcome.Error!),
        _ => Problems.Invalid(new Dictionary<string, string[]> { [outcome.Field ?? "request"] = [outcome.Error!] }),
    };

    private static async Task<IResult> Similar(string m, string id, CustomerQueries queries, CancellationToken ct) =>
        await queries.SimilarAsync(m, id, ct) is { } similar ? TypedResults.Ok(similar) : Problems.NotFound($"customer '{id}' does not exist");

    private static async Task<IResult> Export(string m, string id, CustomerQueries queries, CancellationToken ct) =>
        await queries.ExportAsync(m, id, ct) is { } export ? TypedResults.Ok(export) : Problems.NotFound($"customer '{id}' does not exist");

    private static async Task<IResult> Erase(string m, string id, IGrainFactory grains)
    {
        var outcome = await grains.GetGrain<IIdentityGrain>(m).Erase(id);
        return Problem(outcome) ?? TypedResults.Ok(new { erased = outcome.Customer, requestedId = id, deleted = outcome.Counts });
    }
}
