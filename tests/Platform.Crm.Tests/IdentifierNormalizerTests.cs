using Platform.Crm.Identity;
using Xunit;

namespace Platform.Crm.Tests;

public sealed class IdentifierNormalizerTests
{
    [Theory]
    [InlineData(" Mei.Tan12@Example.COM ", "mei.tan12@example.com")]
    [InlineData("a@b.co", "a@b.co")]
    [InlineData("not-an-email", null)]
    [InlineData("two@@example.com", null)]
    [InlineData("no-domain@", null)]
    [InlineData("nodot@localhost", null)]
    [InlineData("   ", null)]
    [InlineData(null, null)]
    public void Emails_are_trimmed_lower_cased_and_checked(string? raw, string? expected) =>
        Assert.Equal(expected, IdentifierNormalizer.NormalizeEmail(raw));

    [Theory]
    [InlineData("+65 9123 4567", "SG", "+6591234567")]
    [InlineData("+6591234567", "US", "+6591234567")]
    [InlineData("91234567", "SG", "+6591234567")]
    [InlineData("9123-4567", "SG", "+6591234567")]
    [InlineData("012-345 6789", "MY", "+60123456789")]
    [InlineData("(415) 555-2671", "US", "+14155552671")]
    [InlineData("91234567", null, null)]
    [InlineData("****4567", "SG", null)]
    [InlineData("12", "SG", null)]
    [InlineData("call me", "SG", null)]
    public void Phones_become_E164_using_the_store_country_without_a_prefix(string raw, string? region, string? expected) =>
        Assert.Equal(expected, IdentifierNormalizer.NormalizePhone(raw, region));

    [Theory]
    [InlineData("+65 9123-4567", "6591234567")]
    [InlineData("tan", null)]
    [InlineData("91 2", null)]
    public void Search_text_reduces_to_phone_digits(string text, string? digits) =>
        Assert.Equal(digits, IdentifierNormalizer.PhoneDigits(text));
}
