namespace Platform.Crm.Identity;

/// <summary>
/// The identifiers of one marketplace buyer account, as graph keys. Two accounts belong to the same person when
/// they share a key, so a key's text says how far it reaches: a buyer id within its marketplace, an email or phone
/// across the merchant, a relay contact within its store, and anything of an account split off by hand within
/// that account's split group only.
/// </summary>
public static class IdentityKeys
{
    /// <summary>The key of a marketplace buyer id; ids are scoped to their marketplace (plugin).</summary>
    public static string Buyer(string marketplace, string buyerId) => $"buyer:{marketplace}:{buyerId}";

    /// <summary>The key of a normalized email.</summary>
    public static string Email(string normalizedEmail) => $"email:{normalizedEmail}";

    /// <summary>The key of an E.164 phone number.</summary>
    public static string Phone(string e164) => $"phone:{e164}";

    /// <summary>All keys of an account, without relay rules or split groups (the merchant-wide reach).</summary>
    public static IReadOnlyList<string> Of(string marketplace, string buyerId, string? normalizedEmail, string? e164) =>
        Of(new Account(marketplace, "", buyerId, normalizedEmail, e164, null, null, null), ChannelScope.None);

    /// <summary>All keys of an account: its buyer id, and its email and phone when they can be matched.</summary>
    public static IReadOnlyList<string> Of(Account a, ChannelScope scope)
    {
        var suffix = a.SplitGroup is null ? "" : $"|split:{a.SplitGroup}";
        var keys = new List<string>(3) { Buyer(a.Marketplace, a.BuyerId) + suffix };
        if (a.Email is not null)
            keys.Add(Email(a.Email) + (scope.IsScopedEmail(a.EmailRaw ?? a.Email) ? $"|store:{a.StoreId}" : "") + suffix);
        if (a.Phone is not null)
            keys.Add(Phone(a.Phone) + (scope.IsScopedPhone(a.PhoneRaw ?? a.Phone) ? $"|store:{a.StoreId}" : "") + suffix);
        else if (a.PhoneRaw is not null && scope.IsScopedPhone(a.PhoneRaw))
            keys.Add($"phone:{a.PhoneRaw.Trim()}|store:{a.StoreId}" + suffix); // a masked number links within its store only
        return keys;
    }

    /// <summary>The identifier a key stands for, without its reach: "email:mei@example.com".</summary>
    public static string Identifier(string key)
    {
        var bar = key.IndexOf('|');
        return bar < 0 ? key : key[..bar];
    }
}

/// <summary>One marketplace buyer account as identity resolution sees it.</summary>
/// <param name="Email">Normalized email, or null when absent or invalid.</param>
/// <param name="Phone">E.164 phone, or null when absent, masked or invalid.</param>
/// <param name="SplitGroup">Set when the merchant split this account off: it then links only within its group.</param>
public sealed record Account(string Marketplace, string StoreId, string BuyerId, string? Email, string? Phone,
    string? EmailRaw, string? PhoneRaw, string? SplitGroup);
