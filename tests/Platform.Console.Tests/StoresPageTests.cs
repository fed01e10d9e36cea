using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Platform.Host.Tests.Support;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Platform.Console.Tests;

/// <summary>
/// The stores pages in Chromium: a sandbox store added through the form generated from the plugin's settings schema
/// (a validation message at its field first), test connection, sync now until the runs finish, cursor reset after a
/// confirmation, delete, a secret shown only as set, and the pages in Chinese on a phone-width screen.
/// </summary>
public sealed class StoresPageTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Small sandbox settings: a sync reads a few hundred records in seconds.</summary>
    private static readonly object SmallSandbox = new { population = 11, people = 40, ordersPerDay = 5, country = "SG" };

    /// <summary>
    /// Creates the merchant and a second one: with a single merchant the sign-in page picks it by itself, and
    /// <see cref="ConsoleSteps.SignInAsync"/> would wait for a merchant list that never shows (when this test runs first).
    /// </summary>
    private static async Task CreateMerchantsAsync(HttpClient api, string merchant)
    {
        await api.CreateMerchantAsync(merchant);
        await api.CreateMerchantAsync(merchant + "-other");
    }

    private static string Day(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_sandbox_store_is_added_through_the_generated_form_after_a_bad_value_is_refused_at_its_field()
    {
        using (var api = fixture.Host.Client()) await CreateMerchantsAsync(api, "st-add");
        var page = await fixture.NewPageAsync();
        await page.SignInAsync(HostProcess.AdminKey, "st-add");
        await page.NavigateAsync("Stores");
        await Expect(page.GetByText("No stores yet — add your first")).ToBeVisibleAsync();
        await page.ShotAsync(nameof(StoresPageTests), "empty");

        await page.GetByTestId("add-store").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/stores/new$"));
        // A nested object of the schema is a titled group of its own fields.
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Plugin" }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "CSV order history (csv-import)" }).ClickAsync();
        var columns = page.GetByRole(AriaRole.Group, new() { Name = "Columns" });
        await Expect(columns.GetByLabel("buyerId")).ToBeVisibleAsync();
        await Expect(columns.GetByLabel("buyerId")).ToHaveAttributeAsync("required", "");
        await Expect(page.GetByRole(AriaRole.Switch, new() { Name = "Header row" })).ToBeCheckedAsync();
        await page.ShotAsync(nameof(StoresPageTests), "new-csv");

        await page.GetByRole(AriaRole.Combobox, new() { Name = "Plugin" }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Sandbox marketplace (sandbox)" }).ClickAsync();
        // The schema's defaults are filled in, titles are the labels.
        await Expect(page.GetByLabel("Page size")).ToHaveValueAsync("100");
        await Expect(page.GetByLabel("Currency")).ToHaveValueAsync("USD");
        await page.GetByLabel("Store id").FillAsync("shop-1");
        await page.GetByLabel("Display name").FillAsync("Sandbox shop");
        await page.GetByLabel("Read history since").FillAsync(Day(DateTimeOffset.UtcNow.AddDays(-30)));
        await page.GetByLabel("Population").FillAsync("11");
        await page.GetByLabel("People", new() { Exact = true }).FillAsync("0");
        await page.GetByLabel("Orders per day").FillAsync("5");
        await page.GetByLabel("Country").FillAsync("SG");
        await page.ShotAsync(nameof(StoresPageTests), "new-filled");
        await page.GetByTestId("save").ClickAsync();

        // The API's message sits at the field it is about.
        await Expect(page.GetByTestId("field-settings.people")).ToContainTextAsync("is below the minimum 1");
        await Expect(page.GetByTestId("field-settings.population")).Not.ToContainTextAsync("minimum");
        await Expect(page).ToHaveURLAsync(new Regex("/stores/new$"));
        await page.ShotAsync(nameof(StoresPageTests), "new-invalid");

        await page.GetByLabel("People", new() { Exact = true }).FillAsync("40");
        await Expect(page.GetByTestId("field-settings.people")).Not.ToContainTextAsync("minimum");
        await page.GetByTestId("save").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/stores/shop-1$"));
        await Expect(page.GetByTestId("store-title")).ToHaveTextAsync("Sandbox shop");
        await page.ShotAsync(nameof(StoresPageTests), "added");

        using (var api = fixture.Host.Client())
        {
            var store = await api.GetJsonAsync("/api/v1/merchants/st-add/stores/shop-1");
            Assert.Equal("sandbox", store.GetProperty("plugin").GetString());
            Assert.Equal(40, store.GetProperty("settings").GetProperty("people").GetInt32());
            Assert.Equal(11, store.GetProperty("settings").GetProperty("population").GetInt32());
            Assert.Equal(Day(DateTimeOffset.UtcNow.AddDays(-30)), Day(store.GetProperty("since").GetDateTimeOffset()));
        }

        await page.NavigateAsync("Stores");
        await Expect(page.GetByTestId("store-shop-1")).ToHaveTextAsync("Sandbox shop");
        await Expect(page.GetByTestId("stores")).ToContainTextAsync("never run");
        await page.ShotAsync(nameof(StoresPageTests), "list");
    }

    [Fact]
    public async Task Test_connection_sync_now_cursor_reset_and_delete_work_from_the_store_page()
    {
        var since = DateTimeOffset.UtcNow.AddDays(-30);
        using (var api = fixture.Host.Client())
        {
            await CreateMerchantsAsync(api, "st-sync");
            await api.PutStoreAsync("st-sync", "sync-1", SmallSandbox, since, new { orders = "0 0 3 * * ?" });
        }
        var page = await fixture.NewPageAsync();
        await page.SignInAsync(HostProcess.AdminKey, "st-sync");
        await page.NavigateAsync("Stores");
        await Expect(page.GetByTestId("stores")).ToContainTextAsync("0 0 3 * * ?");
        await page.GetByTestId("store-sync-1").ClickAsync();
        await Expect(page.GetByTestId("no-runs")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Expect(page.GetByTestId("check-result")).ToContainTextAsync("Connection works.");
        await page.ShotAsync(nameof(StoresPageTests), "check");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sync now" }).ClickAsync();
        await Expect(page.GetByTestId("sync-started")).ToContainTextAsync("Orders #");
        // The page refreshes the run list by itself until every run finished.
        var runs = page.GetByTestId("runs");
        await Expect(runs.Locator("[data-status=succeeded]")).ToHaveCountAsync(3, new() { Timeout = (float)RunTimeout.TotalMilliseconds });
        await Expect(runs.Locator("[data-status=running]")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("runs-waiting")).ToBeHiddenAsync();
        var ordersRun = runs.Locator("tr").Filter(new() { HasText = "Orders" });
        await Expect(ordersRun.GetByTestId("run-read")).ToHaveTextAsync(new Regex(@"^[1-9][\d,]*$"));
        await page.ShotAsync(nameof(StoresPageTests), "synced");

        // Reset asks for a date and a confirmation; cancelling changes nothing.
        var newSince = Day(DateTimeOffset.UtcNow.AddDays(-10));
        await page.GetByTestId("reset-orders").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Reset the Orders cursor?");
        await Expect(page.Locator("#cursor-since")).ToHaveValueAsync(Day(since));
        await page.ShotAsync(nameof(StoresPageTests), "reset-dialog");
        await page.GetByTestId("cancel-reset").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(page.GetByTestId("cursor-since-orders")).Not.ToHaveTextAsync(newSince);

        await page.GetByTestId("reset-orders").ClickAsync();
        await page.Locator("#cursor-since").FillAsync(newSince);
        await page.GetByTestId("confirm-reset").ClickAsync();
        await Expect(page.GetByTestId("cursor-since-orders")).ToHaveTextAsync(newSince);
        await Expect(page.GetByTestId("cursor-since-reviews")).Not.ToHaveTextAsync(newSince);
        await page.ShotAsync(nameof(StoresPageTests), "reset");
        using (var api = fixture.Host.Client())
        {
            var cursors = await api.GetJsonAsync("/api/v1/merchants/st-sync/stores/sync-1/cursors");
            var orders = cursors.GetProperty("items").EnumerateArray().Single(c => c.GetProperty("stream").GetString() == "orders");
            Assert.Equal(newSince, Day(orders.GetProperty("since").GetDateTimeOffset()));
            Assert.Equal(System.Text.Json.JsonValueKind.Null, orders.GetProperty("cursor").ValueKind);
            var all = await api.GetAllAsync("/api/v1/merchants/st-sync/stores/sync-1/runs");
            Assert.All(all, r => Assert.Equal("succeeded", r.GetProperty("status").GetString()));
            Assert.Contains(all, r => r.GetProperty("read").GetInt32() > 0);
        }

        // Delete asks first.
        await page.GetByTestId("delete").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("Delete store?");
        await page.ShotAsync(nameof(StoresPageTests), "delete-dialog");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/stores$"));
        await Expect(page.GetByText("No stores yet — add your first")).ToBeVisibleAsync();
        using (var api = fixture.Host.Client())
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/merchants/st-sync/stores/sync-1")).StatusCode);
    }

    [Fact]
    public async Task A_secret_setting_shows_as_set_never_its_value_and_schedule_and_hours_errors_sit_at_their_fields()
    {
        const string partnerKey = "st-partner-key-do-not-show-0815";
        const string accessToken = "st-access-token-do-not-show-4711";
        string key;
        using (var api = fixture.Host.Client())
        {
            await api.CreateMerchantAsync("st-secret");
            var response = await api.PutJsonAsync("/api/v1/merchants/st-secret/stores/shopee-1", new
            {
                plugin = "shopee",
                displayName = "Shopee shop",
                settings = new { baseUrl = "http://127.0.0.1:9", partnerId = 1001, partnerKey, shopId = 2002, accessToken, refreshToken = "st-refresh-token-do-not-show" },
                since = DateTimeOffset.UtcNow.AddDays(-7),
                enabled = false,
            });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            key = (await (await api.PostAsync("/api/v1/merchants/st-secret/keys", null)).ReadJsonAsync()).GetProperty("key").GetString()!;
        }
        var page = await fixture.NewPageAsync();
        await page.SignInAsync(key);
        await page.GotoAsync("/stores/shopee-1");
        await Expect(page.GetByTestId("store-title")).ToHaveTextAsync("Shopee shop");
        await Expect(page.GetByTestId("field-settings.partnerKey")).ToContainTextAsync("Set — leave empty to keep.");
        await Expect(page.GetByLabel("Partner key")).ToHaveValueAsync("");
        await Expect(page.GetByLabel("Partner key")).ToHaveAttributeAsync("type", "password");
        await Expect(page.GetByLabel("Shop ID")).ToHaveValueAsync("2002");
        await page.ShotAsync(nameof(StoresPageTests), "secret");
        var html = await page.ContentAsync();
        Assert.DoesNotContain(partnerKey, html);
        Assert.DoesNotContain(accessToken, html);
        Assert.DoesNotContain("***", html);

        // A bad schedule and business hours: each message next to its field.
        await page.GetByTestId("hours-on").ClickAsync();
        await page.GetByLabel("Time zone").FillAsync("Mars/Olympus");
        await page.GetByLabel("Orders schedule").FillAsync("every minute");
        await page.GetByTestId("save").ClickAsync();
        await Expect(page.GetByTestId("field-businessHours.timeZone")).ToContainTextAsync("Unknown time zone 'Mars/Olympus'");
        await Expect(page.GetByTestId("field-schedules.orders")).ToContainTextAsync("not a valid Quartz cron expression");
        await Expect(page.GetByTestId("form-errors")).ToContainTextAsync("see the messages at the fields");
        await page.ShotAsync(nameof(StoresPageTests), "edit-invalid");

        // Saving without typing a secret keeps every secret (sent back as "***"); the changes are saved.
        await page.GetByLabel("Time zone").FillAsync("Asia/Singapore");
        await page.GetByLabel("Orders schedule").FillAsync("0 0 4 * * ?");
        await page.GetByLabel("Display name").FillAsync("Shopee shop SG");
        await page.GetByTestId("save").ClickAsync();
        await Expect(page.GetByTestId("store-title")).ToHaveTextAsync("Shopee shop SG");
        await Expect(page.GetByTestId("field-settings.accessToken")).ToContainTextAsync("Set — leave empty to keep.");
        Assert.DoesNotContain(partnerKey, await page.ContentAsync());
        using var client = fixture.Host.Client();
        var store = await client.GetJsonAsync("/api/v1/merchants/st-secret/stores/shopee-1");
        Assert.Equal("***", store.GetProperty("settings").GetProperty("partnerKey").GetString());
        Assert.Equal(2002, store.GetProperty("settings").GetProperty("shopId").GetInt32());
        Assert.False(store.GetProperty("enabled").GetBoolean());
        Assert.Equal("0 0 4 * * ?", store.GetProperty("schedules").GetProperty("orders").GetString());
        Assert.Equal("Asia/Singapore", store.GetProperty("businessHours").GetProperty("timeZone").GetString());
        Assert.Equal(5, store.GetProperty("businessHours").GetProperty("days").GetArrayLength());
    }

    [Fact]
    public async Task On_a_phone_the_stores_pages_speak_chinese()
    {
        using (var api = fixture.Host.Client())
        {
            await CreateMerchantsAsync(api, "st-zh");
            await api.PutStoreAsync("st-zh", "zh-1", SmallSandbox, DateTimeOffset.UtcNow.AddDays(-30));
        }
        var page = await fixture.NewPageAsync(phone: true);
        await page.SignInAsync(HostProcess.AdminKey, "st-zh");
        await page.GotoAsync("/stores");
        await Expect(page.GetByTestId("store-zh-1")).ToBeVisibleAsync();
        await page.GetByTestId("language").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "店铺" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("stores")).ToContainTextAsync("上次运行");
        await Expect(page.GetByTestId("add-store")).ToHaveTextAsync("添加店铺");
        await page.ShotAsync(nameof(StoresPageTests), "list-zh-phone");

        await page.GetByTestId("store-zh-1").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "测试连接" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "立即同步" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "运行记录" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("显示名称")).ToHaveValueAsync("zh-1");
        await Expect(page.GetByTestId("cursors")).ToContainTextAsync("订单");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "保存" })).ToBeVisibleAsync();
        await page.ShotAsync(nameof(StoresPageTests), "store-zh-phone");

        await page.GetByTestId("reset-orders").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("重置订单游标？");
        await Expect(page.GetByTestId("confirm-reset")).ToHaveTextAsync("重置游标");
        await page.ShotAsync(nameof(StoresPageTests), "reset-zh-phone");
        await page.GetByTestId("cancel-reset").ClickAsync();

        await page.GotoAsync("/stores/new?plugin=sandbox");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "添加店铺" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("店铺标识")).ToBeVisibleAsync();
        await Expect(page.GetByText("连接设置")).ToBeVisibleAsync();
        await page.ShotAsync(nameof(StoresPageTests), "new-zh-phone");
        // Back to English for whoever uses the context next.
        await page.GetByTestId("language").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Add a store" })).ToBeVisibleAsync();
    }
}
