namespace Platform.Host.Infrastructure;

/// <summary>A page of a list: every list endpoint returns its items and the total.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

public readonly record struct PageRequest(int Page, int PageSize)
{
    public const int MaxPageSize = 500;
    public int Skip => (Page - 1) * PageSize;

    /// <summary>Validates page (≥ 1) and pageSize (1–500, default 50); errors name the parameter.</summary>
    public static PageRequest From(int? page, int? pageSize, Dictionary<string, string[]> errors)
    {
        if (page is < 1) errors["page"] = ["must be 1 or more"];
        if (pageSize is < 1 or > MaxPageSize) errors["pageSize"] = [$"must be between 1 and {MaxPageSize}"];
        return new PageRequest(Math.Max(page ?? 1, 1), Math.Clamp(pageSize ?? 50, 1, MaxPageSize));
    }
}
