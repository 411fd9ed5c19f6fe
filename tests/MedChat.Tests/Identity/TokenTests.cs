using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MedChat.Tests.Identity;

/// <summary>Which tokens get in, and that nothing in a token decides the caller's role.</summary>
public sealed class TokenTests(MedChatApp app) : ApiTest(app)
{
    [Fact]
    public async Task ARoleClaimInTheTokenIsIgnored()
    {
        var subject = Guid.NewGuid();
        var token = Mint(new Dictionary<string, object> { ["sub"] = subject.ToString(), ["role"] = "admin", ["roles"] = new[] { "admin" } });
        var client = App.Client(token);

        var me = await client.GetAsync("/api/me", Ct).ReadAsync<MeDto>(HttpStatusCode.OK);

        Assert.Equal(Role.Patient, me.Role);
        await client.PutAsJsonAsync($"/api/admin/users/{subject}", new { role = "admin" }, HttpAssertions.JsonOptions, Ct).ProblemAsync(HttpStatusCode.Forbidden);
        await client.GetAsync("/api/chat/conversations?scope=queue", Ct).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(Role.Patient, (await client.GetAsync("/api/me", Ct).ReadAsync<MeDto>(HttpStatusCode.OK)).Role);
    }

    [Fact]
    public async Task AStaffMemberTokenClaimingPatientIsStillStaff()
    {
        var staff = await App.UserAsync(Role.Staff);
        var token = Mint(new Dictionary<string, object> { ["sub"] = staff.Id.ToString(), ["role"] = "patient" });

        var me = await App.Client(token).GetAsync("/api/me", Ct).ReadAsync<MeDto>(HttpStatusCode.OK);

        Assert.Equal(Role.Staff, me.Role);
    }

    [Fact]
    public async Task ATokenSignedWithAnotherKeyIsRefused()
    {
        var token = Mint(new Dictionary<string, object> { ["sub"] = Guid.NewGuid().ToString() }, key: "another-key-of-at-least-thirty-two-bytes!!");

        await App.Client(token).GetAsync("/api/me", Ct).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("someone-else", "medchat-api")]
    [InlineData("medchat", "someone-elses-api")]
    public async Task ATokenForAnotherIssuerOrAudienceIsRefused(string issuer, string audience)
    {
        var token = Mint(new Dictionary<string, object> { ["sub"] = Guid.NewGuid().ToString() }, issuer: issuer, audience: audience);

        await App.Client(token).GetAsync("/api/me", Ct).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AnExpiredTokenIsRefused()
    {
        var token = App.Tokens.Issue(Guid.NewGuid(), null, TimeSpan.FromMinutes(5), DateTime.UtcNow.AddHours(-1));

        await App.Client(token).GetAsync("/api/me", Ct).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ATokenWithoutExpiryIsRefused()
    {
        var token = Mint(new Dictionary<string, object> { ["sub"] = Guid.NewGuid().ToString() }, expires: false);

        await App.Client(token).GetAsync("/api/me", Ct).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ATokenWhoseSubjectIsNotAUuidIsRefused()
    {
        var token = Mint(new Dictionary<string, object> { ["sub"] = "alice" });

        await App.Client(token).GetAsync("/api/me", Ct).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(0L, await App.ScalarAsOwnerAsync<long>("SELECT count(*) FROM users"));
    }

    [Fact]
    public async Task ACachedValidationGivesEachRequestItsOwnIdentityAndNeverOutlivesTheToken()
    {
        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(MedChatApp.SigningKey));
        var parameters = new TokenValidationParameters { ValidIssuer = "medchat", ValidAudience = "medchat-api", IssuerSigningKey = key, ClockSkew = TimeSpan.Zero };
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var handler = new MedChat.Api.Identity.CachedTokenValidation(clock);
        var issued = clock.GetUtcNow().UtcDateTime;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "medchat", Audience = "medchat-api", Claims = new Dictionary<string, object> { ["sub"] = Guid.NewGuid().ToString() },
            IssuedAt = issued, NotBefore = issued, Expires = issued.AddSeconds(30),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });

        var first = await handler.ValidateTokenAsync(token, parameters);
        var second = await handler.ValidateTokenAsync(token, parameters);
        Assert.True(first.IsValid && second.IsValid);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.Equal(first.ClaimsIdentity.FindFirst("sub")!.Value, second.ClaimsIdentity.FindFirst("sub")!.Value);
        // A claim added for one request does not leak into the next.
        second.ClaimsIdentity.AddClaim(new System.Security.Claims.Claim("medchat_bootstrap_admin", "true"));
        Assert.False((await handler.ValidateTokenAsync(token, parameters)).ClaimsIdentity.HasClaim("medchat_bootstrap_admin", "true"));

        // Past exp the cache answers nothing: the token is validated again and refused (the real clock is
        // still inside its lifetime, so only the cache's own expiry can decide this).
        clock.Now = clock.Now.AddSeconds(31);
        var cached = await handler.ValidateTokenAsync(token, parameters);
        Assert.NotSame(first.SecurityToken, cached.SecurityToken);
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static string Mint(Dictionary<string, object> claims, string issuer = "medchat", string audience = "medchat-api",
        string key = MedChatApp.SigningKey, bool expires = true)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = expires ? now.AddHours(1) : null,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
    }
}
