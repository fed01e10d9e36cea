namespace Platform.Host.Infrastructure;

/// <summary>Merchant and store ids: 1–64 of letters, digits, '-' and '_'.</summary>
public static class Ids
{
    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>The grain key of a store: <c>merchant/store</c>.</summary>
    public static string StoreKey(string merchantId, string storeId) => $"{merchantId}/{storeId}";

    public static (string MerchantId, string StoreId) ParseStoreKey(string key)
    {
        var slash = key.IndexOf('/');
        if (slash <= 0) throw new ArgumentException($"'{key}' is not a merchant/store key", nameof(key));
        return (key[..slash], key[(slash + 1)..]);
    }
}
