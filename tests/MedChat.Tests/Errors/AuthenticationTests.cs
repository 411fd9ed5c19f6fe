using System.Text;
using MedChat.Tests.Messages;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MedChat.Tests.Errors;

/// <summary>Only a valid bearer token gets in; every other request is a 401 problem and changes nothing.</summary>
public sealed class AuthenticationTests(MedChatApp app) : ApiTest(app)
{
    private const string OtherKey = "some-other-signing-key-0123456789abcdefgh";

    [Fact]
    public async Task ATokenBuiltTheWayTheseTestsBuildThemIsAccepted()
    {
        var (_, c, subject) = await PatientConversationAndToken();

        var response = await App.Client(Forge(subject)).SendAsync(c, "hello", "cm-1");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public static TheoryData<string> BadTokens => new()
    {
        "missing",
        "garbage",
        "expired beyond the clock skew",
        "not yet valid",
        "signed with another key",
        "unsigned",
        "from another issuer",
        "for another audience",
        "without exp",
        "sub is not a UUID",
        "without sub",
        "empty bearer",
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task ARequestWithABadTokenIs401AndStoresNothing(string kind)
    {
        var (_, c, subject) = await PatientConversationAndToken();
        var client = ClientWith(kind, subject);

        foreach (var request in new[]
        {
            new HttpRequestMessage(HttpMethod.Post, $"/api/chat/{c}/messages") { Content = JsonContent.Create(new { content = "hi", clientMessageId = "cm-1" }) },
            new HttpRequestMessage(HttpMethod.Get, $"/api/chat/{c}/messages"),
            new HttpRequestMessage(HttpMethod.Post, $"/api/chat/{c}/receipts") { Content = JsonContent.Create(new { readSeq = 0 }) },
            new HttpRequestMessage(HttpMethod.Get, $"/api/chat/{c}/receipts"),
            new HttpRequestMessage(HttpMethod.Get, "/api/me"),
        })
        {
            var response = await client.SendAsync(request, Ct);
            await response.ProblemAsync(HttpStatusCode.Unauthorized);
            Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        }

        Assert.Equal(0, await App.StoredMessagesAsync(c));
        Assert.Equal(0, await App.StoredReceiptsAsync(c));
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task ABadTokenNeverProvisionsItsSubject(string kind)
    {
        var stranger = Guid.CreateVersion7();

        await ClientWith(kind, stranger).GetAsync("/api/me", Ct).ProblemAsync(HttpStatusCode.Unauthorized);

        Assert.Equal(0L, await App.ScalarAsOwnerAsync<long>("SELECT count(*) FROM users"));
    }

    [Fact]
    public async Task ATokenInTheQueryStringIsNotAcceptedOnRestRoutes()
    {
        var (_, c, subject) = await PatientConversationAndToken();

        await App.Client((string?)null).GetAsync($"/api/chat/{c}/messages?access_token={Forge(subject)}", Ct)
            .ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ABadTokenOnAConversationThatDoesNotExistIsStill401()
    {
        await App.Client("garbage").GetAsync($"/api/chat/{Guid.CreateVersion7()}/messages", Ct)
            .ProblemAsync(HttpStatusCode.Unauthorized);
    }

    private HttpClient ClientWith(string kind, Guid subject)
    {
        var now = DateTime.UtcNow;
        if (kind == "empty bearer")
        {
            var client = App.Client((string?)null);
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer ");
            return client;
        }
        return App.Client(kind switch
        {
            "missing" => null,
            "garbage" => "not.a.jwt",
            "expired beyond the clock skew" => Forge(subject, d => (d.IssuedAt, d.NotBefore, d.Expires) = (now.AddMinutes(-10), now.AddMinutes(-10), now.AddSeconds(-90))),
            "not yet valid" => Forge(subject, d => (d.IssuedAt, d.NotBefore, d.Expires) = (now, now.AddMinutes(5), now.AddMinutes(65))),
            "signed with another key" => Forge(subject, d => d.SigningCredentials = Credentials(OtherKey)),
            "unsigned" => Forge(subject, d => d.SigningCredentials = null),
            "from another issuer" => Forge(subject, d => d.Issuer = "someone-else"),
            "for another audience" => Forge(subject, d => d.Audience = "another-api"),
            "without exp" => Forge(subject, d => d.Expires = null, defaultTimes: false),
            "sub is not a UUID" => Forge(subject, d => d.Claims[JwtRegisteredClaimNames.Sub] = "user-42"),
            "without sub" => Forge(subject, d => d.Claims.Remove(JwtRegisteredClaimNames.Sub)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        });
    }

    /// <summary>A valid token for <paramref name="subject"/> (issuer medchat, audience medchat-api, the tests' key), then <paramref name="change"/>.</summary>
    private static string Forge(Guid subject, Action<SecurityTokenDescriptor>? change = null, bool defaultTimes = true)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = "medchat",
            Audience = "medchat-api",
            Claims = new Dictionary<string, object> { [JwtRegisteredClaimNames.Sub] = subject.ToString() },
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            SigningCredentials = Credentials(MedChatApp.SigningKey),
        };
        change?.Invoke(descriptor);
        if (!defaultTimes) (descriptor.IssuedAt, descriptor.NotBefore) = (null, null);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = defaultTimes }.CreateToken(descriptor);
    }

    private static SigningCredentials Credentials(string key) =>
        new(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256);

    private async Task<(TestUser Patient, Guid Conversation, Guid Subject)> PatientConversationAndToken()
    {
        var patient = await App.UserAsync();
        var c = await App.StartConversationAsync(patient);
        return (patient, c.Id, patient.Id);
    }
}
