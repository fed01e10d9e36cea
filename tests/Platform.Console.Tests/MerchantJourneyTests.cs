using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Platform.Host.Tests.Support;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Platform.Console.Tests;

/// <summary>
/// A merchant's first day in the console, end to end in Chromium: sign in with their key, add a sandbox store through
/// the generated form (a refused value shown at its field first), sync it, find a customer who bought in two stores and
/// see both on the timeline, resolve a case from the inbox, and read the console in Chinese.
/// </summary>
public sealed class MerchantJourneyTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    private const string M = "journey";
    private const string Test = nameof(MerchantJourneyTests);

    [Fact]
    public async Task A_merchant_adds_a_store_syncs_it_finds_a_two_store_customer_resolves_a_case_and_reads_it_in_chinese()
    {
        string key;
        using (var api = fixture.Host.Client())
        {
            await api.CreateMerchantAsync(M, "SGD");
            key = (await (await api.PostAsync($"/api/v1/merchants/{M}/keys", null)).ReadJsonAsync()).GetProperty("key").GetString()!;
        }
        var page = await fixture.NewPageAsync();
        await page.SignInAsync(key);
        await page.ShotAsync(Test, "1-signed-in");

        // A store through the form generated from the sandbox plugin's settings schema.
        await page.NavigateAsync("Stores");
        await page.GetByTestId("add-store").ClickAsync();
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Plugin" }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Sandbox marketplace (sandbox)" }).ClickAsync();
        await page.GetByLabel("Store id").FillAsync("sg");
        await page.GetByLabel("Display name").FillAsync("Singapore shop");
        await page.GetByLabel("Read history since").FillAsync(ClosedStores.Today.AddDays(-90).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.GetByLabel("Population").FillAsync("11");
        await page.GetByLabel("People", new() { Exact = true }).FillAsync("-3");
        await page.GetByLabel("Orders per day").FillAsync("8");
        await page.GetByLabel("Country").FillAsync("SG");
        await page.GetByLabel("Currency").FillAsync("SGD");
        await page.GetByTestId("save").ClickAsync();
        await Expect(page.GetByTestId("field-settings.people")).ToContainTextAsync("minimum");
        await page.ShotAsync(Test, "2-refused-at-its-field");
        await page.GetByLabel("People", new() { Exact = true }).FillAsync("40");
        await page.GetByTestId("save").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/stores/sg$"));
        await page.ShotAsync(Test, "3-store-added");

        // Sync now: the run list fills in by itself until the three streams succeeded.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sync now" }).ClickAsync();
        await Expect(page.GetByTestId("runs").Locator("[data-status=succeeded]")).ToHaveCountAsync(3, new() { Timeout = 180_000 });
        await page.ShotAsync(Test, "4-synced");

        // A second store of the same population (through the API: the form was shown once), so people buy in both.
        string customerId, email;
        using (var api = fixture.Host.Client())
        {
            await api.PutStoreAsync(M, "my", new { population = 11, people = 40, ordersPerDay = 8, country = "MY", currency = "SGD" }, ClosedStores.Today.AddDays(-90));
            await api.SyncAsync(M, "my");
            await api.WaitForProfilesAsync(M);
            // Someone who bought in both stores, with both on the first page of their timeline (the newest 20 items).
            (customerId, email) = ("", "");
            foreach (var c in (await api.GetAllAsync($"/api/v1/merchants/{M}/customers?sort=revenue"))
                         .Where(c => c.GetProperty("stores").GetArrayLength() == 2 && c.GetProperty("email").ValueKind == System.Text.Json.JsonValueKind.String))
            {
                var recent = await api.GetJsonAsync($"/api/v1/merchants/{M}/customers/{c.GetProperty("id").GetString()}/timeline?pageSize=20");
                if (recent.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("store").GetString()).Where(s => s is "sg" or "my").Distinct().Count() < 2) continue;
                (customerId, email) = (c.GetProperty("id").GetString()!, c.GetProperty("email").GetString()!);
                break;
            }
            Assert.NotEqual("", customerId);
        }

        await page.NavigateAsync("Customers");
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search" }).FillAsync(email);
        var rows = page.GetByTestId("customer-table").Locator("tbody tr:has([data-testid=customer-name])");
        await Expect(rows).ToHaveCountAsync(1);
        await page.ShotAsync(Test, "5-customer-found");
        await rows.First.GetByTestId("customer-name").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/customers/{customerId}$"));
        var timeline = page.GetByTestId("timeline");
        await Expect(timeline.GetByTestId("timeline-store").Filter(new() { HasText = "Singapore shop" }).First).ToBeVisibleAsync();
        await Expect(timeline.GetByTestId("timeline-store").Filter(new() { HasText = "my" }).First).ToBeVisibleAsync();
        await page.ShotAsync(Test, "6-profile-both-stores");

        // The inbox: open the first case and resolve it with a note.
        await page.NavigateAsync("Service inbox");
        var first = page.GetByTestId("case-link").First;
        var caseId = await first.GetAttributeAsync("data-case");
        await first.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Case {caseId}" })).ToBeVisibleAsync();
        await page.GetByLabel("Note").FillAsync("Called the buyer; a replacement is on its way.");
        await page.GetByTestId("resolve").ClickAsync();
        await Expect(page.GetByTestId("case-status")).ToHaveTextAsync("Resolved");
        await page.ShotAsync(Test, "7-case-resolved");
        using (var api = fixture.Host.Client())
            Assert.Equal("resolved", (await api.GetJsonAsync($"/api/v1/merchants/{M}/cases/{caseId}")).GetProperty("case").GetProperty("status").GetString());

        // 中文.
        await page.GetByTestId("language").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Complementary).GetByRole(AriaRole.Link, new() { Name = "服务收件箱" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "操作" })).ToBeVisibleAsync();
        await page.NavigateAsync("店铺");
        await Expect(page.GetByTestId("store-sg")).ToBeVisibleAsync();
        await page.ShotAsync(Test, "8-chinese");
    }
}
