using Platform.Abstractions;
using Platform.Plugins.Sandbox.Tests.Infrastructure;

namespace Platform.Plugins.Sandbox.Tests;

public sealed class DeterminismTests
{
    private static readonly ReadWindow Window = new(Harness.Now.AddDays(-45), Harness.Now);

    [Theory]
    [InlineData(StreamName.Orders)]
    [InlineData(StreamName.Reviews)]
    [InlineData(StreamName.Chats)]
    public async Task Same_settings_store_and_clock_give_identical_records(StreamName stream)
    {
        const string settings = """{"population":7,"people":400,"ordersPerDay":15,"pageSize":37}""";
        var first = await Harness.ReadPagesAsync(Harness.Connect("store-a", new ManualClock(Harness.Now), settings), stream, null, Window);
        var second = await Harness.ReadPagesAsync(Harness.Connect("store-a", new ManualClock(Harness.Now), settings), stream, null, Window);

        Assert.NotEmpty(first);
        Assert.Equal(first.Records().Select(r => r.RawJson), second.Records().Select(r => r.RawJson));
        Assert.Equal(first.Records(), second.Records(), RecordComparer.Instance);
        Assert.Equal(first.Select(p => p.Checkpoint.Json), second.Select(p => p.Checkpoint.Json));
    }

    [Fact]
    public async Task Different_stores_have_their_own_orders_and_buyer_ids_but_share_people()
    {
        var clock = new ManualClock(Harness.Now);
        var a = (await Harness.ReadPagesAsync(Harness.Connect("store-a", clock), StreamName.Orders, null, Window)).Records().Cast<OrderRecord>().ToList();
        var b = (await Harness.ReadPagesAsync(Harness.Connect("store-b", clock), StreamName.Orders, null, Window)).Records().Cast<OrderRecord>().ToList();

        Assert.Empty(a.Select(o => o.ExternalId).Intersect(b.Select(o => o.ExternalId)));
        Assert.Empty(a.Select(o => o.Buyer.BuyerId).Intersect(b.Select(o => o.Buyer.BuyerId)));
        Assert.NotEqual(a.Select(o => o.RawJson), b.Select(o => o.RawJson));

        // The same people shop in both stores: some are recognisable by email or phone in both.
        var emailsInA = a.Select(o => NormalizedEmail(o.Buyer)).OfType<string>().ToHashSet();
        var phonesInA = a.Select(o => PhoneDigits(o.Buyer)).OfType<string>().ToHashSet();
        var sharedEmails = b.Select(o => NormalizedEmail(o.Buyer)).OfType<string>().Where(emailsInA.Contains).Distinct().Count();
        var sharedPhones = b.Select(o => PhoneDigits(o.Buyer)).OfType<string>().Where(phonesInA.Contains).Distinct().Count();
        Assert.True(sharedEmails + sharedPhones > 0, "no person is recognisable in both stores");
        Assert.True(sharedEmails >= 5, $"only {sharedEmails} emails appear in both stores");
    }

    [Fact]
    public async Task A_different_population_means_different_people()
    {
        var clock = new ManualClock(Harness.Now);
        var a = (await Harness.ReadPagesAsync(Harness.Connect("store-a", clock, """{"population":1}"""), StreamName.Orders, null, Window)).Records().Cast<OrderRecord>();
        var b = (await Harness.ReadPagesAsync(Harness.Connect("store-a", clock, """{"population":2}"""), StreamName.Orders, null, Window)).Records().Cast<OrderRecord>();

        var emailsInA = a.Select(o => NormalizedEmail(o.Buyer)).OfType<string>().ToHashSet();
        var emailsInB = b.Select(o => NormalizedEmail(o.Buyer)).OfType<string>().ToHashSet();
        Assert.True(emailsInA.Intersect(emailsInB).Count() < emailsInA.Count / 4);
    }

    private static string? NormalizedEmail(BuyerIdentity buyer) => buyer.Email?.Trim().ToLowerInvariant();

    /// <summary>The last 8 digits identify a number whatever the format (E.164, spaced, national).</summary>
    private static string? PhoneDigits(BuyerIdentity buyer)
    {
        if (buyer.Phone is null)
            return null;
        var digits = new string([.. buyer.Phone.Where(char.IsAsciiDigit)]);
        return digits.Length >= 8 ? digits[^8..] : null;
    }
}
