using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MedChat.Tests.Messages;

namespace MedChat.Tests.Errors;

/// <summary>Every failure is application/problem+json with a detail; body and query failures name the field.</summary>
public sealed class ProblemResponseTests(MedChatApp app) : ApiTest(app)
{
    [Fact]
    public async Task MalformedJsonIs400AndTheProblemNamesWhereItBroke()
    {
        var (client, c) = await PatientConversation();
        const string body = "{\n  \"content\": \"hello\",\n  \"clientMessageId\": oops\n}";

        var problem = await client.PostRawAsync($"/api/chat/{c}/messages", body).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("line 3", problem.GetProperty("detail").GetString());
        Assert.NotEmpty(problem.GetProperty("errors").EnumerateObject());
        Assert.Equal(0, await App.StoredMessagesAsync(c));
    }

    [Theory]
    [InlineData("{\"content\": \"hello\", \"clientMessageId\": \"cm-1\"")]
    [InlineData("{\"content\": \"hello\" \"clientMessageId\": \"cm-1\"}")]
    [InlineData("{'content': 'hello', 'clientMessageId': 'cm-1'}")]
    [InlineData("content=hello&clientMessageId=cm-1")]
    public async Task JsonThatCannotBeParsedIs400WithAPosition(string body)
    {
        var (client, c) = await PatientConversation();

        var problem = await client.PostRawAsync($"/api/chat/{c}/messages", body).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Matches(@"line \d+", problem.GetProperty("detail").GetString());
        Assert.NotEmpty(problem.GetProperty("errors").EnumerateObject());
        Assert.Equal(0, await App.StoredMessagesAsync(c));
    }

    [Theory]
    [InlineData("messages", "{\"content\": 5, \"clientMessageId\": \"cm-1\"}", "content")]
    [InlineData("messages", "{\"content\": [\"hello\"], \"clientMessageId\": \"cm-1\"}", "content")]
    [InlineData("messages", "{\"content\": \"hello\", \"clientMessageId\": 42}", "clientMessageId")]
    [InlineData("receipts", "{\"readSeq\": \"3\"}", "readSeq")]
    [InlineData("receipts", "{\"deliveredSeq\": 1.5}", "deliveredSeq")]
    [InlineData("receipts", "{\"readSeq\": true}", "readSeq")]
    public async Task AValueOfTheWrongTypeIs400NamingTheField(string route, string body, string field)
    {
        var (client, c) = await PatientConversation();
        await client.PostAsync(c, "one message to mark");

        var problem = await client.PostRawAsync($"/api/chat/{c}/{route}", body).ProblemAsync(HttpStatusCode.BadRequest);

        problem.AssertErrorFor(field);
        Assert.Equal(1, await App.StoredMessagesAsync(c));
        Assert.Equal(0, await App.StoredReceiptsAsync(c));
    }

    [Theory]
    [InlineData("{\"status\": \"closed\"}", "status")]
    [InlineData("{\"status\": 1}", "status")]
    [InlineData("{\"priority\": \"high\"}", "priority")]
    [InlineData("{\"status\": \"AwaitingStaff\"}", "status")]
    [InlineData("{\"priority\": \"URGENT\"}", "priority")]
    public async Task AnUnknownEnumValueInABodyIs400NamingTheField(string body, string field)
    {
        var patient = await App.UserAsync();
        var admin = await App.UserAsync(Role.Admin);
        var c = await App.StartConversationAsync(patient);

        var problem = await App.Client(admin).PatchAsync($"/api/chat/{c.Id}/status", Json(body), Ct).ProblemAsync(HttpStatusCode.BadRequest);

        problem.AssertErrorFor(field);
        Assert.Equal(c, await App.Client(patient).ConversationAsync(c.Id));
    }

    [Fact]
    public async Task AnUnknownRoleIs400NamingTheField()
    {
        var admin = await App.UserAsync(Role.Admin);

        var problem = await App.Client(admin).PutAsync($"/api/admin/users/{Guid.CreateVersion7()}", Json("{\"role\": \"doctor\"}"), Ct)
            .ProblemAsync(HttpStatusCode.BadRequest);

        problem.AssertErrorFor("role");
    }

    [Theory]
    [InlineData("status=closed", "status")]
    [InlineData("scope=everything", "scope")]
    [InlineData("limit=ten", "limit")]
    public async Task AnUnknownQueryValueIs400NamingIt(string query, string field)
    {
        var patient = await App.UserAsync();

        await App.Client(patient).GetAsync($"/api/chat/conversations?{query}", Ct).ProblemAsync(HttpStatusCode.BadRequest, field);
    }

    public static TheoryData<string, string, string> RoutesWithIds => new()
    {
        { "GET", "/api/chat/not-a-uuid/messages", "conversationId" },
        { "POST", "/api/chat/not-a-uuid/messages", "conversationId" },
        { "GET", "/api/chat/12345/receipts", "conversationId" },
        { "POST", "/api/chat/12345/receipts", "conversationId" },
        { "GET", "/api/chat/conversations/not-a-uuid", "id" },
        { "PATCH", "/api/chat/0194f000-0000-7000-8000-00000000b00/status", "conversationId" },
    };

    [Theory]
    [MemberData(nameof(RoutesWithIds))]
    public async Task ARouteIdThatIsNotAUuidIs400NamingIt(string method, string url, string field)
    {
        var patient = await App.UserAsync();
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method != "GET") request.Content = Json("{\"content\": \"hello\", \"clientMessageId\": \"cm-1\", \"readSeq\": 0, \"status\": \"resolved\"}");

        await App.Client(patient).SendAsync(request, Ct).ProblemAsync(HttpStatusCode.BadRequest, field);

        Assert.Equal(0L, await App.ScalarAsOwnerAsync<long>("SELECT count(*) FROM messages"));
    }

    [Theory]
    [InlineData("/api/nothing-here")]
    [InlineData("/api/chat/0194f000-0000-7000-8000-000000000001/nothing")]
    [InlineData("/api/chat/0194f000-0000-7000-8000-000000000001/messages/extra")]
    public async Task AnUnknownRouteIs404(string url)
    {
        var patient = await App.UserAsync();

        await App.Client(patient).GetAsync(url, Ct).ProblemAsync(HttpStatusCode.NotFound);
        await App.Client((string?)null).GetAsync(url, Ct).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("DELETE", "messages", "GET, POST")]
    [InlineData("PUT", "messages", "GET, POST")]
    [InlineData("PATCH", "receipts", "GET, POST")]
    public async Task AMethodTheRouteDoesNotTakeIs405(string method, string route, string allowed)
    {
        var (client, c) = await PatientConversation();

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/api/chat/{c}/{route}"), Ct);

        await response.ProblemAsync(HttpStatusCode.MethodNotAllowed);
        Assert.Equal(allowed.Split(", "), response.Content.Headers.Allow.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ABodyOverSixtyFourKibibytesIs413AndStoresNothing()
    {
        var (client, c) = await PatientConversation();
        var body = JsonSerializer.Serialize(new { content = new string('a', 70_000), clientMessageId = "cm-big" });

        await client.PostRawAsync($"/api/chat/{c}/messages", body).ProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal(0, await App.StoredMessagesAsync(c));
    }

    [Fact]
    public async Task AChunkedBodyOverSixtyFourKibibytesIs413AndStoresNothing()
    {
        var (client, c) = await PatientConversation();
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new { content = new string('a', 70_000), clientMessageId = "cm-big" });
        var content = new StreamContent(new UnknownLengthStream(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await client.PostAsync($"/api/chat/{c}/messages", content, Ct);
        await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await App.StoredMessagesAsync(c));
    }

    [Theory]
    [InlineData("messages", true)]
    [InlineData("receipts", true)]
    [InlineData("messages", false)]
    [InlineData("receipts", false)]
    public async Task AMissingBodyIs400(string route, bool declaredAsJson)
    {
        var (client, c) = await PatientConversation();
        await client.PostAsync(c, "one message to mark");

        var response = declaredAsJson
            ? await client.PostRawAsync($"/api/chat/{c}/{route}", "")
            : await client.PostAsync($"/api/chat/{c}/{route}", null, Ct);

        await response.ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(1, await App.StoredMessagesAsync(c));
        Assert.Equal(0, await App.StoredReceiptsAsync(c));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"hello\"")]
    public async Task ABodyThatIsNotAnObjectIs400(string body)
    {
        var (client, c) = await PatientConversation();

        await client.PostRawAsync($"/api/chat/{c}/messages", body).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(0, await App.StoredMessagesAsync(c));
    }

    [Fact]
    public async Task ABodyThatIsNotJsonIsRefusedWithAProblem()
    {
        var (client, c) = await PatientConversation();

        var response = await client.PostAsync($"/api/chat/{c}/messages",
            new StringContent("{\"content\": \"hello\", \"clientMessageId\": \"cm-1\"}", Encoding.UTF8, "text/plain"), Ct);

        await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(0, await App.StoredMessagesAsync(c));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<(HttpClient Client, Guid Conversation)> PatientConversation()
    {
        var patient = await App.UserAsync();
        var c = await App.StartConversationAsync(patient);
        return (App.Client(patient), c.Id);
    }

    /// <summary>A body whose length HttpClient cannot know up front, so it is sent chunked with no Content-Length.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
