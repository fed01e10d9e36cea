using System.Net.Mail;
using PhoneNumbers;

namespace Platform.Crm.Identity;

/// <summary>Turns identifiers as marketplaces give them into the forms that can be compared.</summary>
public static class IdentifierNormalizer
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>Trimmed, lower-cased email, or null when it is not a plausible address.</summary>
    public static string? NormalizeEmail(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        var email = raw.Trim().ToLowerInvariant();
        var at = email.IndexOf('@');
        if (at <= 0 || at != email.LastIndexOf('@') || at == email.Length - 1 || email.Contains(' ')) return null;
        if (!email[(at + 1)..].Contains('.')) return null;
        return MailAddress.TryCreate(email, out _) ? email : null;
    }

    /// <summary>
    /// The phone number in E.164 (+6591234567), reading a number without a country prefix in
    /// <paramref name="defaultRegion"/> (ISO 3166-1 alpha-2); null when it is not a valid number
    /// (masked numbers such as <c>****1234</c> included).
    /// </summary>
    public static string? NormalizePhone(string? raw, string? defaultRegion)
    {
        if (string.IsNullOrWhiteSpace(raw) || raw.Contains('*') || raw.Any(char.IsLetter)) return null; // masked, or letters a parser would read as keypad digits
        var region = string.IsNullOrWhiteSpace(defaultRegion) ? "ZZ" : defaultRegion.Trim().ToUpperInvariant();
        try
        {
            var number = Phones.Parse(raw.Trim(), region);
            return Phones.IsValidNumber(number) ? Phones.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>Only the digits of a phone-like search text, or null when there are fewer than 4.</summary>
    public static string? PhoneDigits(string? text)
    {
        if (text is null) return null;
        var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
        return digits.Length >= 4 ? digits : null;
    }
}
