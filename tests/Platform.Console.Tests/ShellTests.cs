using Microsoft.Playwright;
using Platform.Host.Tests.Support;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Platform.Console.Tests;

/// <summary>The console's shell in Chromium: sign-in with either kind of key, the plugins page, the language switch, a phone-width screen.</summary>
public sealed class ShellTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    [Fact]
    public async Task A_wrong_key_is_refused_in_words_and_the_admin_key_signs_in_after_picking_a_merchant()
    {
        using (var api = fixture.Host.Client()) { await api.CreateMerchantAsync("shell-a"); await api.CreateMerchantAsync("shell-b"); }
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin$"));
        await page.Locator("#api-key").FillAsync("not-a-key");
        await page.GetByTestId("sign-in").ClickAsync();
        await Expect(page.GetByText("This key is not valid.")).ToBeVisibleAsync();
        await page.ShotAsync(nameof(ShellTests), "wrong-key");

        await page.SignInAsync(HostProcess.AdminKey, "shell-b");
        await Expect(page.GetByTestId("figure-customers")).ToContainTextAsync("0");
        await Expect(page.GetByText("No stores yet")).ToBeVisibleAsync();
        await page.ShotAsync(nameof(ShellTests), "overview-empty");
        // The key is in no URL the browser saw.
        Assert.DoesNotContain(HostProcess.AdminKey, page.Url);
    }

    [Fact]
    public async Task The_plugins_page_lists_the_loaded_connectors_and_the_console_speaks_chinese()
    {
        string key;
        using (var api = fixture.Host.Client())
        {
            await api.CreateMerchantAsync("shell-zh");
            key = (await (await api.PostAsync("/api/v1/merchants/shell-zh/keys", null)).ReadJsonAsync()).GetProperty("key").GetString()!;
        }
        var page = await fixture.NewPageAsync();
        await page.SignInAsync(key);
        await page.NavigateAsync("Plugins");
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "sandbox", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "shopee", Exact = true })).ToBeVisibleAsync();
        await page.ShotAsync(nameof(ShellTests), "plugins");

        await page.GetByTestId("language").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "插件" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "店铺" })).ToBeVisibleAsync();
        await page.ShotAsync(nameof(ShellTests), "plugins-zh");
        // Still signed in after the reload, and back to English.
        await page.GetByTestId("language").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Plugins" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task On_a_phone_width_screen_the_menu_opens_from_the_button()
    {
        using (var api = fixture.Host.Client()) await api.CreateMerchantAsync("shell-phone");
        var page = await fixture.NewPageAsync(phone: true);
        await page.SignInAsync(HostProcess.AdminKey, "shell-phone");
        await page.ShotAsync(nameof(ShellTests), "phone-overview");
        await page.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync();
        await page.ShotAsync(nameof(ShellTests), "phone-menu");
        await page.NavigateAsync("Plugins");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Plugins" })).ToBeVisibleAsync();
        await page.ShotAsync(nameof(ShellTests), "phone");
    }
}
