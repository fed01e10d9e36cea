namespace Platform.Crm.Identity;

/// <summary>The identifiers of one marketplace buyer account, as graph keys.</summary>
public static class IdentityKeys
{
    /// <summary>The key of a marketplace buyer id; ids are scoped to their marketplace (plugin).</summary>
    public static string Buyer(string marketplace, string buyerId) => $"buyer:{marketplace}:{buyerId}";

    /// <summary>The key of a normalized email.</summary>
    public static string Email(string normalizedEmail) => $"email:{normalizedEmail}";

    /// <summary>The key of an E.164 phone number.</summary>
    public static string Phone(string e164) => $"phone:{e164}";

    /// <summary>All keys of an account: its buyer id, and its email and phone when they can be matched.</summary>
    public static IReadOnlyList<string> Of(string marketplace, string buyerId, string? normalizedEmail, string? e164)
    {
        var keys = new List<string>(3) { Buyer(marketplace, buyerId) };
        if (normalizedEmail is not null) keys.Add(Email(normalizedEmail));
        if (e164 is not null) keys.Add(Phone(e164));
        return keys;
    }
}
