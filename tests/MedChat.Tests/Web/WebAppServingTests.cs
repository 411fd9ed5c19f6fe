using System.Text.Json;
using MedChat.Api.Data;
using Microsoft.AspNetCore.Hosting;

namespace MedChat.Tests.Web;

/// <summary>The app is served at / and on client routes, never in place of an API route.</summary>
public sealed class WebAppServingTests(MedChatApp app) : ApiTest(app)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/chat")]
    [InlineData("/console/0194f000-0000-7000-8000-0000000000c1")]
    public async Task ClientRoutesServeTheApp(string path)
    {
        using var response = await App.Client().GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<title>MedChat</title>", html);
        Assert.Contains("_framework/blazor.webassembly.js", html);
        // The app runs under the strict policy: its own scripts and WebAssembly only, no inline script.
        Assert.Equal(MedChat.Api.Web.Hardening.ContentSecurityPolicy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.DoesNotMatch("<script>|<script [^>]*>[^<]", html);
    }

    [Theory]
    [InlineData("/api/nope")]
    [InlineData("/api")]
    [InlineData("/hubs/nope")]
    public async Task UnknownApiRoutesStayProblemNotFound(string path) =>
        await App.Client().GetAsync(path, Ct).ProblemAsync(HttpStatusCode.NotFound);

    [Fact]
    public async Task TheDemoSignInIsOffAgainstAnExternalDatabase() =>
        await App.Client().GetAsync("/api/dev/demo-users", Ct).ProblemAsync(HttpStatusCode.NotFound);
}

/// <summary>Auth:DemoSignIn on and off, and an authority, against the external database the tests use.</summary>
public sealed class DemoSignInSwitchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class Configured(Dictionary<string, string> settings) : MedChatApp
    {
        protected override void Configure(IWebHostBuilder builder)
        {
            foreach (var (k, v) in settings) builder.UseSetting(k, v);
        }
    }

    [Fact]
    public async Task ForcedOnItListsTheDemoUsersWithWorkingTokens()
    {
        await using var app = new Configured(new() { ["Auth:DemoSignIn"] = "true" });
        await app.InitializeAsync();
        await DemoSeed.SeedAsync(app.OwnerConnection, TimeProvider.System);
        var users = await app.Client().GetAsync("/api/dev/demo-users", Ct).ReadAsync<JsonElement>(HttpStatusCode.OK);
        Assert.Equal(DemoSeed.Users.Select(u => u.Name), users.EnumerateArray().Select(u => u.GetProperty("displayName").GetString()));
        var nurse = users.EnumerateArray().Single(u => u.GetProperty("displayName").GetString() == "Nurse Sam");
        Assert.Equal("staff", nurse.GetProperty("role").GetString());
        var me = await app.Client(nurse.GetProperty("token").GetString()).GetAsync("/api/me", Ct).ReadAsync<JsonElement>(HttpStatusCode.OK);
        Assert.Equal("staff", me.GetProperty("role").GetString());

        var config = await app.Client().GetAsync("/api/web/config", Ct).ReadAsync<JsonElement>(HttpStatusCode.OK);
        Assert.True(config.GetProperty("demoSignIn").GetBoolean());
    }

    [Theory]
    [InlineData("false", null)]
    [InlineData("true", "https://login.example.test/realms/clinic")]
    [InlineData(null, "https://login.example.test/realms/clinic")]
    public async Task OffOrWithAnAuthorityItIsNotFound(string? demoSignIn, string? authority)
    {
        var settings = new Dictionary<string, string>();
        if (demoSignIn is not null) settings["Auth:DemoSignIn"] = demoSignIn;
        if (authority is not null) settings["Auth:Authority"] = authority;
        await using var app = new Configured(settings);
        await app.InitializeAsync();
        await app.Client().GetAsync("/api/dev/demo-users", Ct).ProblemAsync(HttpStatusCode.NotFound);
        var config = await app.Client().GetAsync("/api/web/config", Ct).ReadAsync<JsonElement>(HttpStatusCode.OK);
        Assert.False(config.GetProperty("demoSignIn").GetBoolean());
        Assert.Equal(authority, config.GetProperty("oidc") is { ValueKind: JsonValueKind.Object } o ? o.GetProperty("authority").GetString() : null);
    }
}
