using Platform.Abstractions;
using Platform.Plugins.Sandbox.Generation;

namespace Platform.Plugins.Sandbox.People;

/// <summary>
/// What a store reveals of a person, fixed per (person, store): the email about 70% of the time (sometimes
/// with other casing or spaces), the phone about 50% of the time in the store's format, neither for about 15%.
/// </summary>
internal static class BuyerView
{
    public static StoreBuyer Of(Person person, ulong storeHash, string storeHex, string storeCountry, PhoneStyle storeStyle, bool relay = false)
    {
        var draws = new Draws(StableHash.Of(storeHash, (ulong)person.Index, Salt.Reveal));
        var (showEmail, showPhone) = draws.Unit() switch
        {
            < 0.15 => (false, false),
            < 0.50 => (true, false),
            < 0.65 => (false, true),
            _ => (true, true),
        };

        var email = showEmail && person.Email is { } address ? AsGiven(address, ref draws) : null;
        string? phone = null;
        if (showPhone && person.Phone is { } number)
        {
            var style = storeStyle == PhoneStyle.National && number.Country != storeCountry ? PhoneStyle.E164 : storeStyle;
            phone = number.Format(style);
        }

        if (relay)
        {
            email = showEmail ? $"u{person.Index}@relay.sandbox.test" : null;
            phone = phone is null ? null : "****" + phone[^4..];
        }

        var identity = new BuyerIdentity
        {
            BuyerId = $"sbx-{storeHex}-{person.Index}",
            Name = person.Name,
            Email = email,
            Phone = phone,
            Country = person.Country,
            City = person.City,
        };
        return new StoreBuyer(person, identity, $"{person.FirstAscii}{person.LastAscii[0]}{person.Index % 1000}");
    }

    private static string AsGiven(string email, ref Draws draws) => draws.Unit() switch
    {
        < 0.70 => email,
        < 0.80 => Capitalized(email),
        < 0.88 => $" {email} ",
        < 0.94 => email.ToUpperInvariant(),
        _ => $" {Capitalized(email)}",
    };

    /// <summary>mei.tan12@example.com → Mei.Tan12@Example.com</summary>
    private static string Capitalized(string email) => string.Create(email.Length, email, static (span, source) =>
    {
        source.CopyTo(span);
        var at = source.IndexOf('@');
        for (var i = 0; i < span.Length; i++)
        {
            var startsWord = i == 0 || (i <= at && span[i - 1] == '.') || i == at + 1;
            if (startsWord)
                span[i] = char.ToUpperInvariant(span[i]);
        }
    });
}
