using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace Platform.Host.Infrastructure;

/// <summary>Encrypts store secrets at rest with ASP.NET Core Data Protection (keys in the data directory).</summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private const string Prefix = "enc:v1:";
    private readonly IDataProtector _protector = provider.CreateProtector("Platform.StoreSecrets.v1");

    public string Protect(string plain) => Prefix + _protector.Protect(plain);

    public string Unprotect(string stored) =>
        stored.StartsWith(Prefix, StringComparison.Ordinal) ? _protector.Unprotect(stored[Prefix.Length..]) : stored;

    public static bool IsProtected(string value) => value.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The id of the key that protected <paramref name="stored"/> (a Data Protection payload names it after its 4-byte magic header); null when it is not a protected value.</summary>
    public static Guid? KeyIdOf(string stored)
    {
        if (!IsProtected(stored)) return null;
        try
        {
            var bytes = WebEncoders.Base64UrlDecode(stored[Prefix.Length..]);
            return bytes.Length >= 20 ? new Guid(bytes.AsSpan(4, 16)) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The key new values are protected with now (the key ring's default key).</summary>
    public Guid CurrentKeyId() => KeyIdOf(Protect("probe")) ?? throw new InvalidOperationException("Data Protection produced a payload without a key id");
}
