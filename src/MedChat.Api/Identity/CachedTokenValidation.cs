using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MedChat.Api.Identity;

/// <summary>
/// Validates each bearer token once, then answers repeats of the same token from memory until it
/// expires (at most <see cref="MaxAge"/>): the signature check and claim parsing were about 5 % of
/// the API's CPU per send (docs/benchmarks.md), and a client sends the same token with every request.
/// Only successes are kept, never past the token's own exp, so an expired or forged token is
/// refused exactly as before. The role is not in the token (the database says it per transaction),
/// so a role change still applies to the very next request.
/// </summary>
public sealed class CachedTokenValidation(TimeProvider time) : JsonWebTokenHandler
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);
    private const int MaxTokens = 20_000;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = MaxTokens });

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(token, out Entry? hit) && hit!.Until > now)
        {
            // Each request gets its own identity: handlers may add claims to it (the bootstrap-admin claim).
            return new TokenValidationResult
            {
                IsValid = true,
                SecurityToken = hit.Result.SecurityToken,
                ClaimsIdentity = hit.Result.ClaimsIdentity.Clone(),
                Issuer = hit.Result.Issuer,
                TokenType = hit.Result.TokenType,
            };
        }
        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is { } validated && validated.ValidTo > now.UtcDateTime)
        {
            var until = new DateTimeOffset(DateTime.SpecifyKind(validated.ValidTo, DateTimeKind.Utc));
            if (until > now + MaxAge) until = now + MaxAge;
            _cache.Set(token, new Entry(result, until), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = until });
        }
        return result;
    }

    private sealed record Entry(TokenValidationResult Result, DateTimeOffset Until);
}
