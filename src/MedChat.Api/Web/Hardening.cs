namespace MedChat.Api.Web;

/// <summary>
/// Browser-facing hardening in one place: security headers on every response, CORS only for the
/// configured origins (Cors__Origins__N), and HTTPS redirection with HSTS outside Development.
/// </summary>
public static class Hardening
{
    /// <summary>
    /// The Blazor WebAssembly app at / runs under this policy: its scripts and .wasm come from this
    /// origin ('wasm-unsafe-eval' lets the runtime compile WebAssembly), the hub is reached over
    /// ws:/wss: on the same origin, and Blazor sets inline styles. Nothing may frame the app
    /// (with an authority: see <see cref="ContentSecurityPolicyFor"/>).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self'; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// With an OpenID Connect authority (Auth__Authority) the app also talks to the authority: the
    /// sign-in library fetches its discovery document, keys and tokens (connect-src), and checks for an
    /// existing sign-in in a hidden iframe that loads the authority's authorize endpoint (frame-src),
    /// which sends that iframe back to the app's own login-callback page (so the app may be framed by
    /// itself, never by another origin).
    /// </summary>
    public static string ContentSecurityPolicyFor(string? authority)
    {
        if (string.IsNullOrEmpty(authority)) return ContentSecurityPolicy;
        var origin = new Uri(authority).GetLeftPart(UriPartial.Authority);
        return ContentSecurityPolicy
            .Replace("connect-src 'self' ws: wss:;", $"connect-src 'self' ws: wss: {origin};", StringComparison.Ordinal)
            .Replace("object-src 'none';", $"frame-src 'self' {origin}; object-src 'none';", StringComparison.Ordinal)
            .Replace("frame-ancestors 'none'", "frame-ancestors 'self'", StringComparison.Ordinal);
    }

    /// <summary>The API reference UI (/scalar) boots from an inline script; it gets that and nothing more.</summary>
    public const string ReferenceUiPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    public const string CorsPolicy = "configured-origins";

    public static void AddMedChatHardening(this WebApplicationBuilder builder)
    {
        var origins = builder.Configuration.GetSection("Cors:Origins").Get<string[]>() ?? [];
        builder.Services.AddCors(o =>
        {
            // No origins configured: no policy matches, so browsers get same-origin only.
            if (origins.Length > 0)
                o.AddPolicy(CorsPolicy, p => p.WithOrigins(origins).AllowAnyHeader().AllowAnyMethod().AllowCredentials()
                    .WithExposedHeaders("Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Location"));
        });
        builder.Services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = true;
        });
    }

    public static void UseMedChatHardening(this WebApplication app)
    {
        var authority = app.Configuration["Auth:Authority"];
        var appPolicy = ContentSecurityPolicyFor(authority);
        var frameOptions = string.IsNullOrEmpty(authority) ? "DENY" : "SAMEORIGIN";
        app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var h = http.Response.Headers;
                h.XContentTypeOptions = "nosniff";
                h["Referrer-Policy"] = "no-referrer";
                h.XFrameOptions = frameOptions;
                h["Cross-Origin-Opener-Policy"] = "same-origin";
                h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
                h.ContentSecurityPolicy = http.Request.Path.StartsWithSegments("/scalar") ? ReferenceUiPolicy : appPolicy;
                return Task.CompletedTask;
            });
            return next(http);
        });
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }
        if (app.Configuration.GetSection("Cors:Origins").Get<string[]>() is { Length: > 0 }) app.UseCors(CorsPolicy);
    }
}
