using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;

namespace MedChat.Tests.Assistant;

/// <summary>A model that always fails and a breaker that opens after one failure, so a 503 is one call away.</summary>
public sealed class FailingModelApp : MedChatApp
{
    public FakeModelServer Model { get; } = new() { Behaviour = ModelBehaviour.Fail500 };

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Ai:Provider", "openai");
        builder.UseSetting("Ai:Endpoint", Model.Address.ToString().TrimEnd('/'));
        builder.UseSetting("Ai:Model", "fake-model");
        builder.UseSetting("Ai:Attempts", "1");
        builder.UseSetting("Ai:BreakerFailures", "1");
        builder.UseSetting("Ai:BreakerOpenSeconds", "600");
    }
}

/// <summary>
/// Every way POST /api/chat can fail is the same failure whether the client asked for JSON or for
/// a stream: before the stream starts, the same status with an application/problem+json body;
/// after it starts, one <c>error</c> event carrying the problem. Never a 500, never an empty body.
/// </summary>
public sealed class ChatErrorTests(FailingModelApp app) : IClassFixture<FailingModelApp>, IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        app.Model.Reset();
        app.Model.Behaviour = ModelBehaviour.Fail500;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string json, bool stream)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (stream) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        return await client.SendAsync(request, Ct);
    }

    private static string Body(object body) => JsonSerializer.Serialize(body, HttpAssertions.JsonOptions);

    private async Task<(TestUser Patient, Guid Conversation)> PatientWithConversationAsync()
    {
        var patient = await app.UserAsync();
        var c = await app.Client(patient).PostJsonAsync("/api/chat/conversations", new { }).ReadAsync<ConversationDto>(HttpStatusCode.Created);
        return (patient, c.Id);
    }

    private async Task<int> StoredMessagesAsync(Guid conversationId) =>
        (int)(await app.ScalarAsOwnerAsync<long>("SELECT count(*) FROM messages WHERE conversation_id = $1", conversationId));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnInvalidMessageIs400NamingTheField(bool stream)
    {
        var (patient, c) = await PatientWithConversationAsync();

        await PostAsync(app.Client(patient), Body(new { conversationId = c, message = "", clientMessageId = "e1" }), stream).ProblemAsync(HttpStatusCode.BadRequest, "message");
        await PostAsync(app.Client(patient), "{\"message\": \"hi\", \"clientMessageId\": oops}", stream).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(0, await StoredMessagesAsync(c));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NoTokenIs401(bool stream)
    {
        await PostAsync(app.Client((string?)null), Body(new { message = "hi", clientMessageId = "e1" }), stream).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StaffAre403(bool stream)
    {
        var (_, c) = await PatientWithConversationAsync();
        var nurse = await app.UserAsync(Role.Staff);

        await PostAsync(app.Client(nurse), Body(new { conversationId = c, message = "hi", clientMessageId = "e1" }), stream).ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnotherPatientsConversationIs404AndNot500(bool stream)
    {
        var (_, c) = await PatientWithConversationAsync();
        var stranger = await app.UserAsync();

        await PostAsync(app.Client(stranger), Body(new { conversationId = c, message = "hi", clientMessageId = "e1" }), stream).ProblemAsync(HttpStatusCode.NotFound);
        await PostAsync(app.Client(stranger), Body(new { conversationId = Guid.CreateVersion7(), message = "hi", clientMessageId = "e2" }), stream).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(0, await StoredMessagesAsync(c));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnArchivedConversationIs409WithABody(bool stream)
    {
        var (patient, c) = await PatientWithConversationAsync();
        var admin = await app.UserAsync(Role.Admin);
        await app.Client(admin).PatchAsync($"/api/chat/{c}/status", JsonContent.Create(new { status = "archived" }), Ct).ReadAsync<ConversationDto>(HttpStatusCode.OK);

        await PostAsync(app.Client(patient), Body(new { conversationId = c, message = "hi", clientMessageId = "e1" }), stream).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(0, await StoredMessagesAsync(c));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ABodyOverTheLimitIs413(bool stream)
    {
        var (patient, c) = await PatientWithConversationAsync();

        await PostAsync(app.Client(patient), Body(new { conversationId = c, message = new string('a', 70_000), clientMessageId = "e1" }), stream)
            .ProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal(0, await StoredMessagesAsync(c));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AUsedUpDailyLimitIs429WithRetryAfter(bool stream)
    {
        var (patient, c) = await PatientWithConversationAsync();
        await app.ExecuteAsOwnerAsync("INSERT INTO ai_usage (user_id, day, requests, tokens) VALUES ($1, (now() AT TIME ZONE 'utc')::date, 500, 0)", patient.Id);

        var response = await PostAsync(app.Client(patient), Body(new { conversationId = c, message = "a question", clientMessageId = "e1" }), stream);

        await response.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(0, await StoredMessagesAsync(c));
    }

    [Fact]
    public async Task APausedAssistantIs503AsJsonAndOneErrorEventOnTheStream()
    {
        var (patient, c) = await PatientWithConversationAsync();
        // One failure opens the breaker (if an earlier test has not already).
        var first = await PostAsync(app.Client(patient), Body(new { conversationId = c, message = "my knee hurts", clientMessageId = "e0" }), stream: false);
        Assert.Contains((int)first.StatusCode, new[] { 502, 503 });

        var problem = await PostAsync(app.Client(patient), Body(new { conversationId = c, message = "my knee still hurts", clientMessageId = "e1" }), stream: false)
            .ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("paused", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The stream has already told the patient their message is stored, so the failure is its last event.
        var streamed = await PostAsync(app.Client(patient), Body(new { conversationId = c, message = "and my ankle", clientMessageId = "e2" }), stream: true);
        Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);
        Assert.Equal("text/event-stream", streamed.Content.Headers.ContentType?.MediaType);
        var events = ParseEvents(await streamed.Content.ReadAsStringAsync(Ct));
        Assert.Equal(["user-message", "triage", "error"], events.Select(e => e.Name));
        var error = events[^1].Data;
        Assert.Equal(503, error.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("title").GetString()));
        Assert.Contains("paused", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, await StoredMessagesAsync(c));
    }

    [Fact]
    public async Task AnEmergencyIsAnsweredOnTheStreamEvenWhileTheAssistantIsPaused()
    {
        var (patient, c) = await PatientWithConversationAsync();
        await PostAsync(app.Client(patient), Body(new { conversationId = c, message = "my knee hurts", clientMessageId = "e0" }), stream: false);

        var streamed = await PostAsync(app.Client(patient), Body(new { conversationId = c, message = "my husband collapsed and is not breathing", clientMessageId = "e1" }), stream: true);

        var events = ParseEvents(await streamed.Content.ReadAsStringAsync(Ct));
        Assert.Equal(["user-message", "triage", "reply", "done"], events.Select(e => e.Name));
        Assert.Equal("emergency", events[1].Data.GetProperty("level").GetString());
    }

    private static List<SseEvent> ParseEvents(string text)
    {
        var events = new List<SseEvent>();
        string? name = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) events.Add(new SseEvent(name!, JsonDocument.Parse(line[6..]).RootElement.Clone()));
        }
        return events;
    }
}
