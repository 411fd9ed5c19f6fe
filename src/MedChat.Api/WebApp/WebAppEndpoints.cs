using MedChat.Api.Data;
using MedChat.Api.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MedChat.Api.WebApp;

/// <summary>A demo user as the sign-in page lists them: who, and a token to act as them.</summary>
public sealed record DemoUserDto(Guid Id, string DisplayName, Role Role, string Token);

/// <summary>What the web app needs to know before it can sign anyone in.</summary>
public sealed record WebConfigDto(bool DemoSignIn, OidcConfigDto? Oidc);

public sealed record OidcConfigDto(string Authority, string ClientId, string Scope);

/// <summary>The "Auth" settings that only the web app reads.</summary>
public sealed class WebAppOptions
{
    /// <summary>Resolved at start: the demo sign-in is on (embedded default, or forced with Auth:DemoSignIn).</summary>
    public bool DemoSignIn { get; init; }
    public OidcConfigDto? Oidc { get; init; }
}

/// <summary>
/// The Blazor WebAssembly app (src/MedChat.Web) served at <c>/</c>, and the two unauthenticated
/// routes it starts from. Everything else the app does goes through the public API and hub.
/// </summary>
public static class WebAppEndpoints
{
    /// <summary>Demo tokens last a working day: long enough for a demo, short enough to be stale tomorrow.</summary>
    private static readonly TimeSpan DemoTokenLifetime = TimeSpan.FromHours(12);

    public static void AddMedChatWebApp(this WebApplicationBuilder builder)
    {
        var auth = builder.Configuration.GetSection("Auth");
        var authority = auth["Authority"];
        var external = !string.IsNullOrEmpty(builder.Configuration.GetConnectionString("Postgres"));
        // Demo tokens are signed with the local key, which does not exist when an authority issues tokens.
        var demo = authority is null && (auth.GetValue<bool?>("DemoSignIn") ?? !external);
        var oidc = authority is null ? null : new OidcConfigDto(authority, auth["ClientId"] ?? "medchat-web", auth["Scope"] ?? "openid profile");
        builder.Services.AddSingleton(new WebAppOptions { DemoSignIn = demo, Oidc = oidc });
        // The app's files come from the referenced web project; outside Development (./run, the tests)
        // a build, unlike a publish, only has them through the static web assets manifest.
        builder.WebHost.UseStaticWebAssets();
    }

    public static void MapMedChatWebApp(this WebApplication app)
    {
        app.MapGet("/api/dev/demo-users", DemoUsers).AllowAnonymous().WithTags("Web app").WithName("DemoUsers")
            .WithSummary("The demo users and a token for each; only on the embedded default (or with Auth:DemoSignIn=true).")
            .ProducesProblem(404);
        app.MapGet("/api/web/config", Config).AllowAnonymous().WithTags("Web app").WithName("WebConfig")
            .WithSummary("How the web app signs in: the demo sign-in, or an OpenID Connect authority.");
    }

    /// <summary>
    /// The app's files, and index.html for client-side routes (<c>/</c>, <c>/chat/…</c>: no file
    /// extension), in a pipeline branch with its own route table for every path the server does not
    /// own. Kept out of the API's route table on purpose: there, static asset endpoints (GET, HEAD)
    /// would change every API route's 405 Allow header, and a catch-all fallback could shadow an
    /// unknown /api route, which must stay a problem+json 404. Runs before the per-user request
    /// limits: the app's files are public and cacheable, and one cold load is about 70 requests.
    /// </summary>
    public static void UseMedChatWebApp(this WebApplication app)
    {
        app.MapWhen(http => !ServerOwned.Any(p => http.Request.Path.StartsWithSegments(p)), branch =>
        {
            // The branch builds its own endpoints instead of adding them to the application's.
            branch.Properties.Remove("__GlobalEndpointRouteBuilder");
            branch.Use((http, next) =>
            {
                if (!Path.HasExtension(http.Request.Path.Value)) http.Request.Path = "/index.html";
                return next(http);
            });
            branch.UseRouting();
            branch.UseEndpoints(e => e.MapStaticAssets());
        });
    }

    private static readonly string[] ServerOwned = ["/api", "/hubs", "/health", "/openapi", "/scalar"];

    /// <summary>Seeds the demo users when the demo sign-in is on against a database the embedded default did not seed.</summary>
    public static async Task SeedDemoUsersAsync(this WebApplication app, DatabaseConnections database)
    {
        if (database.Embedded is not null || app.Services.GetRequiredService<WebAppOptions>().DemoSignIn)
            await DemoSeed.SeedAsync(database.Owner, TimeProvider.System);
    }

    private static Results<Ok<DemoUserDto[]>, NotFound> DemoUsers(WebAppOptions options, TokenIssuer tokens)
    {
        if (!options.DemoSignIn) return TypedResults.NotFound();
        return TypedResults.Ok(DemoSeed.Users.Select(u => new DemoUserDto(u.Id, u.Name, u.Role, tokens.Issue(u.Id, u.Name, DemoTokenLifetime))).ToArray());
    }

    private static Ok<WebConfigDto> Config(WebAppOptions options) => TypedResults.Ok(new WebConfigDto(options.DemoSignIn, options.Oidc));
}
