using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MedChat.Tests.Infrastructure;

/// <summary>
/// A small OpenID Connect provider on 127.0.0.1 for one fixed user, so the web app's real sign-in
/// library and the API's real token validation run end to end: discovery, JWKS (one RSA key),
/// authorize (authorization code + PKCE S256; no session: it signs the user in at once, and answers
/// <c>prompt=none</c> with <c>login_required</c> as a provider does for a browser it has not seen),
/// token (RS256 id_token and access_token), userinfo and end-session. Anything it does not expect
/// (wrong client, redirect URI, verifier, a reused code) is refused, so a sloppy client fails.
/// </summary>
public sealed class FakeOidcProvider : IAsyncDisposable
{
    public const string ClientId = "medchat-web";
    public const string ApiAudience = "medchat-api";
    public static readonly Guid UserId = Guid.Parse("0194f000-0000-7000-8000-0000000001dc");
    public const string UserName = "Robin Oidc";

    private readonly WebApplication _app;
    private readonly RsaSecurityKey _key;
    private readonly ConcurrentDictionary<string, Grant> _codes = new();
    private readonly ConcurrentQueue<string> _events = new();

    /// <summary>The issuer, exactly as Auth:Authority is set (no trailing slash).</summary>
    public string Authority { get; }

    /// <summary>Where the app must send the browser back after sign-in; set by the test once the app has an address.</summary>
    public string? RedirectUri { get; set; }

    /// <summary>What happened, in order: "authorize", "authorize prompt=none", "token", "userinfo", "end-session".</summary>
    public IReadOnlyList<string> Events => _events.ToList();

    private sealed record Grant(string Challenge, string RedirectUri, string Scope, string? Nonce);

    public FakeOidcProvider()
    {
        _key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key-1" };
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        // The app calls the provider from the browser (another origin): answer CORS as real providers do.
        _app.Use(async (http, next) =>
        {
            http.Response.Headers.AccessControlAllowOrigin = "*";
            if (HttpMethods.IsOptions(http.Request.Method))
            {
                http.Response.Headers.AccessControlAllowHeaders = "authorization, content-type";
                http.Response.Headers.AccessControlAllowMethods = "GET, POST";
                http.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }
            await next(http);
        });
        _app.MapGet("/.well-known/openid-configuration", Discovery);
        _app.MapGet("/jwks", Jwks);
        _app.MapGet("/authorize", Authorize);
        _app.MapPost("/token", TokenAsync);
        _app.MapGet("/userinfo", UserInfo);
        _app.MapGet("/logout", EndSession);
        _app.StartAsync().GetAwaiter().GetResult();
        Authority = _app.Urls.First().TrimEnd('/');
    }

    private IResult Discovery() => Results.Json(new Dictionary<string, object>
    {
        ["issuer"] = Authority,
        ["authorization_endpoint"] = Authority + "/authorize",
        ["token_endpoint"] = Authority + "/token",
        ["userinfo_endpoint"] = Authority + "/userinfo",
        ["end_session_endpoint"] = Authority + "/logout",
        ["jwks_uri"] = Authority + "/jwks",
        ["response_types_supported"] = new[] { "code" },
        ["subject_types_supported"] = new[] { "public" },
        ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        ["code_challenge_methods_supported"] = new[] { "S256" },
        ["scopes_supported"] = new[] { "openid", "profile" },
    });

    private IResult Jwks()
    {
        var p = _key.Rsa.ExportParameters(false);
        return Results.Json(new
        {
            keys = new[]
            {
                new { kty = "RSA", use = "sig", alg = "RS256", kid = _key.KeyId, n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) },
            },
        });
    }

    private IResult Authorize(HttpRequest request)
    {
        var q = request.Query;
        string? redirect = q["redirect_uri"];
        if (q["client_id"] != ClientId || redirect is null || redirect != RedirectUri)
            return Results.BadRequest("unknown client or redirect_uri");
        if (q["response_type"] != "code" || string.IsNullOrEmpty(q["code_challenge"]) || q["code_challenge_method"] != "S256")
            return Results.Redirect(QueryHelpers.AddQueryString(redirect, new Dictionary<string, string?> { ["error"] = "invalid_request", ["state"] = q["state"] }));
        if (q["prompt"] == "none")
        {
            _events.Enqueue("authorize prompt=none");
            return Results.Redirect(QueryHelpers.AddQueryString(redirect, new Dictionary<string, string?> { ["error"] = "login_required", ["state"] = q["state"] }));
        }
        _events.Enqueue("authorize");
        var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        _codes[code] = new Grant(q["code_challenge"]!, redirect, q["scope"].ToString(), q["nonce"]);
        return Results.Redirect(QueryHelpers.AddQueryString(redirect, new Dictionary<string, string?> { ["code"] = code, ["state"] = q["state"] }));
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        if (form["grant_type"] != "authorization_code" || form["client_id"] != ClientId ||
            form["code"].ToString() is not { Length: > 0 } code || !_codes.TryRemove(code, out var grant) ||
            form["redirect_uri"] != grant.RedirectUri)
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        // PKCE: the verifier's SHA-256 must be the challenge the authorize request carried.
        var verifier = form["code_verifier"].ToString();
        if (verifier.Length < 43 || Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) != grant.Challenge)
            return Results.Json(new { error = "invalid_grant", error_description = "code_verifier does not match" }, statusCode: 400);
        _events.Enqueue("token");

        var now = DateTime.UtcNow;
        var idClaims = new Dictionary<string, object> { ["sub"] = UserId.ToString(), ["name"] = UserName };
        if (grant.Nonce is not null) idClaims["nonce"] = grant.Nonce;
        return Results.Json(new
        {
            token_type = "Bearer",
            access_token = Jwt(ApiAudience, new Dictionary<string, object> { ["sub"] = UserId.ToString(), ["name"] = UserName, ["scope"] = grant.Scope }, now),
            id_token = Jwt(ClientId, idClaims, now),
            expires_in = 3600,
            scope = grant.Scope,
        });
    }

    private string Jwt(string audience, Dictionary<string, object> claims, DateTime now) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Authority,
        Audience = audience,
        Claims = claims,
        IssuedAt = now,
        NotBefore = now,
        Expires = now.AddHours(1),
        SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
    });

    private async Task<IResult> UserInfo(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : "", new TokenValidationParameters
        {
            ValidIssuer = Authority,
            ValidAudience = ApiAudience,
            IssuerSigningKey = _key,
        });
        if (!result.IsValid) return Results.Unauthorized();
        _events.Enqueue("userinfo");
        return Results.Json(new { sub = UserId.ToString(), name = UserName });
    }

    private IResult EndSession(HttpRequest request)
    {
        _events.Enqueue("end-session");
        string? back = request.Query["post_logout_redirect_uri"];
        if (back is null) return Results.Text("Signed out.");
        return Results.Redirect(QueryHelpers.AddQueryString(back, new Dictionary<string, string?> { ["state"] = request.Query["state"] }));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
