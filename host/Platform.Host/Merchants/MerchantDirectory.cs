using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Platform.Host.Storage;

namespace Platform.Host.Merchants;

/// <summary>Merchant facts that hot paths need (currency), cached; merchants are few and rarely change.</summary>
public sealed class MerchantDirectory(IDbContextFactory<PlatformDbContext> factory)
{
    private readonly ConcurrentDictionary<string, string> _currencies = new(StringComparer.Ordinal);

    public async Task<string> CurrencyAsync(string merchantId)
    {
        if (_currencies.TryGetValue(merchantId, out var c)) return c;
        await using var db = await factory.CreateDbContextAsync();
        var currency = await db.Merchants.Where(m => m.Id == merchantId).Select(m => m.Currency).FirstOrDefaultAsync()
            ?? throw new KeyNotFoundException($"merchant '{merchantId}' does not exist");
        return _currencies[merchantId] = currency;
    }
}
