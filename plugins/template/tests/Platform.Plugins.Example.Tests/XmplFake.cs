using System.Globalization;
using Platform.Plugins.Testing;

namespace Platform.Plugins.Example.Tests;

/// <summary>
/// Example Marketplace as its documentation describes it (TODO: cite it): Bearer API key, orders changed in
/// [updated_after, updated_before) oldest first (by updated_at, then id), pages of <c>limit</c> chained by
/// <c>next_page_token</c>. Each kit item becomes an order rendered deterministically from its number.
/// </summary>
public sealed class XmplFake : MarketplaceFake
{
    /// <summary>The API key the fake accepts.</summary>
    public const string ApiKey = "test-api-key";

    /// <inheritdoc />
    public override string ExternalIdOf(SampleItem item) => $"o-{item.Number}";

    /// <inheritdoc />
    public override bool IsPageRequest(FakeRequest request) => request.Method == "GET" && request.Path == "/v1/orders";

    /// <inheritdoc />
    public override FakeResponse Handle(FakeRequest request)
    {
        if (RejectCredentials || request.Bearer() != ApiKey)
            return FakeResponse.Json(new { error = "invalid_api_key", message = "The API key is not valid." }, 401);
        if (!IsPageRequest(request))
            return FakeResponse.Json(new { error = "not_found" }, 404);
        if (!TryTime(request.Q("updated_after"), out var after) || !TryTime(request.Q("updated_before"), out var before))
            return FakeResponse.Json(new { error = "bad_request", message = "updated_after and updated_before are ISO 8601 times" }, 400);
        var limit = int.TryParse(request.Q("limit"), out var l) ? Math.Clamp(l, 1, 100) : 50;
        var offset = int.TryParse(request.Q("page_token"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var o) ? o : 0;

        var matching = Items.Where(i => i.UpdatedAt >= after && i.UpdatedAt < before).OrderBy(i => i.UpdatedAt).ThenBy(i => i.Number).ToList();
        var page = matching.Skip(offset).Take(limit).Select(Render).ToList();
        var next = offset + limit < matching.Count ? (offset + limit).ToString(CultureInfo.InvariantCulture) : null;
        return FakeResponse.Json(new Dictionary<string, object?> { ["orders"] = page, ["next_page_token"] = next });
    }

    private Dictionary<string, object?> Render(SampleItem item)
    {
        var n = item.Number;
        var price = 5m + (n % 20) + 0.5m;
        var quantity = 1 + (n % 3);
        return new Dictionary<string, object?>
        {
            ["id"] = ExternalIdOf(item),
            ["buyer"] = new Dictionary<string, object?> { ["id"] = $"b-{n % 40}", ["name"] = $"Buyer {n % 40}", ["email"] = $"buyer{n % 40}@example.com", ["phone"] = null, ["country"] = "US" },
            ["status"] = (n % 4) switch { 0 => "pending", 1 => "paid", 2 => "shipped", _ => "completed" },
            ["currency"] = "USD",
            ["total"] = (price * quantity).ToString("0.00", CultureInfo.InvariantCulture),
            ["created_at"] = item.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["updated_at"] = item.UpdatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["lines"] = new[]
            {
                new Dictionary<string, object?> { ["sku"] = $"SKU-{n % 10}", ["title"] = $"Product {n % 10}", ["quantity"] = quantity, ["unit_price"] = price.ToString("0.00", CultureInfo.InvariantCulture) },
            },
        };
    }

    private static bool TryTime(string? text, out DateTimeOffset time)
    {
        time = default;
        return text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }
}
