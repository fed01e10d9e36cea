using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Abstractions;
using Platform.Host.Infrastructure;
using Platform.Host.Service;
using Platform.Host.Storage;
using Platform.Host.Stores;
using Platform.Host.Tests.Support;
using Platform.Plugins.Testing;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>
/// Case rules as the sync applies them: pages of messages and reviews written by the real page writer into a real SQLite
/// file, cases read back through the case queries, on a fixed clock.
/// </summary>
public sealed class ServiceCaseTests : IAsyncLifetime
{
    private readonly string _dir = TestPaths.NewTempDirectory("cases");
    private IDbContextFactory<PlatformDbContext> _factory = null!;
    private static readonly IngestTarget Target = new("m1", "s1", "sandbox", "SG");
    // A Monday, 10:00 in Singapore.
    private static readonly DateTimeOffset T0 = new(2026, 10, 5, 2, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(T0.AddDays(30));
    private ServiceSettings _settings = null!;
    private long _run;

    public async Task InitializeAsync()
    {
        var options = new DbContextOptionsBuilder<PlatformDbContext>().UseSqlite($"Data Source={Path.Combine(_dir, "platform.db")};Pooling=False").Options;
        _factory = new PooledDbContextFactory<PlatformDbContext>(options);
        await using var db = await _factory.CreateDbContextAsync();
        await db.Database.MigrateAsync();
        db.Merchants.Add(new MerchantRow { Id = "m1", Name = "M1", Currency = "SGD", CreatedAt = T0 });
        db.Stores.Add(new StoreRow
        {
            MerchantId = "m1", StoreId = "s1", Plugin = "sandbox", DisplayName = "s1", SettingsJson = "{}", SchedulesJson = "{}", Since = T0, Enabled = true,
            CreatedAt = T0, UpdatedAt = T0,
            BusinessHoursJson = ServiceSettings.Serialize(new BusinessHoursSettings { TimeZone = "Asia/Singapore", Open = "09:00", Close = "18:00" }),
        });
        var run = new RunRow { MerchantId = "m1", StoreId = "s1", Stream = "chats", Status = "running", Trigger = "test", StartedAt = T0 };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        _run = run.Id;
        _settings = new ServiceSettings(Options.Create(new PlatformOptions()));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    private static readonly BuyerIdentity Buyer = new() { BuyerId = "b1", Name = "Mei", Email = "mei@example.com" };

    private static int _sequence;

    private static ChatMessage Chat(string conversation, bool inbound, DateTimeOffset at, string text, string? id = null)
    {
        id ??= $"msg-{Interlocked.Increment(ref _sequence)}";
        return new ChatMessage
        {
            ExternalId = id, ConversationId = conversation, Buyer = Buyer, Direction = inbound ? MessageDirection.Inbound : MessageDirection.Outbound,
            Text = text, SentAt = at, OrderExternalId = "o1", RawJson = $$"""{"id":"{{id}}","text":{{System.Text.Json.JsonSerializer.Serialize(text)}}}""",
        };
    }

    private static ReviewRecord Review(string id, int rating, string text, DateTimeOffset created, DateTimeOffset? updated = null, string? reply = null, DateTimeOffset? replyAt = null) => new()
    {
        ExternalId = id, Buyer = Buyer, Rating = rating, Text = text, CreatedAt = created, UpdatedAt = updated ?? created, SellerReply = reply, SellerReplyAt = replyAt,
        OrderExternalId = "o1", Sku = "SKU-1",
        RawJson = $$"""{"id":"{{id}}","rating":{{rating}},"text":{{System.Text.Json.JsonSerializer.Serialize(text)}},"reply":{{System.Text.Json.JsonSerializer.Serialize(reply)}},"u":{{(updated ?? created).ToUnixTimeSeconds()}}}""",
    };

    private IngestWriter Writer() => new(_factory, new WriteGate(), Options.Create(new PlatformOptions()), _settings);

    private Task<PageResult> WriteAsync(params SourceRecord[] records)
    {
        var stream = records[0] is ReviewRecord ? StreamName.Reviews : StreamName.Chats;
        return Writer().WritePageAsync(Target, stream, new RecordPage(records, StreamCursor.From(new { n = records.Length })), _run, T0, CancellationToken.None);
    }

    private CaseQueries Queries() => new(_factory, _settings, _clock);

    private async Task<List<CaseView>> CasesAsync(CaseFilter? filter = null) =>
        (await Queries().ListAsync("m1", filter ?? new CaseFilter(null, null, null, null, null, null, null, null), "oldest", new PageRequest(1, 500), CancellationToken.None))
        .Items.ToList();

    private async Task<List<CaseEventView>> EventsAsync(long id) => (await Queries().GetAsync("m1", id, CancellationToken.None))!.Value.Events.ToList();

    [Fact]
    public async Task A_buyer_question_opens_a_case_the_reply_answers_it_and_a_positive_reply_resolves_it()
    {
        await WriteAsync(Chat("c1", true, T0, "Hi, when will my order ship?"));
        var opened = Assert.Single(await CasesAsync());
        Assert.Equal(("chat", "open"), (opened.Channel, opened.Status));
        Assert.Equal(["unanswered"], opened.Triggers);
        Assert.Equal(T0, opened.OpenedAt);
        // Monday 10:00 in Singapore: due by 18:00 the same day, breached after 72 hours.
        Assert.Equal(new DateTimeOffset(2026, 10, 5, 10, 0, 0, TimeSpan.Zero), opened.DueAt);
        Assert.Equal(T0.AddHours(72), opened.BreachAt);

        await WriteAsync(Chat("c1", false, T0.AddHours(3), "It ships today."));
        var answered = Assert.Single(await CasesAsync());
        Assert.Equal("waiting", answered.Status);
        Assert.Equal(T0.AddHours(3), answered.FirstResponseAt);
        Assert.Equal(180, answered.FirstResponseMinutes);
        Assert.Equal(180, answered.FirstResponseBusinessMinutes);
        Assert.True(answered.MetTarget);
        Assert.False(answered.Breached);

        await WriteAsync(Chat("c1", true, T0.AddHours(5), "Great, thank you so much!"));
        var resolved = Assert.Single(await CasesAsync());
        Assert.Equal(("resolved", "rules"), (resolved.Status, resolved.ResolvedBy));
        Assert.Equal(T0.AddHours(5), resolved.ResolvedAt);
        Assert.Equal(["opened", "first_response", "resolved"], (await EventsAsync(resolved.Id)).Select(e => e.Kind));
    }

    [Fact]
    public async Task An_unhappy_reply_reopens_the_case_and_complaint_words_are_added_to_it()
    {
        await WriteAsync(Chat("c1", true, T0, "Where is my parcel?"), Chat("c1", false, T0.AddHours(1), "It is on its way."));
        await WriteAsync(Chat("c1", true, T0.AddDays(2), "It never arrived, I want a refund."));
        var reopened = Assert.Single(await CasesAsync());
        Assert.Equal("open", reopened.Status);
        Assert.Equal(["unanswered", "complaint"], reopened.Triggers);
        Assert.Contains("refund", reopened.ComplaintTerms);
        Assert.Equal(T0.AddHours(1), reopened.FirstResponseAt); // the first response stays the first one
        Assert.Equal("reopened", (await EventsAsync(reopened.Id))[^1].Kind);
    }

    [Fact]
    public async Task Syncing_the_same_messages_and_reviews_again_opens_nothing_twice()
    {
        ChatMessage[] chats = [Chat("c1", true, T0, "收到破损了，要退款"), Chat("c2", true, T0.AddMinutes(5), "Is this in stock?")];
        ReviewRecord[] reviews = [Review("r1", 1, "Terrible quality.", T0), Review("r2", 5, "Love it", T0)];
        await WriteAsync(chats);
        await WriteAsync(reviews);
        var first = await CasesAsync();
        var events = (await Task.WhenAll(first.Select(c => EventsAsync(c.Id)))).Sum(e => e.Count);

        await WriteAsync(chats);
        await WriteAsync(reviews);
        var second = await CasesAsync();
        Assert.Equal(first.Select(c => c.Id), second.Select(c => c.Id));
        Assert.Equal(events, (await Task.WhenAll(second.Select(c => EventsAsync(c.Id)))).Sum(e => e.Count));
        Assert.Equal(3, second.Count);
        var chinese = second.Single(c => c.ConversationId == "c1");
        Assert.Equal(["unanswered", "complaint"], chinese.Triggers);
        Assert.Equal(["破损", "退款"], chinese.ComplaintTerms);
    }

    [Theory]
    [InlineData(1, "Terrible, it broke after one day.", true, "negative_rating")]
    [InlineData(2, "", true, "negative_rating")]
    [InlineData(3, "Very disappointed, poor quality and bad smell.", true, "negative_text")]
    [InlineData(4, "Nice but the box was damaged.", true, "complaint")]
    [InlineData(5, "Excellent, fast shipping!", false, null)]
    [InlineData(3, "It is ok.", false, null)]
    // The rating wins: five stars with a gloomy word is no case.
    [InlineData(5, "Not bad at all", false, null)]
    public async Task Reviews_open_cases_for_low_ratings_negative_text_and_complaint_words(int rating, string text, bool opens, string? trigger)
    {
        await WriteAsync(Review("r1", rating, text, T0));
        var cases = await CasesAsync();
        if (!opens)
        {
            Assert.Empty(cases);
            return;
        }
        var c = Assert.Single(cases);
        Assert.Equal("review", c.Channel);
        Assert.Contains(trigger!, c.Triggers);
        Assert.Equal("r1", c.ReviewId);
        Assert.Equal("o1", c.OrderId);
        if (text.Length == 0) Assert.Equal("(no text)", c.Summary);
    }

    [Fact]
    public async Task The_sellers_public_reply_is_the_first_response_and_a_raised_rating_resolves_the_review_case()
    {
        await WriteAsync(Review("r1", 1, "Arrived broken.", T0));
        await WriteAsync(Review("r1", 1, "Arrived broken.", T0, T0.AddHours(30), "So sorry! We are sending a new one.", T0.AddHours(26)));
        var answered = Assert.Single(await CasesAsync());
        Assert.Equal("waiting", answered.Status);
        Assert.Equal(T0.AddHours(26), answered.FirstResponseAt);
        Assert.False(answered.MetTarget); // Monday's target was 18:00 that day
        Assert.False(answered.Breached);

        await WriteAsync(Review("r1", 5, "The replacement is perfect, thanks!", T0, T0.AddDays(3), "So sorry! We are sending a new one.", T0.AddHours(26)));
        var resolved = Assert.Single(await CasesAsync());
        Assert.Equal(("resolved", "rules"), (resolved.Status, resolved.ResolvedBy));
        Assert.Equal(T0.AddDays(3), resolved.ResolvedAt);
    }

    [Fact]
    public async Task A_buyer_who_stays_quiet_past_the_reply_window_closes_the_case_and_a_later_message_opens_a_new_one()
    {
        await WriteAsync(Chat("c1", true, T0, "Do you ship to Penang?"), Chat("c1", false, T0.AddHours(2), "Yes we do."));
        await WriteAsync(Chat("c1", true, T0.AddDays(20), "Hello again, do you have it in blue?"));
        var cases = await CasesAsync();
        Assert.Equal(2, cases.Count);
        Assert.Equal(("resolved", T0.AddHours(2).AddDays(7)), (cases[0].Status, cases[0].ResolvedAt!.Value));
        Assert.Equal(("open", T0.AddDays(20)), (cases[1].Status, cases[1].OpenedAt));
    }

    [Fact]
    public async Task The_sweep_resolves_answered_cases_whose_reply_window_passed_and_leaves_the_others()
    {
        await WriteAsync(Chat("c1", true, T0, "Question one"), Chat("c1", false, T0.AddHours(1), "Answer one"),
            Chat("c2", true, T0.AddDays(25), "Question two"), Chat("c2", false, T0.AddDays(25).AddHours(1), "Answer two"),
            Chat("c3", true, T0.AddDays(2), "Question three"));
        var sweep = new CaseSweep(_factory, new WriteGate(), _settings, _clock, NullLogger<CaseSweep>.Instance);
        Assert.Equal(1, await sweep.SweepAsync(CancellationToken.None));
        var byConversation = (await CasesAsync()).ToDictionary(c => c.ConversationId!);
        Assert.Equal("resolved", byConversation["c1"].Status);
        Assert.Equal(T0.AddHours(1).AddDays(7), byConversation["c1"].ResolvedAt);
        Assert.Equal("waiting", byConversation["c2"].Status); // answered five days before the clock
        Assert.Equal("open", byConversation["c3"].Status);
        Assert.True(byConversation["c3"].Breached);
        Assert.Equal(0, await sweep.SweepAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Emoji_only_and_other_language_messages_open_cases_with_neutral_sentiment_and_never_fail_the_page()
    {
        var result = await WriteAsync(Chat("c1", true, T0, "🙂🙂"), Chat("c2", true, T0, "สินค้ามาถึงเมื่อไหร่คะ"), Chat("c3", true, T0, "   "));
        Assert.Equal(3, result.Inserted);
        Assert.Equal(3, (await CasesAsync()).Count);
        await using var db = await _factory.CreateDbContextAsync();
        var thai = await db.Messages.SingleAsync(m => m.ConversationId == "c2");
        Assert.Equal(0, thai.Sentiment);
        Assert.All(await db.Messages.ToListAsync(), m => Assert.InRange(m.Sentiment, -1, 1));
    }

    [Fact]
    public async Task Breach_and_target_follow_the_stores_hours_weekends_and_time_zone()
    {
        // Friday 17:00 in Singapore, answered Monday 10:00: two business hours, 65 hours elapsed: target missed, no breach.
        var friday = new DateTimeOffset(2026, 10, 9, 17, 0, 0, TimeSpan.FromHours(8));
        await WriteAsync(Chat("c1", true, friday, "Is the shop open tomorrow?"), Chat("c1", false, friday.AddHours(65), "We were closed for the weekend, sorry."));
        // Saturday: due Monday 18:00; never answered: breached 72 hours later.
        var saturday = new DateTimeOffset(2026, 10, 10, 11, 0, 0, TimeSpan.FromHours(8));
        await WriteAsync(Chat("c2", true, saturday, "Hello?"));
        var cases = (await CasesAsync()).ToDictionary(c => c.ConversationId!);
        var weekend = cases["c1"];
        Assert.Equal(new DateTimeOffset(2026, 10, 9, 18, 0, 0, TimeSpan.FromHours(8)), weekend.DueAt);
        Assert.Equal(65 * 60, weekend.FirstResponseMinutes);
        Assert.Equal(120, weekend.FirstResponseBusinessMinutes);
        Assert.False(weekend.MetTarget);
        Assert.False(weekend.Breached);
        var unanswered = cases["c2"];
        Assert.Equal(new DateTimeOffset(2026, 10, 12, 18, 0, 0, TimeSpan.FromHours(8)), unanswered.DueAt);
        Assert.True(unanswered.Breached);

        var breached = await CasesAsync(new CaseFilter(null, null, true, null, null, null, null, null));
        Assert.Equal(["c2"], breached.Select(c => c.ConversationId));
        var notBreached = await CasesAsync(new CaseFilter(null, null, false, null, null, null, null, null));
        Assert.Equal(["c1"], notBreached.Select(c => c.ConversationId));
    }
}
