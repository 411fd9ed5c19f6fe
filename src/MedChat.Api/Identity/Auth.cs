using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MedChat.Api.Identity;

public sealed class AuthOptions
{
    public string? SigningKey { get; set; }
    public string Issuer { get; set; } = "medchat";
    public string Audience { get; set; } = "medchat-api";
    public string? Authority { get; set; }
    public List<string> BootstrapAdmins { get; set; } = [];
}

/// <summary>Who the token says the caller is. Their role is not here: it comes from the database per transaction.</summary>
public sealed record Principal(Guid Id, string? Name, bool BootstrapAdmin)
{
    internal const string BootstrapClaim = "medchat_bootstrap_admin";

    public static Principal From(ClaimsPrincipal user) => new(
        Guid.Parse(user.FindFirstValue(JwtRegisteredClaimNames.Sub)!),
        user.FindFirstValue("name"),
        user.HasClaim(BootstrapClaim, "true"));
}

public static class Auth
{
    public static void AddMedChatAuth(this WebApplicationBuilder builder, string dataDir)
    {
        var options = builder.Configuration.GetSection("Auth").Get<AuthOptions>() ?? new AuthOptions();
        SecurityKey? key = null;
        if (options.Authority is null)
        {
            options.SigningKey ??= LoadOrCreateKey(dataDir);
            if (Encoding.UTF8.GetByteCount(options.SigningKey) < 32)
                throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes.");
            key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.SigningKey));
        }
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new TokenIssuer(options, key));

        var bootstrap = options.BootstrapAdmins.Select(s => s.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenHandlers.Clear();
            o.TokenHandlers.Add(new CachedTokenValidation(TimeProvider.System));
            o.Authority = options.Authority;
            o.RequireHttpsMetadata = options.Authority?.StartsWith("https:", StringComparison.Ordinal) ?? false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = options.Authority ?? options.Issuer,
                ValidAudience = options.Audience,
                IssuerSigningKey = key,
                ValidateIssuerSigningKey = true,
                RequireExpirationTime = true,
                ValidateLifetime = true,
                ClockSkew = TimeSpan.FromSeconds(30),
                NameClaimType = "name",
            };
            o.Events = new JwtBearerEvents
            {
                // Browsers cannot set headers on WebSockets; the token may ride in the query string, on the hub only.
                OnMessageReceived = ctx =>
                {
                    if (ctx.HttpContext.Request.Path.StartsWithSegments("/hubs") &&
                        ctx.Request.Query["access_token"] is { Count: 1 } token)
                        ctx.Token = token;
                    return Task.CompletedTask;
                },
                OnTokenValidated = ctx =>
                {
                    var sub = ctx.Principal?.FindFirstValue(JwtRegisteredClaimNames.Sub);
                    if (!Guid.TryParse(sub, out _))
                    {
                        ctx.Fail("The token's sub must be a UUID.");
                        return Task.CompletedTask;
                    }
                    if (bootstrap.Contains(sub) && !ctx.Principal!.HasClaim(Principal.BootstrapClaim, "true"))
                        (ctx.Principal!.Identity as ClaimsIdentity)?.AddClaim(new Claim(Principal.BootstrapClaim, "true"));
                    return Task.CompletedTask;
                },
            };
        });
        builder.Services.AddAuthorization();
    }

    /// <summary>The embedded default keeps one random key per data folder, so printed tokens survive restarts.</summary>
    private static string LoadOrCreateKey(string dataDir)
    {
        var path = Path.Combine(dataDir, "signing-key");
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        Directory.CreateDirectory(dataDir);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        File.WriteAllText(path, key + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return key;
    }
}

/// <summary>Issues HS256 tokens with the local key (demo users, tests, tools). Null key: tokens come from the OIDC authority.</summary>
public sealed class TokenIssuer(AuthOptions options, SecurityKey? key)
{
    public string Issue(Guid subject, string? name, TimeSpan lifetime, DateTime? now = null)
    {
        if (key is null) throw new InvalidOperationException("Tokens come from the configured authority; there is no local signing key.");
        var issuedAt = now ?? DateTime.UtcNow;
        var claims = new Dictionary<string, object> { [JwtRegisteredClaimNames.Sub] = subject.ToString() };
        if (name is not null) claims["name"] = name;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            Claims = claims,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + lifetime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }
}
