using System.Collections.Concurrent;
using MedChat.Api.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Playwright;

namespace MedChat.Tests.Web;

/// <summary>The API with the web app, the demo sign-in forced on (the tests use an external database) and a paced offline assistant, so replies visibly stream.</summary>
public sealed class WebApp : MedChatApp
{
    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Auth:DemoSignIn", "true");
        builder.UseSetting("Ai:OfflinePaceMs", "40");
    }
}

/// <summary>Debian's Chromium, headless, driven by Playwright; one per test class.</summary>
public sealed class Chromium : IAsyncLifetime
{
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        // Expect(...) waits 5 s by default, too short for a first streamed reply while the whole
        // suite runs in parallel on two cores (it failed there with the message merely late). The
        // same 20 s as every action's timeout: generous, and still a failure when nothing comes.
        Assertions.SetDefaultExpectTimeout(20_000);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
    }
}

/// <summary>
/// Base for browser tests: a clean database with the demo users, and browser contexts (each one a
/// separate person) whose console errors fail the test.
/// </summary>
public abstract class BrowserTest(WebApp app, Chromium chromium) : BrowserTest<WebApp>(app, chromium), IClassFixture<Chromium>
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        // The previous test's browsers may still be disconnecting, and the server provisions a
        // first-seen subject as a patient while it announces that: seed, then set the roles outright.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await DemoSeed.SeedAsync(App.OwnerConnection, TimeProvider.System);
                break;
            }
            catch (Exception e) when (attempt < 5 && e is Microsoft.EntityFrameworkCore.DbUpdateException or InvalidOperationException or Npgsql.NpgsqlException)
            {
                await Task.Delay(100 * attempt);
            }
        }
        foreach (var u in DemoSeed.Users)
            await App.ExecuteAsOwnerAsync("UPDATE users SET role = $2, display_name = $3 WHERE id = $1", u.Id, u.Role.ToString().ToLowerInvariant(), u.Name);
    }
}

/// <summary>
/// Base for browser tests against any configuration of the app: a clean database per test, and
/// browser contexts (each one a separate person) whose console errors fail the test. Concrete
/// classes declare IClassFixture&lt;Chromium&gt; themselves: C# will not let a generic type declare both.
/// </summary>
public abstract class BrowserTest<TApp>(TApp app, Chromium chromium) : IClassFixture<TApp>, IAsyncLifetime
    where TApp : MedChatApp
{
    protected TApp App { get; } = app;
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly List<IBrowserContext> _contexts = [];
    private readonly ConcurrentQueue<string> _consoleErrors = new();

    /// <summary>While set, console errors that only report the network being down are expected (the offline test).</summary>
    protected bool NetworkDownExpected { get; set; }

    /// <summary>Generous for a 2-core machine shared with other work, short enough to fail fast.</summary>
    protected static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = 20_000 };

    public virtual async ValueTask InitializeAsync() => await App.ResetAsync();

    protected async Task<IPage> OpenAsync(Uri? baseAddress = null, int width = 1280, int height = 800)
    {
        var context = await chromium.Browser.NewContextAsync(new()
        {
            BaseURL = (baseAddress ?? App.BaseAddress).ToString(),
            ViewportSize = new() { Width = width, Height = height },
            TimezoneId = "Europe/Paris",
            Locale = "en-GB",
        });
        context.SetDefaultTimeout(20_000);
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        page.Console += (_, m) =>
        {
            if (m.Type != "error") return;
            if (NetworkDownExpected && IsNetworkNoise(m.Text)) return;
            _consoleErrors.Enqueue(m.Text);
        };
        page.PageError += (_, e) => _consoleErrors.Enqueue("page error: " + e);
        return page;
    }

    private static bool IsNetworkNoise(string text) =>
        text.Contains("net::ERR_", StringComparison.Ordinal) || text.Contains("WebSocket", StringComparison.OrdinalIgnoreCase) ||
        text.Contains("Failed to fetch", StringComparison.Ordinal) || text.Contains("Failed to start the transport", StringComparison.Ordinal) ||
        text.Contains("HttpRequestException", StringComparison.Ordinal) || text.Contains("connection", StringComparison.OrdinalIgnoreCase);

    /// <summary>Opens the app and signs in by pressing the demo user's button, as a person would.</summary>
    protected async Task<IPage> SignInAsync(string button, Uri? baseAddress = null, int width = 1280, int height = 800)
    {
        var page = await OpenAsync(baseAddress, width, height);
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status, new() { Name = "Connection" })).ToHaveTextAsync("Connected", new() { Timeout = 20_000 });
        return page;
    }

    protected static ILocator Log(IPage page) => page.GetByRole(AriaRole.Log, new() { Name = "Messages" });
    protected static ILocator Composer(IPage page) => page.GetByRole(AriaRole.Textbox, new() { Name = "Message", Exact = true });
    protected static ILocator Button(IPage page, string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    protected static async Task SendAsync(IPage page, string text)
    {
        await Composer(page).FillAsync(text);
        await Button(page, "Send").ClickAsync();
    }

    /// <summary>
    /// Screenshots of the main screens: every run leaves them in TestResults/screenshots; with
    /// MEDCHAT_UPDATE_SCREENSHOTS=1 they replace docs/screenshots (used by the README), so an ordinary
    /// test run does not change tracked files.
    /// </summary>
    protected static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Environment.GetEnvironmentVariable("MEDCHAT_UPDATE_SCREENSHOTS") == "1"
            ? Path.Combine("docs", "screenshots")
            : Path.Combine("TestResults", "screenshots");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Operations.RunScript.RepoRoot(), folder, name + ".png") });
    }

    public virtual async ValueTask DisposeAsync()
    {
        // A failing test leaves what each person saw in TestResults/, to tell a slow machine from a bug.
        if (TestContext.Current.TestState?.Result == TestResult.Failed)
        {
            var dir = Path.Combine(Operations.RunScript.RepoRoot(), "TestResults", "screens");
            Directory.CreateDirectory(dir);
            var n = 0;
            foreach (var page in _contexts.SelectMany(c => c.Pages))
                await page.ScreenshotAsync(new() { Path = Path.Combine(dir, $"{TestContext.Current.Test?.TestDisplayName.Split('(')[0]}-{++n}.png") });
        }
        foreach (var c in _contexts) await c.CloseAsync();
        Assert.True(_consoleErrors.IsEmpty, "browser console errors:\n" + string.Join('\n', _consoleErrors));
        GC.SuppressFinalize(this);
    }
}
