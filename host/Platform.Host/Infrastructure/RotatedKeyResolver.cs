using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.KeyManagement.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Platform.Host.Infrastructure;

/// <summary>
/// Data Protection's own key resolution, except that a key activated later than its choice and already active (a
/// key made by <c>POST /api/v1/admin/data-protection/rotate</c>, active at once) becomes the default key now rather
/// than after Data Protection's two-day propagation window (meant for hosts that read the key ring on their own
/// schedule; a host meeting a payload of a key it does not know yet re-reads the ring). Key generation, expiry and
/// revocation are Data Protection's.
/// </summary>
internal sealed class RotatedKeyResolver(IDefaultKeyResolver inner) : IDefaultKeyResolver
{
    public DefaultKeyResolution ResolveDefaultKeyPolicy(DateTimeOffset now, IEnumerable<IKey> allKeys)
    {
        var keys = allKeys as IReadOnlyCollection<IKey> ?? [.. allKeys];
        var resolution = inner.ResolveDefaultKeyPolicy(now, keys);
        if (resolution.DefaultKey is not { } chosen) return resolution;
        var newer = keys
            .Where(k => k.ActivationDate > chosen.ActivationDate && k.ActivationDate <= now && !k.IsRevoked && k.ExpirationDate > now)
            .OrderByDescending(k => k.ActivationDate).ThenBy(k => k.KeyId)
            .FirstOrDefault(CanEncrypt);
        if (newer is not null) resolution.DefaultKey = newer;
        return resolution;
    }

    private static bool CanEncrypt(IKey key)
    {
        try
        {
            return key.CreateEncryptor() is not null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }

    /// <summary>Wraps the registered resolver (call after <c>AddDataProtection</c>).</summary>
    public static void Decorate(IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IDefaultKeyResolver))
            ?? throw new InvalidOperationException("AddDataProtection registered no IDefaultKeyResolver");
        services.RemoveAll<IDefaultKeyResolver>();
        services.AddSingleton<IDefaultKeyResolver>(sp => new RotatedKeyResolver(registered.ImplementationType is { } type
            ? (IDefaultKeyResolver)ActivatorUtilities.CreateInstance(sp, type)
            : registered.ImplementationFactory is { } factory ? (IDefaultKeyResolver)factory(sp) : (IDefaultKeyResolver)registered.ImplementationInstance!));
    }
}
