using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>
/// The service inbox through the real host: sandbox stores with orders, reviews and chats synced; cases checked against
/// the messages and reviews APIs; filters, one case, changes by hand, the figures, the profile and timeline, a re-sync
/// from the beginning, erasure, and store hours refused when they make no sense.
/// </summary>
public sealed class ServiceApiTests(ServiceApiTests.Fixture fixture) : IClassFixture<ServiceApiTests.Fixture>
{
    private const string M = "svc";
    private static readonly DateTimeOffset Since = ClosedStores.Today.AddDays(-150);

    public sealed class Fixture : HostFixture
    {
        // The sweep of answered cases would change statuses between two reads of a test: it has its own test.
        protected override IDictionary<string, string> Settings => new Dictionary<string, string> { ["Platform:Service:SweepCron"] = "0 0 0 1 1 ? 2099" };

        public bool Synced { get; private set; }
        private readonly SemaphoreSlim _gate = new(1, 1);

        /// <summary>Two closed sandbox stores synced once for the whole class (their history no longer changes).</summary>
        public async Task SyncOnceAsync()
        {
            await _gate.WaitAsync();
            try
            {
                if (Synced) return;
                using var api = Host.Client();
                await api.CreateMerchantAsync(M, "SGD");
                foreach (var (store, country) in new[] { ("sg", "SG"), ("my", "MY") })
                {
                    await api.PutStoreAsync(M, store, Settings(country), Since);
                    await api.SyncAsync(M, store);
                }
                Synced = true;
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    private static object Settings(string country) =>
        new { population = 31, people = 120, ordersPerDay = 12, country, currency = "SGD", closedOn = ClosedStores.ClosedOn, pageSize = 200 };

    private static string Url(string path) => $"/api/v1/merchants/{M}{path}";

    private async Task<HttpClient> ApiAsync()
    {
        await fixture.SyncOnceAsync();
        return fixture.Host.Client();
    }

    [Fact]
    public async Task Cases_come_from_unanswered_chats_and_negative_reviews_and_each_points_at_its_item()
    {
        using var api = await ApiAsync();
        var cases = await api.GetAllAsync(Url("/cases"));
        Assert.NotEmpty(cases);
        var messages = (await api.GetAllAsync(Url("/messages"))).ToDictionary(x => (x.GetProperty("store").GetString()!, x.GetProperty("id").GetString()!));
        var reviews = (await api.GetAllAsync(Url("/reviews"))).ToDictionary(x => (x.GetProperty("store").GetString()!, x.GetProperty("id").GetString()!));
        Assert.All(messages.Values.Concat(reviews.Values), x => Assert.InRange(x.GetProperty("sentiment").GetDouble(), -1, 1));

        var chat = cases.Where(c => c.GetProperty("channel").GetString() == "chat").ToList();
        var review = cases.Where(c => c.GetProperty("channel").GetString() == "review").ToList();
        Assert.NotEmpty(chat);
        Assert.NotEmpty(review);
        foreach (var c in chat)
        {
            // A chat case opens on a buyer's message, in its conversation.
            var opening = messages[(c.GetProperty("store").GetString()!, c.GetProperty("messageId").GetString()!)];
            Assert.Equal("inbound", opening.GetProperty("direction").GetString());
            Assert.Equal(opening.GetProperty("conversationId").GetString(), c.GetProperty("conversationId").GetString());
            Assert.Equal(opening.GetProperty("sentAt").GetDateTimeOffset(), c.GetProperty("openedAt").GetDateTimeOffset());
            Assert.Equal(opening.GetProperty("customer").GetString(), c.GetProperty("customer").GetString());
        }
        foreach (var c in review)
        {
            var r = reviews[(c.GetProperty("store").GetString()!, c.GetProperty("reviewId").GetString()!)];
            var triggers = c.GetProperty("triggers").EnumerateArray().Select(t => t.GetString()).ToList();
            Assert.Equal(r.GetProperty("rating").GetInt32() <= 2, triggers.Contains("negative_rating"));
            Assert.Equal(r.GetProperty("createdAt").GetDateTimeOffset(), c.GetProperty("openedAt").GetDateTimeOffset());
        }
        // Every 1–2 star review has its case, exactly one.
        var lowRated = reviews.Where(r => r.Value.GetProperty("rating").GetInt32() <= 2).Select(r => r.Key).Order().ToList();
        Assert.NotEmpty(lowRated);
        Assert.Equal(lowRated, review.Where(c => c.GetProperty("triggers").EnumerateArray().Any(t => t.GetString() == "negative_rating"))
            .Select(c => (c.GetProperty("store").GetString()!, c.GetProperty("reviewId").GetString()!)).Order().ToList());
        // Every conversation whose last word is an unanswered question waits for the seller.
        var conversations = await api.GetAllAsync(Url("/conversations?waiting=true"));
        var open = chat.Where(c => c.GetProperty("status").GetString() == "open").Select(c => c.GetProperty("conversationId").GetString()).Distinct().Order().ToList();
        Assert.Equal(open, conversations.Select(c => c.GetProperty("id").GetString()).Order().ToList());
    }

    [Fact]
    public async Task Filters_split_the_cases_without_losing_or_repeating_any()
    {
        using var api = await ApiAsync();
        var all = (await api.GetAllAsync(Url("/cases"))).Select(c => c.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        async Task<List<long>> Ids(string query) => (await api.GetAllAsync(Url("/cases?" + query))).Select(c => c.GetProperty("id").GetInt64()).ToList();

        var byStatus = (await Ids("status=open")).Concat(await Ids("status=waiting")).Concat(await Ids("status=resolved")).Order().ToList();
        Assert.Equal(all.Order(), byStatus);
        Assert.Equal((await Ids("status=open")).Concat(await Ids("status=waiting")).Order(), (await Ids("status=open,waiting")).Order());
        Assert.Equal(all.Order(), (await Ids("store=sg")).Concat(await Ids("store=my")).Order());
        var breached = await api.GetAllAsync(Url("/cases?breached=true"));
        Assert.All(breached, c => Assert.True(c.GetProperty("breached").GetBoolean()));
        Assert.All(await api.GetAllAsync(Url("/cases?breached=false")), c => Assert.False(c.GetProperty("breached").GetBoolean()));
        Assert.Equal(all.Order(), breached.Select(c => c.GetProperty("id").GetInt64()).Concat(await Ids("breached=false")).Order());

        // By customer: the customer's cases and nobody else's.
        var customer = (await api.GetAllAsync(Url("/cases"))).Select(c => c.GetProperty("customer").GetString()).First(c => c is not null)!;
        var theirs = await api.GetAllAsync(Url($"/cases?customer={customer}"));
        Assert.NotEmpty(theirs);
        Assert.All(theirs, c => Assert.Equal(customer, c.GetProperty("customer").GetString()));

        // The default order puts the seller's work first: open before waiting before resolved.
        var order = (await api.GetAllAsync(Url("/cases"))).Select(c => c.GetProperty("status").GetString() switch { "open" => 0, "waiting" => 1, _ => 2 }).ToList();
        Assert.Equal(order.Order(), order);

        foreach (var bad in new[] { "status=closed", "breached=maybe", "channel=email", "sort=random", "pageSize=501" })
        {
            var response = await api.GetAsync(Url("/cases?" + bad));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(bad.Split('=')[0], await response.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync(Url("/cases?customer=nobody"))).StatusCode);
    }

    [Fact]
    public async Task A_case_is_assigned_resolved_with_a_note_and_reopened_by_hand_with_its_history()
    {
        using var api = await ApiAsync();
        var chat = (await api.GetAllAsync(Url("/cases?status=open&channel=chat"))).First();
        var id = chat.GetProperty("id").GetInt64();
        var detail = await api.GetJsonAsync(Url($"/cases/{id}"));
        Assert.Contains(detail.GetProperty("messages").EnumerateArray(), m => m.GetProperty("id").GetString() == chat.GetProperty("messageId").GetString());
        Assert.Equal("opened", detail.GetProperty("events")[0].GetProperty("kind").GetString());

        var assigned = await Patch(api, id, new { assignee = "lin" }, HttpStatusCode.OK);
        Assert.Equal("lin", assigned.GetProperty("case").GetProperty("assignee").GetString());
        Assert.Single(await api.GetAllAsync(Url($"/cases?assignee=lin")));

        var resolved = await Patch(api, id, new { status = "resolved", note = "Called the buyer, parcel found." }, HttpStatusCode.OK);
        var c = resolved.GetProperty("case");
        Assert.Equal(("resolved", "hand"), (c.GetProperty("status").GetString(), c.GetProperty("resolvedBy").GetString()));
        var last = resolved.GetProperty("events").EnumerateArray().Last();
        Assert.Equal("resolved", last.GetProperty("kind").GetString());
        Assert.Contains("parcel found", last.GetProperty("text").GetString());
        Assert.Equal("lin", last.GetProperty("by").GetString());

        var reopened = await Patch(api, id, new { status = "open" }, HttpStatusCode.OK);
        Assert.Equal("open", reopened.GetProperty("case").GetProperty("status").GetString());
        Assert.True(reopened.GetProperty("case").GetProperty("resolvedAt").ValueKind == JsonValueKind.Null);
        var noted = await Patch(api, id, new { note = "Waiting for the courier." }, HttpStatusCode.OK);
        Assert.Equal(["opened", "assigned", "resolved", "reopened", "note"],
            noted.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).Where(k => k is not ("first_response" or "changed" or "updated")));

        await Patch(api, id, new { status = "closed" }, HttpStatusCode.BadRequest);
        await Patch(api, id, new { }, HttpStatusCode.BadRequest);
        await Patch(api, id, new { note = new string('x', 2001) }, HttpStatusCode.BadRequest);
        await Patch(api, 999_999_999, new { note = "x" }, HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync(Url("/cases/999999999"))).StatusCode);

        // Another merchant's key sees nothing of these cases.
        await api.CreateMerchantAsync("svc-other");
        var key = (await (await api.PostAsync("/api/v1/merchants/svc-other/keys", null)).ReadJsonAsync()).GetProperty("key").GetString();
        using var other = fixture.Host.Client(key);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(Url($"/cases/{id}"))).StatusCode);
        Assert.Equal(0, (await other.GetJsonAsync("/api/v1/merchants/svc-other/cases")).GetProperty("total").GetInt32());
    }

    private static async Task<JsonElement> Patch(HttpClient api, long id, object body, HttpStatusCode expected)
    {
        var response = await api.PatchAsJsonAsync(Url($"/cases/{id}"), body);
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == expected, $"PATCH answered {(int)response.StatusCode}: {json}");
        return json;
    }

    [Fact]
    public async Task The_figures_count_the_same_cases_and_reviews_as_the_lists()
    {
        using var api = await ApiAsync();
        var from = Since.ToString("O");
        var to = ClosedStores.Today.ToString("O");
        var stats = await api.GetJsonAsync(Url($"/service/stats?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}"));
        var total = stats.GetProperty("total");
        var cases = await api.GetAllAsync(Url($"/cases?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}"));
        Assert.Equal(cases.Count, total.GetProperty("cases").GetInt32());
        Assert.Equal(cases.Count(c => c.GetProperty("breached").GetBoolean()), total.GetProperty("breached").GetInt32());
        var responded = cases.Where(c => c.GetProperty("firstResponseMinutes").ValueKind == JsonValueKind.Number)
            .Select(c => c.GetProperty("firstResponseMinutes").GetDouble()).Order().ToList();
        Assert.Equal(responded.Count, total.GetProperty("firstResponse").GetProperty("count").GetInt32());
        Assert.Equal(Median(responded), total.GetProperty("firstResponse").GetProperty("medianMinutes").GetDouble(), 0.2);
        Assert.True(total.GetProperty("firstResponse").GetProperty("p90Minutes").GetDouble() >= total.GetProperty("firstResponse").GetProperty("medianMinutes").GetDouble());

        var reviews = await api.GetAllAsync(Url($"/reviews?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}"));
        Assert.Equal(reviews.Count, total.GetProperty("reviews").GetInt32());
        var negative = reviews.Count(r => r.GetProperty("rating").GetInt32() <= 2 || (r.GetProperty("rating").GetInt32() == 3 && r.GetProperty("sentiment").GetDouble() <= -0.3));
        Assert.Equal(negative, total.GetProperty("negativeReviews").GetInt32());
        var stores = stats.GetProperty("stores").EnumerateArray().ToList();
        Assert.Equal(["my", "sg"], stores.Select(s => s.GetProperty("store").GetString()));
        Assert.Equal(total.GetProperty("cases").GetInt32(), stores.Sum(s => s.GetProperty("cases").GetInt32()));
        var openNow = (await api.GetAllAsync(Url("/cases?status=open,waiting"))).Count;
        Assert.Equal(openNow, total.GetProperty("openNow").GetInt32());
        var ages = total.GetProperty("openByAge");
        Assert.Equal(openNow, ages.EnumerateObject().Sum(p => p.Value.GetInt32()));

        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync(Url($"/service/stats?from={Uri.EscapeDataString(to)}&to={Uri.EscapeDataString(from)}"))).StatusCode);
    }

    private static double Median(IReadOnlyList<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

    [Fact]
    public async Task The_profile_and_timeline_show_the_persons_cases_and_sentiment()
    {
        using var api = await ApiAsync();
        var customer = (await api.GetAllAsync(Url("/cases?status=open"))).Select(c => c.GetProperty("customer").GetString()).First(c => c is not null)!;
        var theirs = await api.GetAllAsync(Url($"/cases?customer={customer}"));
        var profile = await api.GetJsonAsync(Url($"/customers/{customer}"));
        var service = profile.GetProperty("service");
        Assert.Equal(theirs.Count(c => c.GetProperty("status").GetString() != "resolved"), service.GetProperty("openCases").GetInt32());
        Assert.Equal(theirs.Count, service.GetProperty("cases").GetInt32());
        Assert.InRange(service.GetProperty("sentiment").GetDouble(), -1, 1);
        var messages = await api.GetAllAsync(Url($"/messages?customer={customer}"));
        var reviews = await api.GetAllAsync(Url($"/reviews?customer={customer}"));
        var last = messages.Select(x => x.GetProperty("sentAt").GetDateTimeOffset()).Concat(reviews.Select(r => r.GetProperty("createdAt").GetDateTimeOffset())).Max();
        Assert.Equal(last, service.GetProperty("lastContactAt").GetDateTimeOffset());

        var timeline = await api.GetAllAsync(Url($"/customers/{customer}/timeline"));
        var caseItems = timeline.Where(i => i.GetProperty("type").GetString() == "case").ToList();
        Assert.Equal(theirs.Count, caseItems.Count);
        Assert.All(timeline.Where(i => i.GetProperty("type").GetString() is "message" or "review"),
            i => Assert.InRange(i.GetProperty("detail").GetProperty("sentiment").GetDouble(), -1, 1));
    }

    [Fact]
    public async Task A_resync_from_the_beginning_opens_no_case_twice_and_erasure_removes_the_persons_cases()
    {
        using var api = await ApiAsync();
        // Its own merchant: erasing must not disturb the other tests.
        await api.CreateMerchantAsync("svc-erase", "SGD");
        const string E = "/api/v1/merchants/svc-erase";
        await api.PutStoreAsync("svc-erase", "s1", Settings("SG"), Since);
        await api.SyncAsync("svc-erase", "s1");
        var before = (await api.GetAllAsync($"{E}/cases")).Select(c => c.GetProperty("id").GetInt64()).Order().ToList();
        Assert.NotEmpty(before);
        foreach (var stream in new[] { "orders", "reviews", "chats" })
            Assert.Equal(HttpStatusCode.OK, (await api.PutJsonAsync($"{E}/stores/s1/cursors/{stream}", new { since = Since })).StatusCode);
        await api.SyncAsync("svc-erase", "s1");
        Assert.Equal(before, (await api.GetAllAsync($"{E}/cases")).Select(c => c.GetProperty("id").GetInt64()).Order().ToList());

        var customer = (await api.GetAllAsync($"{E}/cases")).Select(c => c.GetProperty("customer").GetString()).First(c => c is not null)!;
        var theirs = (await api.GetAllAsync($"{E}/cases?customer={customer}")).Count;
        var export = await api.GetJsonAsync($"{E}/customers/{customer}/export");
        Assert.Equal(theirs, export.GetProperty("cases").GetArrayLength());
        var erased = await api.DeleteAsync($"{E}/customers/{customer}");
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Equal(theirs, (await erased.ReadJsonAsync()).GetProperty("deleted").GetProperty("cases").GetInt32());
        Assert.Equal(before.Count - theirs, (await api.GetAllAsync($"{E}/cases")).Count);

        // Their old messages and reviews come back with a re-sync: they are skipped, and no case reopens for them.
        foreach (var stream in new[] { "reviews", "chats" })
            await api.PutJsonAsync($"{E}/stores/s1/cursors/{stream}", new { since = Since });
        await api.SyncAsync("svc-erase", "s1");
        Assert.Equal(before.Count - theirs, (await api.GetAllAsync($"{E}/cases")).Count);
    }

    [Fact]
    public async Task Store_hours_that_make_no_sense_are_refused_by_field_and_good_ones_are_kept()
    {
        using var api = await ApiAsync();
        async Task<HttpResponseMessage> Put(object hours) => await api.PutJsonAsync(Url("/stores/hours"),
            new { plugin = "sandbox", settings = Settings("SG"), since = Since, businessHours = hours });

        var backwards = await Put(new { timeZone = "Asia/Singapore", open = "18:00", close = "09:00" });
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.Contains("businessHours.close", await backwards.Content.ReadAsStringAsync());
        var zone = await Put(new { timeZone = "Mars/Olympus", open = "09:00", close = "18:00" });
        Assert.Contains("businessHours.timeZone", await zone.Content.ReadAsStringAsync());
        var day = await Put(new { days = new[] { "Funday" } });
        Assert.Contains("businessHours.days", await day.Content.ReadAsStringAsync());
        var time = await Put(new { open = "9am" });
        Assert.Contains("businessHours.open", await time.Content.ReadAsStringAsync());

        var good = await Put(new { timeZone = "Asia/Kuala_Lumpur", open = "08:30", close = "17:30", days = new[] { "Monday", "Saturday" }, closed = new[] { "2026-12-25" } });
        Assert.Equal(HttpStatusCode.Created, good.StatusCode);
        var hours = (await api.GetJsonAsync(Url("/stores/hours"))).GetProperty("businessHours");
        Assert.Equal("Asia/Kuala_Lumpur", hours.GetProperty("timeZone").GetString());
        Assert.Equal(["Monday", "Saturday"], hours.GetProperty("days").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync(Url("/stores/hours"))).StatusCode);
    }
}
