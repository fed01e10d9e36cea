using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Platform.Host.Tests.Support;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Platform.Console.Tests;

/// <summary>
/// The service inbox, a case and the insights page in Chromium against a closed sandbox store synced once (orders,
/// reviews, chats): what the pages show is checked against what the API answers.
/// </summary>
public sealed class ServicePagesTests(ServicePagesTests.Fixture fixture) : IClassFixture<ServicePagesTests.Fixture>
{
    private const string M = "sv-1";
    private const string Store = "sv-sg";
    private const string Empty = "sv-empty";
    private static readonly CultureInfo En = CultureInfo.GetCultureInfo("en");

    public sealed class Fixture : ConsoleFixture
    {
        // The sweep of answered cases would change statuses between the API's count and the page's: it has its own test.
        protected override IDictionary<string, string> Settings => new Dictionary<string, string> { ["Platform:Service:SweepCron"] = "0 0 0 1 1 ? 2099" };

        private readonly SemaphoreSlim _gate = new(1, 1);
        private bool _synced;

        /// <summary>One closed sandbox store synced once for the class (its history no longer changes), and a merchant with nothing.</summary>
        public async Task SyncOnceAsync()
        {
            await _gate.WaitAsync();
            try
            {
                if (_synced) return;
                using var api = Host.Client();
                await api.CreateMerchantAsync(M, "SGD");
                await api.CreateMerchantAsync(Empty, "SGD");
                await api.PutStoreAsync(M, Store,
                    new { population = 11, people = 60, ordersPerDay = 10, country = "SG", currency = "SGD", closedOn = ClosedStores.ClosedOn },
                    ClosedStores.Today.AddDays(-90));
                await api.SyncAsync(M, Store);
                await api.WaitForProfilesAsync(M);
                // The scoring after the sync (which also fits the first value model) is done before the first page opens.
                await Eventually.Until(async () => (await api.GetAsync(Url("/insights/scores"))).IsSuccessStatusCode, TimeSpan.FromSeconds(120),
                    () => $"{M} was not scored after its sync");
                // The first sign-in of a cold host (first circuit, data-protection key, JIT) can take longer than a step's
                // 30 s on a busy machine: done once here with more time, so the tests' timeouts measure the pages.
                var warmUp = await NewPageAsync();
                warmUp.Context.SetDefaultTimeout(120_000);
                await warmUp.SignInAsync(HostProcess.AdminKey, M);
                await warmUp.Context.CloseAsync();
                _synced = true;
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    private static string Url(string path) => $"/api/v1/merchants/{M}{path}";

    private async Task<(HttpClient Api, IPage Page)> SignedInAsync(string merchant = M, bool phone = false)
    {
        await fixture.SyncOnceAsync();
        var page = await fixture.NewPageAsync(phone);
        await page.SignInAsync(HostProcess.AdminKey, merchant);
        return (fixture.Host.Client(), page);
    }

    private static ILocator Rows(IPage page) => page.GetByTestId("cases").Locator("tbody tr");

    [Fact]
    public async Task The_inbox_lists_the_open_cases_the_api_reports_negative_reviews_first_and_filters_breached_ones()
    {
        var (api, page) = await SignedInAsync();
        using var _ = api;
        var open = await api.GetJsonAsync(Url("/cases?status=open,waiting&pageSize=25"));
        var total = open.GetProperty("total").GetInt32();
        var items = open.GetProperty("items").EnumerateArray().ToList();
        Assert.True(total > 0, "the store opened no cases");
        // The API's priority: open before waiting, reviews before chats among the open ones.
        var openItems = items.TakeWhile(c => c.GetProperty("status").GetString() == "open").ToList();
        Assert.Equal(openItems.OrderBy(c => c.GetProperty("channel").GetString() == "review" ? 0 : 1).Select(Id), openItems.Select(Id));
        if (openItems.Any(c => c.GetProperty("channel").GetString() == "review")) Assert.Equal("review", items[0].GetProperty("channel").GetString());

        await page.NavigateAsync("Service inbox");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Service inbox" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("case-total")).ToHaveTextAsync($"{total.ToString("N0", En)} cases");
        await Expect(page.GetByTestId("case-link")).ToHaveCountAsync(items.Count);
        for (var i = 0; i < Math.Min(items.Count, 5); i++)
            await Expect(page.GetByTestId("case-link").Nth(i)).ToHaveAttributeAsync("data-case", Id(items[i]));
        // Negative reviews first: the first row is the API's first case, with its channel and why it opened as chips.
        await Expect(Rows(page).First.GetByTestId($"channel-{items[0].GetProperty("channel").GetString()}")).ToBeVisibleAsync();
        foreach (var trigger in items[0].GetProperty("triggers").EnumerateArray())
            await Expect(Rows(page).First.GetByTestId($"trigger-{trigger.GetString()}")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("figure-open-now")).ToContainTextAsync(
            (await api.GetJsonAsync(Url("/service/stats"))).GetProperty("total").GetProperty("openNow").GetInt32().ToString("N0", En));
        await page.ShotAsync(nameof(ServicePagesTests), "inbox");

        var breached = await api.GetJsonAsync(Url("/cases?status=open,waiting&breached=true&pageSize=25"));
        var breachedTotal = breached.GetProperty("total").GetInt32();
        var shown = breached.GetProperty("items").GetArrayLength();
        await page.GetByRole(AriaRole.Switch, new() { Name = "Breached only" }).CheckAsync();
        await Expect(page.GetByTestId("case-total")).ToHaveTextAsync($"{breachedTotal.ToString("N0", En)} cases");
        await Expect(page.GetByTestId("case-link")).ToHaveCountAsync(shown);
        await Expect(page.GetByTestId("cases").GetByTestId("breached")).ToHaveCountAsync(shown);
        await page.ShotAsync(nameof(ServicePagesTests), "inbox-breached");

        // The overview's link starts the inbox with breached cases only.
        await page.GotoAsync("/inbox?breached=true");
        await Expect(page.GetByRole(AriaRole.Switch, new() { Name = "Breached only" })).ToBeCheckedAsync();
        await Expect(page.GetByTestId("case-total")).ToHaveTextAsync($"{breachedTotal.ToString("N0", En)} cases");
        await page.ShotAsync(nameof(ServicePagesTests), "inbox-breached-link");
    }

    [Fact]
    public async Task A_chat_case_shows_its_conversation_and_is_assigned_resolved_with_a_note_and_reopened()
    {
        var (api, page) = await SignedInAsync();
        using var _ = api;
        // An open chat, the oldest first; one whose conversation has the seller's answers too when there is one.
        var chats = (await api.GetJsonAsync(Url("/cases?status=open&channel=chat&pageSize=20"))).GetProperty("items").EnumerateArray().Select(Id).ToList();
        Assert.NotEmpty(chats);
        var (id, messages) = (chats[0], new List<JsonElement>());
        foreach (var candidate in chats)
        {
            var thread = (await api.GetJsonAsync(Url($"/cases/{candidate}"))).GetProperty("messages").EnumerateArray().ToList();
            if (candidate == chats[0]) messages = thread;
            if (!thread.Any(x => x.GetProperty("direction").GetString() == "outbound")) continue;
            (id, messages) = (candidate, thread);
            break;
        }
        Assert.NotEmpty(messages);

        await page.NavigateAsync("Service inbox");
        await page.GetByTestId("filter-channel").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Chats", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("case-link").First).ToHaveAttributeAsync("data-case", chats[0]);
        await Expect(Rows(page).GetByTestId("channel-review")).ToHaveCountAsync(0);
        await page.ShotAsync(nameof(ServicePagesTests), "inbox-chats");
        await page.Locator($"[data-testid=case-link][data-case='{id}']").ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Case {id}" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("trigger-unanswered")).ToBeVisibleAsync();
        var conversation = page.GetByRole(AriaRole.Log, new() { Name = "Conversation" });
        await Expect(conversation.GetByTestId("message")).ToHaveCountAsync(messages.Count);
        // The buyer's words on the left, the seller's on the right.
        await Expect(conversation.Locator("[data-direction=buyer]")).ToHaveCountAsync(messages.Count(x => x.GetProperty("direction").GetString() == "inbound"));
        await Expect(conversation.Locator("[data-direction=seller]")).ToHaveCountAsync(messages.Count(x => x.GetProperty("direction").GetString() == "outbound"));
        await Expect(conversation.GetByTestId("message").First).ToContainTextAsync(messages[0].GetProperty("text").GetString()!.Trim());
        await page.ShotAsync(nameof(ServicePagesTests), "case");

        // The API's refusal in words: a note needs text.
        await page.GetByTestId("add-note").ClickAsync();
        await Expect(page.GetByTestId("action-error")).ToContainTextAsync("give at least one of");

        await page.GetByLabel("Assignee").FillAsync("lin");
        await page.GetByTestId("assign").ClickAsync();
        await Expect(page.GetByTestId("assignee")).ToHaveTextAsync("Assigned to lin");
        await Expect(page.GetByTestId("event").Last).ToContainTextAsync("Assigned to lin.");

        await page.GetByLabel("Note").FillAsync("Refund sent, tracking shared.");
        await page.GetByTestId("resolve").ClickAsync();
        await Expect(page.GetByTestId("case-status")).ToHaveTextAsync("Resolved");
        await Expect(page.GetByTestId("event").Last).ToContainTextAsync("Resolved by hand: Refund sent, tracking shared.");
        await Expect(page.GetByTestId("resolved-at")).ToContainTextAsync("by hand");
        await page.ShotAsync(nameof(ServicePagesTests), "case-resolved");
        var after = (await api.GetJsonAsync(Url($"/cases/{id}"))).GetProperty("case");
        Assert.Equal("resolved", after.GetProperty("status").GetString());
        Assert.Equal("lin", after.GetProperty("assignee").GetString());

        await page.GetByTestId("reopen").ClickAsync();
        await Expect(page.GetByTestId("case-status")).ToHaveTextAsync("Open");
        await Expect(page.GetByTestId("event").Last).ToContainTextAsync("Reopened by hand.");
        await page.ShotAsync(nameof(ServicePagesTests), "case-reopened");
    }

    [Fact]
    public async Task Insights_show_hot_products_and_the_funnel_and_after_a_fit_predicted_against_actual()
    {
        var (api, page) = await SignedInAsync();
        using var _ = api;
        // The store closed 35 days ago: its sales are in the last 90 days, not the last 28.
        var hot = (await api.GetJsonAsync(Url("/insights/hot-products?days=90&top=20"))).GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(hot);
        var months = (await api.GetJsonAsync(Url("/insights/funnel"))).GetProperty("months").EnumerateArray().ToList();

        await page.NavigateAsync("Insights");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Insights" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("hot-empty")).ToHaveTextAsync("No sales in the last 28 days.");
        await page.GetByTestId("hot-days").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Last 90 days" }).ClickAsync();
        await Expect(page.GetByTestId("hot-sku")).ToHaveCountAsync(hot.Count);
        await Expect(page.GetByTestId("hot-sku").First).ToHaveTextAsync(hot[0].GetProperty("sku").GetString()!);

        await Expect(page.GetByTestId("funnel-new")).ToHaveCountAsync(months.Count);
        for (var i = 0; i < months.Count; i++)
            await Expect(page.GetByTestId("funnel-new").Nth(i)).ToHaveTextAsync(months[i].GetProperty("newBuyers").GetInt32().ToString("N0", En));
        await Expect(page.GetByTestId("funnel").Locator("svg").First).ToBeVisibleAsync();
        await Expect(page.GetByTestId("bought-together")).ToContainTextAsync("orders");
        await page.ShotAsync(nameof(ServicePagesTests), "insights");

        var today = DateOnly.FromDateTime(ClosedStores.Today.UtcDateTime);
        await page.GetByLabel("Calibration end").FillAsync(today.AddDays(-60).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.GetByLabel("Holdout end (optional)").FillAsync(today.AddDays(-35).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.GetByTestId("fit-now").ClickAsync();
        await Expect(page.GetByTestId("holdout-predicted")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var holdout = (await api.GetJsonAsync(Url("/insights/model"))).GetProperty("holdout");
        await Expect(page.GetByTestId("holdout-predicted")).ToContainTextAsync(holdout.GetProperty("predictedRepeatPurchases").GetDouble().ToString("N1", En));
        await Expect(page.GetByTestId("holdout-actual")).ToContainTextAsync(holdout.GetProperty("actualRepeatPurchases").GetInt32().ToString("N0", En));
        await Expect(page.GetByTestId("model-customers")).ToContainTextAsync(holdout.GetProperty("customers").GetInt32().ToString("N0", En));
        await Expect(page.GetByTestId("model-purchases")).ToBeVisibleAsync();
        await page.ShotAsync(nameof(ServicePagesTests), "insights-model");

        // A date the API refuses is shown in its words.
        await page.GetByLabel("Holdout end (optional)").FillAsync(today.AddDays(5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.GetByTestId("fit-now").ClickAsync();
        await Expect(page.GetByTestId("fit-error")).ToContainTextAsync("is in the future");
    }

    [Fact]
    public async Task A_merchant_with_nothing_sees_empty_states_in_words()
    {
        var (api, page) = await SignedInAsync(Empty);
        using var _ = api;
        await page.NavigateAsync("Service inbox");
        await Expect(page.GetByTestId("no-cases")).ToHaveTextAsync("No open cases — all caught up");
        await Expect(page.GetByTestId("case-total")).ToHaveTextAsync("0 cases");
        await page.ShotAsync(nameof(ServicePagesTests), "inbox-empty");
        await page.NavigateAsync("Insights");
        await Expect(page.GetByTestId("no-model")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("hot-empty")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("funnel-empty")).ToBeVisibleAsync();
        await page.ShotAsync(nameof(ServicePagesTests), "insights-empty");
    }

    [Fact]
    public async Task The_inbox_and_a_case_speak_chinese()
    {
        var (api, page) = await SignedInAsync();
        using var _ = api;
        var open = await api.GetJsonAsync(Url("/cases?status=open,waiting&pageSize=1"));
        var total = open.GetProperty("total").GetInt32();
        var channel = open.GetProperty("items")[0].GetProperty("channel").GetString();
        await page.NavigateAsync("Service inbox");
        await Expect(page.GetByTestId("case-total")).ToHaveTextAsync($"{total.ToString("N0", En)} cases");
        await page.GetByTestId("language").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "服务收件箱" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("case-total")).ToHaveTextAsync($"共 {total.ToString("N0", En)} 个工单");
        await Expect(page.GetByRole(AriaRole.Switch, new() { Name = "仅看已超时" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "渠道" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("figure-median-response")).ToContainTextAsync("首次响应中位数");
        await Expect(Rows(page).First.GetByRole(AriaRole.Img, new() { Name = channel == "review" ? "评价" : "聊天" })).ToBeVisibleAsync();
        await page.ShotAsync(nameof(ServicePagesTests), "inbox-zh");

        await page.GetByTestId("case-link").First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "操作" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "分配" })).ToBeVisibleAsync();
        await Expect(page.GetByText("历史记录").First).ToBeVisibleAsync();
        await page.ShotAsync(nameof(ServicePagesTests), "case-zh");
    }

    [Fact]
    public async Task On_a_phone_the_inbox_and_a_case_fit_the_screen()
    {
        var (api, page) = await SignedInAsync(phone: true);
        using var _ = api;
        await page.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync();
        await page.NavigateAsync("Service inbox");
        await Expect(page.GetByTestId("case-link").First).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), "the inbox scrolls sideways at 390 px");
        await page.ShotAsync(nameof(ServicePagesTests), "inbox-phone");
        await page.GetByTestId("case-link").First.ClickAsync();
        await Expect(page.GetByTestId("times")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), "the case scrolls sideways at 390 px");
        await page.ShotAsync(nameof(ServicePagesTests), "case-phone");
    }

    private static string Id(JsonElement c) => c.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
}
