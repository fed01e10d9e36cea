using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Platform.Host.Tests.Support;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Platform.Console.Tests;

/// <summary>
/// The customers list and the customer profile in Chromium, on merchant cu-1 with two sandbox stores (SG and MY) that share one
/// population, so people buy in both: search as you type, filters, sorting, the profile's identities, value, points and
/// timeline across stores, merging a possible duplicate, and the profile in Chinese.
/// </summary>
public sealed class CustomerPagesTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private const string Merchant = "cu-1";
    private static readonly string Customers = $"/api/v1/merchants/{Merchant}/customers";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static HostProcess? _seeded;
    private static string _key = "";

    /// <summary>The merchant, its two stores synced and everyone scored, once per host.</summary>
    private async Task<HttpClient> SeedAsync()
    {
        var api = fixture.Host.Client();
        await Gate.WaitAsync();
        try
        {
            if (_seeded == fixture.Host) return api;
            await api.CreateMerchantAsync(Merchant, "SGD");
            var since = ClosedStores.Today.AddDays(-90);
            await api.PutStoreAsync(Merchant, "sg", new { population = 11, people = 40, ordersPerDay = 8, country = "SG", currency = "SGD", closedOn = ClosedStores.ClosedOn }, since);
            await api.PutStoreAsync(Merchant, "my", new { population = 11, people = 40, ordersPerDay = 8, country = "MY", currency = "SGD", closedOn = ClosedStores.ClosedOn }, since);
            await api.SyncAsync(Merchant, "sg");
            await api.SyncAsync(Merchant, "my");
            await api.WaitForProfilesAsync(Merchant);
            await api.ScoreAsync(Merchant);
            // The merchant's own key: the console sees exactly what the merchant may see.
            _key = (await (await api.PostAsync($"/api/v1/merchants/{Merchant}/keys", null)).ReadJsonAsync()).GetProperty("key").GetString()!;
            _seeded = fixture.Host;
            return api;
        }
        finally
        {
            Gate.Release();
        }
    }

    private async Task<IPage> CustomersPageAsync(bool phone = false)
    {
        var page = await fixture.NewPageAsync(phone);
        await page.SignInAsync(_key);
        if (phone) await page.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync();
        await page.NavigateAsync("Customers");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Customers", Exact = true })).ToBeVisibleAsync();
        return page;
    }

    /// <summary>The table's customer rows (not its loading or empty row).</summary>
    private static ILocator Rows(IPage page) => page.GetByTestId("customer-table").Locator("tbody tr:has([data-testid=customer-name])");

    private static string Name(JsonElement c) => c.GetProperty("name").GetString()!;

    [Fact]
    public async Task Searching_as_you_type_finds_a_customer_by_part_of_the_name()
    {
        using var api = await SeedAsync();
        var all = await api.GetAllAsync(Customers);
        // "Irfan Sa" for Irfan Salleh: the first name and the start of the last.
        var person = all.Select(Name).First(n => Regex.IsMatch(n, "^[A-Za-z]+ [A-Za-z]{3,}$"));
        var part = person[..(person.IndexOf(' ') + 3)];
        var expected = await api.GetJsonAsync($"{Customers}?q={Uri.EscapeDataString(part)}");
        Assert.Contains(expected.GetProperty("items").EnumerateArray(), c => Name(c) == person);

        var page = await CustomersPageAsync();
        await Expect(Rows(page)).ToHaveCountAsync(10);
        await page.ShotAsync(nameof(CustomerPagesTests), "list");
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search" }).PressSequentiallyAsync(part, new() { Delay = 60 });
        await Expect(Rows(page)).ToHaveCountAsync(expected.GetProperty("total").GetInt32());
        await Expect(page.GetByTestId("customer-name").Filter(new() { HasText = person })).ToBeVisibleAsync();
        await page.ShotAsync(nameof(CustomerPagesTests), "search");

        // Nobody by that name: the empty state says so.
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search" }).FillAsync("zzzq-nobody");
        await Expect(page.GetByTestId("no-customers")).ToContainTextAsync("No customers match these filters.");
        await page.ShotAsync(nameof(CustomerPagesTests), "search-empty");

        // A row opens the customer's profile.
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search" }).FillAsync(part);
        await page.GetByTestId("customer-name").Filter(new() { HasText = person }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = person })).ToBeVisibleAsync();
        await page.ShotAsync(nameof(CustomerPagesTests), "search-opened");
    }

    [Fact]
    public async Task Filtering_by_store_lists_only_that_stores_customers()
    {
        using var api = await SeedAsync();
        var total = (await api.GetJsonAsync($"{Customers}?store=my&pageSize=1")).GetProperty("total").GetInt32();
        var everyone = (await api.GetJsonAsync($"{Customers}?pageSize=1")).GetProperty("total").GetInt32();
        Assert.True(total < everyone, $"every customer buys in my ({total} of {everyone}): the filter would show nothing");

        var page = await CustomersPageAsync();
        await Expect(page.GetByText($"1–10 of {everyone}")).ToBeVisibleAsync();
        await page.GetByLabel("Store").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "my", Exact = true }).ClickAsync();
        await Expect(page.GetByText($"1–10 of {total}")).ToBeVisibleAsync();
        await Expect(Rows(page)).ToHaveCountAsync(10);
        foreach (var row in await Rows(page).AllAsync())
            await Expect(row.GetByTestId("store-badge").Filter(new() { HasText = "my" })).ToHaveCountAsync(1);
        await page.ShotAsync(nameof(CustomerPagesTests), "filter-store");

        // And a tier on top: both filters apply.
        var gold = (await api.GetJsonAsync($"{Customers}?store=my&tier=Gold&pageSize=1")).GetProperty("total").GetInt32();
        Assert.True(gold is > 0 and < 10_000);
        await page.GetByLabel("Tier").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Gold", Exact = true }).ClickAsync();
        await Expect(page.GetByText($"1–{Math.Min(10, gold)} of {gold}")).ToBeVisibleAsync();
        foreach (var row in await Rows(page).AllAsync())
            await Expect(row).ToContainTextAsync("Gold");
        await page.ShotAsync(nameof(CustomerPagesTests), "filter-store-tier");
    }

    [Fact]
    public async Task Sorting_by_revenue_puts_the_biggest_spender_first_and_then_last()
    {
        using var api = await SeedAsync();
        var byRevenue = await api.GetAllAsync($"{Customers}?sort=revenue");

        var page = await CustomersPageAsync();
        await page.GetByRole(AriaRole.Columnheader, new() { Name = "Revenue" }).GetByText("Revenue").ClickAsync();
        await Expect(Rows(page).First.GetByTestId("customer-name")).ToHaveTextAsync(Name(byRevenue[0]));
        await Expect(Rows(page).Nth(1).GetByTestId("customer-name")).ToHaveTextAsync(Name(byRevenue[1]));
        await page.ShotAsync(nameof(CustomerPagesTests), "sort-revenue");

        // Again: smallest first, read from the other end of the API's list.
        await page.GetByRole(AriaRole.Columnheader, new() { Name = "Revenue" }).GetByText("Revenue").ClickAsync();
        await Expect(Rows(page).First.GetByTestId("customer-name")).ToHaveTextAsync(Name(byRevenue[^1]));
        await Expect(Rows(page).Nth(1).GetByTestId("customer-name")).ToHaveTextAsync(Name(byRevenue[^2]));
        await page.ShotAsync(nameof(CustomerPagesTests), "sort-revenue-ascending");
    }

    /// <summary>A customer who bought in both stores and whose newest 20 timeline items come from both.</summary>
    private static async Task<JsonElement> TwoStoreCustomerAsync(HttpClient api)
    {
        foreach (var c in (await api.GetAllAsync(Customers)).Where(c => c.GetProperty("stores").GetArrayLength() == 2))
        {
            var timeline = await api.GetJsonAsync($"{Customers}/{c.GetProperty("id").GetString()}/timeline?pageSize=20");
            var stores = timeline.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("store").GetString()).ToHashSet();
            if (stores.Contains("sg") && stores.Contains("my")) return c;
        }
        throw new InvalidOperationException("no customer bought in both stores recently");
    }

    [Fact]
    public async Task A_customer_who_bought_in_two_stores_shows_both_on_identities_and_timeline_with_value_and_points()
    {
        using var api = await SeedAsync();
        var customer = await TwoStoreCustomerAsync(api);
        var id = customer.GetProperty("id").GetString()!;
        var profile = await api.GetJsonAsync($"{Customers}/{id}");
        var points = await api.GetJsonAsync($"{Customers}/{id}/points");

        var page = await CustomersPageAsync();
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search" }).FillAsync(customer.GetProperty("email").GetString()!);
        await Expect(Rows(page)).ToHaveCountAsync(1);
        await Rows(page).First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/customers/{id}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = Name(customer) })).ToBeVisibleAsync();

        // Identities grouped by store, each store a badge.
        var groups = page.GetByTestId("identity-group");
        await Expect(groups).ToHaveCountAsync(2);
        await Expect(page.Locator("[data-testid=identity-group][data-store=sg]").GetByTestId("identity-store")).ToHaveTextAsync("sg");
        await Expect(page.Locator("[data-testid=identity-group][data-store=my]").GetByTestId("identity-store")).ToHaveTextAsync("my");
        await Expect(page.GetByTestId("identity")).ToHaveCountAsync(profile.GetProperty("identities").GetArrayLength());
        await page.ShotAsync(nameof(CustomerPagesTests), "profile");

        // The timeline has items of both stores, each with its badge and an icon; reviews and messages are coloured by sentiment.
        var timeline = page.GetByTestId("timeline");
        await Expect(timeline.GetByTestId("timeline-item")).ToHaveCountAsync(20);
        await Expect(timeline.GetByTestId("timeline-store").Filter(new() { HasText = "sg" }).First).ToBeVisibleAsync();
        await Expect(timeline.GetByTestId("timeline-store").Filter(new() { HasText = "my" }).First).ToBeVisibleAsync();
        await Expect(timeline.GetByTestId("timeline-icon")).ToHaveCountAsync(20);
        await Expect(timeline.GetByRole(AriaRole.Navigation).Or(page.GetByTestId("timeline-pager")).First).ToBeVisibleAsync();

        // Value: the six dimensions charted with their inputs, CLV and P(alive).
        var value = page.GetByTestId("value");
        await Expect(value.GetByTestId("value-chart").Locator("svg").First).ToBeVisibleAsync();
        await Expect(value.GetByTestId("value-dimension")).ToHaveCountAsync(6);
        await Expect(value.Locator("[data-testid=value-dimension][data-dimension=current]")).ToContainTextAsync("Spend, last 12 months");
        await Expect(value.GetByTestId("value-clv")).ToContainTextAsync("SGD");
        await Expect(value.GetByTestId("value-palive")).ToContainTextAsync("P(alive)");
        await Expect(value.GetByTestId("value-rfm")).ToBeVisibleAsync();
        await value.ScrollIntoViewIfNeededAsync();
        await page.ShotAsync(nameof(CustomerPagesTests), "profile-value");

        // Points: the balance and the ledger's first page.
        var panel = page.GetByTestId("points");
        await Expect(panel.GetByTestId("points-balance")).ToContainTextAsync(points.GetProperty("balance").GetInt64().ToString("N0"));
        await Expect(panel.GetByTestId("points-ledger").Locator("tbody tr")).ToHaveCountAsync(Math.Min(10, points.GetProperty("total").GetInt32()));
        await page.ShotAsync(nameof(CustomerPagesTests), "profile-points");
    }

    [Fact]
    public async Task A_manual_points_adjustment_shows_the_apis_message_next_to_the_field_then_books()
    {
        using var api = await SeedAsync();
        var customer = (await api.GetJsonAsync($"{Customers}?sort=orders&pageSize=1")).GetProperty("items")[0];
        var id = customer.GetProperty("id").GetString()!;
        var before = (await api.GetJsonAsync($"{Customers}/{id}/points")).GetProperty("balance").GetInt64();

        var page = await CustomersPageAsync();
        await page.GotoAsync($"/customers/{id}");
        var panel = page.GetByTestId("points");
        await Expect(panel.GetByTestId("points-balance")).ToContainTextAsync(before.ToString("N0"));
        await panel.GetByLabel("Points to add or remove").FillAsync("50");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Adjust points" }).ClickAsync();
        await Expect(panel.GetByTestId("points-reason-field")).ToContainTextAsync("say why, e.g. \"goodwill for a late delivery\"");
        await Expect(panel.GetByLabel("Reason")).ToHaveAttributeAsync("aria-invalid", "true");
        await panel.ScrollIntoViewIfNeededAsync();
        await page.ShotAsync(nameof(CustomerPagesTests), "points-reason-missing");

        await panel.GetByLabel("Reason").FillAsync("goodwill for a late delivery");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Adjust points" }).ClickAsync();
        await Expect(panel.GetByTestId("points-balance")).ToContainTextAsync((before + 50).ToString("N0"));
        await Expect(panel.GetByTestId("points-ledger").Locator("tbody tr").First).ToContainTextAsync("goodwill for a late delivery");
        await Expect(panel.GetByTestId("points-reason-field")).Not.ToContainTextAsync("say why");
        // The adjustment is on the timeline too.
        await Expect(page.GetByTestId("timeline-item").Filter(new() { HasText = "goodwill for a late delivery" })).ToBeVisibleAsync();
        await page.ShotAsync(nameof(CustomerPagesTests), "points-booked");
        Assert.Equal(before + 50, (await api.GetJsonAsync($"{Customers}/{id}/points")).GetProperty("balance").GetInt64());
    }

    [Fact]
    public async Task Merging_a_possible_duplicate_after_confirming_shows_the_survivor_and_the_old_id_notes_the_merge()
    {
        using var api = await SeedAsync();
        string? id = null, other = null;
        foreach (var c in await api.GetAllAsync(Customers))
        {
            var similar = await api.GetJsonAsync($"{Customers}/{c.GetProperty("id").GetString()}/similar");
            if (similar.GetArrayLength() == 0) continue;
            (id, other) = (c.GetProperty("id").GetString(), similar[0].GetProperty("id").GetString());
            break;
        }
        Assert.True(id is not null && other is not null, "the population has no possible duplicates");

        var page = await CustomersPageAsync();
        await page.GotoAsync($"/customers/{id}");
        var similarPanel = page.GetByTestId("similar");
        await Expect(similarPanel.GetByTestId("similar-customer")).ToContainTextAsync(other!);
        await Expect(page.GetByTestId("merge-history")).ToContainTextAsync("No merges or splits.");
        await similarPanel.GetByRole(AriaRole.Button, new() { Name = $"Merge with {other}" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Merge these customers?");
        await page.ShotAsync(nameof(CustomerPagesTests), "merge-confirm");
        // Cancel changes nothing.
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await similarPanel.GetByRole(AriaRole.Button, new() { Name = $"Merge with {other}" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Merge", Exact = true }).ClickAsync();
        await Expect(page.GetByText(new Regex("^Merged into customer c[0-9]+\\.$"))).ToBeVisibleAsync();

        // The older of the two survives; the page shows it with the merge in its history and on its timeline.
        var survivor = (await api.GetJsonAsync($"{Customers}/{id}")).GetProperty("id").GetString()!;
        var merged = survivor == id ? other! : id!;
        await Expect(page).ToHaveURLAsync(new Regex($"/customers/{survivor}$"));
        await Expect(page.GetByTestId("merge-history").GetByTestId("merge-event")).ToContainTextAsync($"Merged {merged} into {survivor}");
        await Expect(page.GetByTestId("timeline-item").And(page.Locator("[data-type=merge]"))).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("similar")).ToContainTextAsync("None found");
        await page.ShotAsync(nameof(CustomerPagesTests), "merged");

        // The merged-away id answers with the survivor, and the page says so.
        await page.GotoAsync($"/customers/{merged}");
        await Expect(page.GetByTestId("merged-note")).ToContainTextAsync($"Customer {merged} was merged into {survivor}");
        await page.ShotAsync(nameof(CustomerPagesTests), "merged-away-id");

        // An id nobody has: the page says so in words.
        await page.GotoAsync("/customers/c-nobody");
        await Expect(page.GetByTestId("error")).ToContainTextAsync("customer 'c-nobody' does not exist");
        await page.ShotAsync(nameof(CustomerPagesTests), "unknown-id");
    }

    [Fact]
    public async Task Splitting_an_identity_off_after_confirming_makes_a_new_customer_of_that_account()
    {
        using var api = await SeedAsync();
        var customer = (await api.GetAllAsync(Customers)).Last(c => c.GetProperty("stores").GetArrayLength() == 2);
        var id = customer.GetProperty("id").GetString()!;
        var profile = await api.GetJsonAsync($"{Customers}/{id}");
        var buyer = profile.GetProperty("identities").EnumerateArray().First(i => i.GetProperty("kind").GetString() == "buyer" && i.GetProperty("store").GetString() == "my")
            .GetProperty("value").GetString()!;

        var page = await CustomersPageAsync();
        await page.GotoAsync($"/customers/{id}");
        await Expect(page.GetByTestId("identity-group")).ToHaveCountAsync(2);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Split {buyer} off" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Split off this identity?");
        await Expect(dialog).ToContainTextAsync(buyer);
        await page.ShotAsync(nameof(CustomerPagesTests), "split-confirm");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Split", Exact = true }).ClickAsync();

        await Expect(page.GetByText(new Regex("^Split off into customer c[0-9]+\\.$"))).ToBeVisibleAsync();
        await Expect(page.GetByTestId("identity-group")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid=identity-group][data-store=sg]")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("merge-history").GetByTestId("merge-event")).ToContainTextAsync($"store my buyer {buyer}");
        await page.ShotAsync(nameof(CustomerPagesTests), "split");
        var after = await api.GetJsonAsync($"{Customers}/{id}");
        Assert.DoesNotContain(after.GetProperty("identities").EnumerateArray(), i => i.GetProperty("value").GetString() == buyer);
    }

    [Fact]
    public async Task The_profile_speaks_chinese_and_fits_a_phone_screen()
    {
        using var api = await SeedAsync();
        var customer = await TwoStoreCustomerAsync(api);
        var id = customer.GetProperty("id").GetString()!;

        var page = await CustomersPageAsync(phone: true);
        await Expect(Rows(page)).ToHaveCountAsync(10);
        await page.ShotAsync(nameof(CustomerPagesTests), "phone-list");
        await page.GotoAsync($"/customers/{id}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Identities" })).ToBeVisibleAsync();
        await page.ShotAsync(nameof(CustomerPagesTests), "phone-profile");

        await page.GetByTestId("language").ClickAsync();
        foreach (var heading in new[] { "身份标识", "店铺", "客户价值", "会员等级", "客户服务", "积分", "可能的重复客户", "合并记录", "时间线" })
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("value-clv")).ToContainTextAsync("客户终身价值");
        await Expect(page.GetByTestId("timeline-type").First).ToHaveTextAsync(new Regex("订单|评价|消息|工单|合并|拆分|等级|积分"));
        await page.ShotAsync(nameof(CustomerPagesTests), "phone-profile-zh");

        // The list in Chinese too.
        await page.GotoAsync("/customers");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "客户", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Searchbox, new() { Name = "搜索" })).ToBeVisibleAsync();
        await page.ShotAsync(nameof(CustomerPagesTests), "phone-list-zh");
        // Back to English for the other tests' cookie-free contexts (each test has its own context anyway).
        await page.GetByTestId("language").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Customers", Exact = true })).ToBeVisibleAsync();
    }
}
