using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>
/// The points ledger through the real host: orders earn their total × the tier's multiplier, reviews a bonus; a
/// re-sync from the beginning and repeated scorings award nothing twice; a refund takes the order's points back;
/// manual adjustments need a reason, cannot overdraw, and a retried request with the same Idempotency-Key adds
/// nothing; a merge moves the ledger to the survivor.
/// </summary>
public sealed class PointsTests(PointsTests.Fixture fixture) : IClassFixture<PointsTests.Fixture>
{
    public sealed class Fixture : HostFixture
    {
        // Everyone who bought is Gold (from 1 USD), and Gold earns 3 points per dollar: every order's points are floor(total × 3).
        protected override IDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Platform:Value:Tiers:Levels:1:MinSpend"] = "1",
            ["Platform:Value:Tiers:Levels:1:PointsMultiplier"] = "3",
            ["Platform:Value:Points:ReviewBonus"] = "25",
            ["Platform:Value:RescoreQuietSeconds"] = "0", // the refund below is rescored at once
        };
    }

    private static readonly string[] Revenue = ["paid", "shipped", "delivered", "completed"];

    [Fact]
    public async Task Orders_and_reviews_earn_once_whatever_is_replayed_and_a_refund_takes_the_points_back()
    {
        using var api = fixture.Host.Client();
        await api.CreateMerchantAsync("pts");
        await api.PutStoreAsync("pts", "s1", new { population = 71, people = 30, ordersPerDay = 5, country = "SG", closedOn = ClosedStores.ClosedOn },
            ClosedStores.Today.AddDays(-70));
        await api.SyncAsync("pts", "s1");
        await api.WaitForProfilesAsync("pts");
        await api.ScoreAsync("pts");

        var orders = await api.GetAllAsync("/api/v1/merchants/pts/orders");
        var reviews = await api.GetAllAsync("/api/v1/merchants/pts/reviews");
        var customers = await api.GetAllAsync("/api/v1/merchants/pts/customers");
        var before = new Dictionary<string, (long Balance, int Entries)>();
        foreach (var c in customers)
        {
            var id = c.GetProperty("id").GetString()!;
            var ledger = await api.GetJsonAsync($"/api/v1/merchants/pts/customers/{id}/points?pageSize=500");
            var items = ledger.GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(items.Sum(i => i.GetProperty("points").GetInt64()), ledger.GetProperty("balance").GetInt64());
            var expectedEarn = orders.Where(o => o.GetProperty("customer").GetString() == id && Revenue.Contains(o.GetProperty("status").GetString()))
                .Select(o => (long)Math.Floor(o.GetProperty("total").GetDecimal() * 3)).Where(p => p > 0).Order().ToList();
            Assert.Equal(expectedEarn, items.Where(i => i.GetProperty("kind").GetString() == "earn").Select(i => i.GetProperty("points").GetInt64()).Order().ToList());
            var reviewCount = reviews.Count(r => r.GetProperty("customer").GetString() == id);
            Assert.Equal(reviewCount, items.Count(i => i.GetProperty("kind").GetString() == "review" && i.GetProperty("points").GetInt64() == 25));
            before[id] = (ledger.GetProperty("balance").GetInt64(), items.Count);
        }
        Assert.Contains(before.Values, v => v.Balance > 0);
        Assert.True(reviews.Count > 0, "the store should have reviews");

        // Replays: a re-sync of everything from the beginning, and two more full scorings, award nothing.
        Assert.Equal(HttpStatusCode.OK, (await api.PutJsonAsync("/api/v1/merchants/pts/stores/s1/cursors/orders", new { since = ClosedStores.Today.AddDays(-70) })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PutJsonAsync("/api/v1/merchants/pts/stores/s1/cursors/reviews", new { since = ClosedStores.Today.AddDays(-70) })).StatusCode);
        await api.SyncAsync("pts", "s1");
        await api.WaitForProfilesAsync("pts");
        await api.ScoreAsync("pts");
        await api.ScoreAsync("pts");
        foreach (var (id, (balance, entries)) in before)
        {
            var ledger = await api.GetJsonAsync($"/api/v1/merchants/pts/customers/{id}/points?pageSize=500");
            Assert.Equal((balance, entries), (ledger.GetProperty("balance").GetInt64(), ledger.GetProperty("total").GetInt32()));
        }

        // The marketplace reports a paid order refunded (the closed sandbox store never changes an order again, so the
        // test writes the new status and the outbox event a sync would have written).
        var paid = orders.First(o => o.GetProperty("status").GetString() == "completed" && o.GetProperty("total").GetDecimal() > 1);
        var owner = paid.GetProperty("customer").GetString()!;
        var orderId = paid.GetProperty("id").GetString()!;
        await using (var conn = new SqliteConnection($"Data Source={Path.Combine(fixture.Host.DataDirectory, "platform.db")};Pooling=False"))
        {
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = """
                PRAGMA busy_timeout = 10000;
                UPDATE orders SET status = 'refunded' WHERE merchant_id = 'pts' AND store_id = 's1' AND external_id = $o;
                INSERT INTO outbox (merchant_id, store_id, buyer_id, created_at)
                  SELECT merchant_id, store_id, buyer_id, 0 FROM orders WHERE merchant_id = 'pts' AND store_id = 's1' AND external_id = $o;
                """;
            cmd.Parameters.AddWithValue("$o", orderId);
            await cmd.ExecuteNonQueryAsync();
        }
        var earned = (long)Math.Floor(paid.GetProperty("total").GetDecimal() * 3);
        await Eventually.Until(async () =>
            (await api.GetJsonAsync($"/api/v1/merchants/pts/customers/{owner}/points?pageSize=500")).GetProperty("balance").GetInt64() == before[owner].Balance - earned,
            TimeSpan.FromSeconds(60), () => $"the refund of {orderId} did not take back {earned} points from {owner}");
        var after = await api.GetJsonAsync($"/api/v1/merchants/pts/customers/{owner}/points?pageSize=500");
        var reversal = Assert.Single(after.GetProperty("items").EnumerateArray(), i => i.GetProperty("kind").GetString() == "reversal");
        Assert.Equal(-earned, reversal.GetProperty("points").GetInt64());
        Assert.Equal($"reversal:s1:{orderId}", reversal.GetProperty("source").GetString());
        await api.ScoreAsync("pts");
        Assert.Equal(before[owner].Balance - earned, (await api.GetJsonAsync($"/api/v1/merchants/pts/customers/{owner}/points")).GetProperty("balance").GetInt64());

        // Points changes are on the timeline, and the profile shows the balance.
        var timeline = await api.GetAllAsync($"/api/v1/merchants/pts/customers/{owner}/timeline");
        Assert.Contains(timeline, i => i.GetProperty("type").GetString() == "points" && i.GetProperty("summary").GetString()!.Contains("refunded", StringComparison.Ordinal));
        Assert.Equal(before[owner].Balance - earned, (await api.GetJsonAsync($"/api/v1/merchants/pts/customers/{owner}")).GetProperty("points").GetProperty("balance").GetInt64());
    }

    [Fact]
    public async Task Manual_adjustments_need_a_reason_cannot_overdraw_and_are_idempotent_by_key_and_merges_move_the_ledger()
    {
        using var api = fixture.Host.Client();
        await api.CreateMerchantAsync("pts-manual");
        await api.PutStoreAsync("pts-manual", "s1", new { population = 72, people = 12, ordersPerDay = 3, country = "SG", closedOn = ClosedStores.ClosedOn },
            ClosedStores.Today.AddDays(-60));
        await api.SyncAsync("pts-manual", "s1", "orders");
        await api.WaitForProfilesAsync("pts-manual");
        await api.ScoreAsync("pts-manual");
        var customers = await api.GetAllAsync("/api/v1/merchants/pts-manual/customers");
        var (a, b) = (customers[0].GetProperty("id").GetString()!, customers[1].GetProperty("id").GetString()!);
        string Url(string id) => $"/api/v1/merchants/pts-manual/customers/{id}/points";
        async Task<long> Balance(string id) => (await api.GetJsonAsync(Url(id))).GetProperty("balance").GetInt64();
        var start = await Balance(a);

        var noReason = await api.PostJsonAsync(Url(a), new { points = 10 });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.True((await noReason.ReadJsonAsync()).GetProperty("errors").TryGetProperty("reason", out _));
        var zero = await api.PostJsonAsync(Url(a), new { points = 0, reason = "nothing" });
        Assert.True((await zero.ReadJsonAsync()).GetProperty("errors").TryGetProperty("points", out _));
        var overdraw = await api.PostJsonAsync(Url(a), new { points = -(start + 1), reason = "too much" });
        Assert.Equal(HttpStatusCode.BadRequest, overdraw.StatusCode);
        Assert.Contains($"the balance is {start}", (await overdraw.ReadJsonAsync()).GetProperty("errors").GetProperty("points")[0].GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostJsonAsync(Url("c999999"), new { points = 5, reason = "x" })).StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Post, Url(a)) { Content = JsonContent(new { points = 50, reason = "goodwill for a late delivery" }) };
        request.Headers.Add("Idempotency-Key", "ticket-4711");
        var first = await api.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(start + 50, (await first.ReadJsonAsync()).GetProperty("balance").GetInt64());
        using var retry = new HttpRequestMessage(HttpMethod.Post, Url(a)) { Content = JsonContent(new { points = 50, reason = "goodwill for a late delivery" }) };
        retry.Headers.Add("Idempotency-Key", "ticket-4711");
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(retry)).StatusCode);
        Assert.Equal(start + 50, await Balance(a));
        var newest = (await api.GetJsonAsync(Url(a))).GetProperty("items")[0];
        Assert.Equal(("manual", 50L, "goodwill for a late delivery"), (newest.GetProperty("kind").GetString(), newest.GetProperty("points").GetInt64(), newest.GetProperty("reason").GetString()));

        var total = await Balance(a) + await Balance(b);
        var merge = await api.PostJsonAsync($"/api/v1/merchants/pts-manual/customers/{a}/merge", new { other = b });
        Assert.Equal(HttpStatusCode.OK, merge.StatusCode);
        var survivor = (await api.GetJsonAsync($"/api/v1/merchants/pts-manual/customers/{b}")).GetProperty("id").GetString()!;

        Assert.Equal(total, await Balance(survivor));
        await api.ScoreAsync("pts-manual");
        Assert.Equal(total, await Balance(survivor));
    }

    private static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}
