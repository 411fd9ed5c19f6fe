using MedChat.Api.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MedChat.Tests.Web;

/// <summary>The API with the web app and Auth:Authority pointing at a fake OpenID Connect provider it starts first.</summary>
public sealed class OidcWebApp : MedChatApp, IAsyncLifetime
{
    public FakeOidcProvider Provider { get; } = new();

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Auth:Authority", Provider.Authority);
        builder.UseSetting("Auth:ClientId", FakeOidcProvider.ClientId);
        builder.UseSetting("Auth:Audience", FakeOidcProvider.ApiAudience);
        builder.UseSetting("Ai:OfflinePaceMs", "40");
    }

    public new async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        // The client registration at the provider: this app's callback, and nothing else.
        Provider.RedirectUri = new Uri(BaseAddress, "authentication/login-callback").ToString();
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

/// <summary>
/// The standard OpenID Connect sign-in (Auth__Authority set), end to end in a real browser: the app's
/// sign-in library against a provider, the API validating the provider's RS256 tokens by its published
/// keys, the hub with the same token, and signing out at the provider.
/// </summary>
public sealed class OidcSignInTests(OidcWebApp app, Chromium chromium) : BrowserTest<OidcWebApp>(app, chromium), IClassFixture<Chromium>
{
    [Fact]
    public async Task APatientSignsInAtTheProviderChatsAndSignsOut()
    {
        // No demo sign-in next to a real identity provider.
        await App.Client().GetAsync("/api/dev/demo-users", Ct).ProblemAsync(HttpStatusCode.NotFound);

        var page = await OpenAsync();
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in", Exact = true }).ClickAsync();

        // Back from the provider as a patient (first seen: provisioned as one), named as the provider says.
        await Expect(page.GetByRole(AriaRole.Status, new() { Name = "Connection" })).ToHaveTextAsync("Connected", new() { Timeout = 20_000 });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My conversations" })).ToBeVisibleAsync(Visible);
        await Expect(page.GetByText(FakeOidcProvider.UserName, new() { Exact = true })).ToBeVisibleAsync(Visible);
        Assert.Equal("patient", await App.ScalarAsOwnerAsync<string>("SELECT role::text FROM users WHERE id = $1", FakeOidcProvider.UserId));
        // Interactively, with the code exchanged once (the provider checked the PKCE verifier).
        var events = App.Provider.Events;
        Assert.Equal(1, events.Count(e => e == "authorize"));
        Assert.Equal(1, events.Count(e => e == "token"));
        Assert.True(events.ToList().IndexOf("authorize") < events.ToList().IndexOf("token"), string.Join(", ", events));

        await Button(page, "New conversation").ClickAsync();
        await SendAsync(page, "Can I take ibuprofen for a sore knee?");
        await Expect(Log(page)).ToContainTextAsync("Can I take ibuprofen for a sore knee?", new() { Timeout = 20_000 });
        await Expect(Log(page)).ToContainTextAsync("No AI model is connected", new() { Timeout = 20_000 });

        // Signing out goes through the provider's end-session endpoint and lands back on the sign-in page
        // (the app's own storage is not just cleared, or a provider with a session would sign the user straight back in).
        await Button(page, "Sign out").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in", Exact = true })).ToBeVisibleAsync(Visible);
        Assert.Contains("end-session", App.Provider.Events);
        await Expect(page.GetByRole(AriaRole.Status, new() { Name = "Connection" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ThePolicyLetsTheAppReachTheAuthorityAndNothingElse()
    {
        using var response = await App.Client().GetAsync("/", Ct);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(Hardening.ContentSecurityPolicyFor(App.Provider.Authority), csp);
        Assert.Contains($"connect-src 'self' ws: wss: {App.Provider.Authority};", csp, StringComparison.Ordinal);
        Assert.Contains($"frame-src 'self' {App.Provider.Authority};", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'self'", csp, StringComparison.Ordinal);
        Assert.Equal("SAMEORIGIN", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }
}
