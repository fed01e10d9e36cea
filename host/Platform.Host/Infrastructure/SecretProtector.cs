using Microsoft.AspNetCore.DataProtection;

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
}
