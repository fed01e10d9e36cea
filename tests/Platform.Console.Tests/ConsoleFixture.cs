using Microsoft.Playwright;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Console.Tests;

/// <summary>
/// One host process and one headless Chromium (Debian's, at <see cref="ChromiumPath"/>; no browser download) for a test
/// class. Each test opens its own browser context; every step's screenshot goes to TestResults/console/.
/// </summary>
public class ConsoleFixture : IAsyncLifetime
{
    /// <summary>Where Debian's package puts Chromium; <c>PLATFORM_CHROMIUM</c> overrides it.</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("PLATFORM_CHROMIUM") ?? "/usr/bin/chromium";

    public static string Screenshots { get; } = Path.Combine(TestPaths.RepoRoot, "TestResults", "console");

    public HostProcess Host { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    private IPlaywright _playwright = null!;

    protected virtual IDictionary<string, string> Settings => new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"Chromium is not at {ChromiumPath}: install it with 'apt-get install -y chromium' (.ci/run does) or set PLATFORM_CHROMIUM.");
        Directory.CreateDirectory(Screenshots);
        // Web-first assertions retry until this long (Playwright's default of 5 s is short for a busy two-core machine).
        Assertions.SetDefaultExpectTimeout(30_000);
        Host = new HostProcess(TestPaths.NewTempDirectory(GetType().Name), Settings);
        await Host.StartAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = ["--no-sandbox"] });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await Host.DisposeAsync();
        try { Directory.Delete(Host.DataDirectory, recursive: true); } catch (IOException) { }
    }

    /// <summary>A fresh page (own cookies and session storage) at 1280 px, or phone width.</summary>
    public async Task<IPage> NewPageAsync(bool phone = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Host.BaseAddress.ToString(),
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-US",
        });
        // Generous: CI machines are small, and a host, its sync and a browser share them.
        context.SetDefaultTimeout(60_000);
        return await context.NewPageAsync();
    }
}

/// <summary>What a merchant does in the console, as steps.</summary>
public static class ConsoleSteps
{
    /// <summary>Signs in with a key (for the admin key, then picks <paramref name="merchant"/>) and waits for the overview.</summary>
    public static async Task SignInAsync(this IPage page, string key, string? merchant = null)
    {
        await page.GotoAsync("/signin");
        await page.Locator("#api-key").FillAsync(key);
        await page.GetByTestId("sign-in").ClickAsync();
        var overview = page.GetByRole(AriaRole.Heading, new() { Name = "Overview" });
        if (merchant is not null)
        {
            // With one merchant only, the sign-in page picks it by itself: wait for either the list or the overview.
            var pick = page.GetByTestId($"merchant-{merchant}");
            await pick.Or(overview).First.WaitForAsync();
            if (await pick.IsVisibleAsync()) await pick.ClickAsync();
        }
        await Assertions.Expect(overview).ToBeVisibleAsync();
    }

    /// <summary>Saves a full-page screenshot under TestResults/console/ as &lt;test&gt;-&lt;step&gt;.png.</summary>
    public static async Task ShotAsync(this IPage page, string test, string step) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ConsoleFixture.Screenshots, $"{test}-{step}.png"), FullPage = true });

    /// <summary>Follows a nav link by its visible name.</summary>
    public static async Task NavigateAsync(this IPage page, string name) =>
        await page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }).First.ClickAsync();
}
