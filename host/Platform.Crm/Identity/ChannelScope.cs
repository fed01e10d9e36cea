using System.Text.RegularExpressions;

namespace Platform.Crm.Identity;

/// <summary>
/// Decides which contacts are marketplace relays or masks (an Amazon <c>…@marketplace.amazon.com</c> address, a
/// phone shown as <c>****1234</c>): such a value identifies a buyer within one store only, so it may link accounts
/// of that store but never accounts of two stores. The patterns come from configuration.
/// </summary>
public sealed class ChannelScope
{
    private readonly Regex[] _emails;
    private readonly Regex[] _phones;

    public ChannelScope(IEnumerable<string> emailPatterns, IEnumerable<string> phonePatterns)
    {
        _emails = Compile(emailPatterns, "email");
        _phones = Compile(phonePatterns, "phone");
    }

    /// <summary>No relay patterns: every valid contact matches across stores.</summary>
    public static ChannelScope None { get; } = new([], []);

    /// <summary>Whether the email (as given or normalized) is a relay address of the store it came from.</summary>
    public bool IsScopedEmail(string? email) => email is not null && _emails.Any(r => r.IsMatch(email.Trim()));

    /// <summary>Whether the phone (as given) is masked or a proxy number of the store it came from.</summary>
    public bool IsScopedPhone(string? phone) => phone is not null && _phones.Any(r => r.IsMatch(phone.Trim()));

    private static Regex[] Compile(IEnumerable<string> patterns, string kind) => patterns.Select(p =>
    {
        try
        {
            return new Regex(p, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"the {kind} pattern '{p}' is not a valid regular expression: {e.Message}", e);
        }
    }).ToArray();
}
