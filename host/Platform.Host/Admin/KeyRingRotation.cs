using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Platform.Host.Infrastructure;
using Platform.Host.Storage;

namespace Platform.Host.Admin;

/// <summary>A Data Protection key as the admin API lists it (never its material).</summary>
public sealed record DataProtectionKeyView(Guid Id, DateTimeOffset CreatedAt, DateTimeOffset ActivatesAt, DateTimeOffset ExpiresAt, bool Revoked, bool Current);

/// <summary>What a rotation did: the new key, how many stored secrets were re-protected with it, which old keys were revoked.</summary>
public sealed record RotationResult(DataProtectionKeyView Key, int StoreSecrets, int Tokens, int Passes, IReadOnlyList<Guid> Revoked, IReadOnlyList<DataProtectionKeyView> Keys);

public sealed class RotationException(string message) : Exception(message);

/// <summary>
/// Rotates the key ring that protects stored secrets (store settings marked <c>x-secret</c>, connector tokens): a new
/// key, active now; every stored secret re-protected with it; then, if asked, the older keys revoked. Old keys are
/// revoked only once no stored secret needs them, so nothing becomes unreadable.
/// </summary>
public sealed class KeyRingRotation(IKeyManager keys, SecretProtector secrets, IDbContextFactory<PlatformDbContext> factory, WriteGate gate,
    TimeProvider clock, ILogger<KeyRingRotation> logger)
{
    private const int MaxPasses = 5;
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(90);
    private readonly SemaphoreSlim _one = new(1, 1);

    public IReadOnlyList<DataProtectionKeyView> List()
    {
        var current = secrets.CurrentKeyId();
        return [.. keys.GetAllKeys().OrderBy(k => k.CreationDate).Select(k => View(k, current))];
    }

    public async Task<RotationResult> RotateAsync(bool revokeOld, CancellationToken ct)
    {
        await _one.WaitAsync(ct);
        try
        {
            var now = clock.GetUtcNow();
            var key = keys.CreateNewKey(activationDate: now, expirationDate: now + Lifetime);
            // The key ring is re-read in the background after a change: wait (with a deadline) until new values get the new key.
            var deadline = clock.GetUtcNow() + TimeSpan.FromSeconds(30);
            Guid current;
            while ((current = secrets.CurrentKeyId()) != key.KeyId)
            {
                if (clock.GetUtcNow() > deadline)
                    throw new RotationException($"the new key {key.KeyId} did not become the default key within 30 s (still {current}); nothing was re-protected and no key was revoked");
                await Task.Delay(50, ct);
            }
            logger.LogWarning("Data Protection: new key {Key} created, active now; re-protecting stored secrets", key.KeyId);

            // Passes until every secret is under the new key: a secret written meanwhile (a connector saving a
            // refreshed token) under the old key is found by the next pass; one written under the new key is left alone.
            var (storeSecrets, tokens, passes) = (0, 0, 0);
            while (true)
            {
                passes++;
                var (s, t, left) = await ReprotectPassAsync(key.KeyId, ct);
                storeSecrets += s;
                tokens += t;
                if (left == 0) break;
                if (passes == MaxPasses)
                    throw new RotationException($"{left} stored secrets were changed during each of {MaxPasses} passes and are still under an older key; no key was revoked: run the rotation again");
            }

            var revoked = new List<Guid>();
            if (revokeOld)
                foreach (var old in keys.GetAllKeys().Where(k => k.KeyId != key.KeyId && !k.IsRevoked))
                {
                    keys.RevokeKey(old.KeyId, $"rotated to {key.KeyId} at {now:O}");
                    revoked.Add(old.KeyId);
                }
            logger.LogWarning("Data Protection: {Secrets} store secrets and {Tokens} tokens re-protected with key {Key} in {Passes} passes; {Revoked} old keys revoked",
                storeSecrets, tokens, key.KeyId, passes, revoked.Count);
            return new RotationResult(View(key, key.KeyId), storeSecrets, tokens, passes, revoked, List());
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>Re-protects what is not under <paramref name="keyId"/>; returns the counts and how many could not be updated (changed meanwhile).</summary>
    private async Task<(int Secrets, int Tokens, int Left)> ReprotectPassAsync(Guid keyId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var stores = await db.Stores.AsNoTracking().Select(s => new { s.MerchantId, s.StoreId, s.SettingsJson }).ToListAsync(ct);
        var tokens = await db.Tokens.AsNoTracking().Select(t => new { t.MerchantId, t.StoreId, t.Name, t.Value }).ToListAsync(ct);

        var storeUpdates = new List<(string Merchant, string Store, string Old, string New, int Secrets)>();
        foreach (var s in stores)
        {
            var settings = JsonNode.Parse(s.SettingsJson)!.AsObject();
            var changed = 0;
            foreach (var (name, value) in settings.ToList())
                if (value is JsonValue v && v.TryGetValue<string>(out var stored) && SecretProtector.IsProtected(stored) && SecretProtector.KeyIdOf(stored) != keyId)
                {
                    settings[name] = secrets.Protect(secrets.Unprotect(stored));
                    changed++;
                }
            if (changed > 0) storeUpdates.Add((s.MerchantId, s.StoreId, s.SettingsJson, settings.ToJsonString(), changed));
        }
        var tokenUpdates = tokens.Where(t => SecretProtector.IsProtected(t.Value) && SecretProtector.KeyIdOf(t.Value) != keyId)
            .Select(t => (t.MerchantId, t.StoreId, t.Name, Old: t.Value, New: secrets.Protect(secrets.Unprotect(t.Value)))).ToList();
        if (storeUpdates.Count + tokenUpdates.Count == 0) return (0, 0, 0);

        var (doneSecrets, doneTokens, left) = (0, 0, 0);
        using (await gate.EnterAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // Only where the value is still the one read: a value rewritten meanwhile is looked at again next pass.
            foreach (var u in storeUpdates)
            {
                var n = await db.Stores.Where(x => x.MerchantId == u.Merchant && x.StoreId == u.Store && x.SettingsJson == u.Old)
                    .ExecuteUpdateAsync(x => x.SetProperty(r => r.SettingsJson, u.New), ct);
                if (n == 1) doneSecrets += u.Secrets; else left++;
            }
            foreach (var u in tokenUpdates)
            {
                var n = await db.Tokens.Where(x => x.MerchantId == u.MerchantId && x.StoreId == u.StoreId && x.Name == u.Name && x.Value == u.Old)
                    .ExecuteUpdateAsync(x => x.SetProperty(r => r.Value, u.New), ct);
                if (n == 1) doneTokens++; else left++;
            }
            await tx.CommitAsync(ct);
        }
        return (doneSecrets, doneTokens, left);
    }

    private static DataProtectionKeyView View(IKey k, Guid current) =>
        new(k.KeyId, k.CreationDate, k.ActivationDate, k.ExpirationDate, k.IsRevoked, k.KeyId == current);
}
