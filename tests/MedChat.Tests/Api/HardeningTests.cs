using MedChat.Api.Web;
using Microsoft.AspNetCore.Hosting;

namespace MedChat.Tests.Api;

/// <summary>Security headers on every response, errors included; CORS closed unless an origin is configured.</summary>
public sealed class HardeningTests(MedChatApp app) : ApiTest(app)
{
    [Theory]
    [InlineData("/api/me", true)]
    [InlineData("/api/me", false)]
    [InlineData("/api/no/such/route", false)]
    [InlineData("/openapi/v1.json", false)]
    public async Task EveryResponseCarriesTheSecurityHeaders(string path, bool signedIn)
    {
        var user = await App.UserAsync();
        using var response = await App.Client(signedIn ? user : null).GetAsync(path, Ct);

        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal(Hardening.ContentSecurityPolicy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Contains("script-src 'self' 'wasm-unsafe-eval'", Hardening.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.True(response.Headers.Contains("RateLimit-Limit"));
    }

    [Fact]
    public async Task WithNoOriginsConfiguredABrowserFromElsewhereGetsNoCorsPermission()
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/me");
        request.Headers.Add("Origin", "https://evil.example");
        request.Headers.Add("Access-Control-Request-Method", "GET");

        using var response = await App.Client().SendAsync(request, Ct);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }
}

public sealed class CorsApp : MedChatApp
{
    public const string Origin = "https://care.example";

    protected override void Configure(IWebHostBuilder builder) => builder.UseSetting("Cors:Origins:0", Origin);
}

public sealed class CorsTests(CorsApp app) : IClassFixture<CorsApp>
{
    [Theory]
    [InlineData(CorsApp.Origin, true)]
    [InlineData("https://evil.example", false)]
    public async Task OnlyConfiguredOriginsMayCallFromABrowser(string origin, bool allowed)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/me");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "authorization");

        using var response = await app.Client().SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(allowed, response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) && values.Single() == origin);
    }
}
