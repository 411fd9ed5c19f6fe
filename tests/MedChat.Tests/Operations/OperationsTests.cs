using System.Text.Json;
using MedChat.Api.Web;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace MedChat.Tests.Operations;

public sealed class OperationsTests(MedChatApp app) : ApiTest(app)
{
    /// <summary>Every route the contract names, with its method.</summary>
    public static readonly TheoryData<string, string> ContractRoutes = new()
    {
        { "get", "/api/me" },
        { "put", "/api/admin/users/{id}" },
        { "get", "/api/chat/conversations" },
        { "post", "/api/chat/conversations" },
        { "get", "/api/chat/conversations/{id}" },
        { "patch", "/api/chat/{conversationId}/status" },
        { "post", "/api/chat/{conversationId}/claim" },
        { "put", "/api/chat/{conversationId}/assignee" },
        { "get", "/api/chat/{conversationId}/messages" },
        { "post", "/api/chat/{conversationId}/messages" },
        { "post", "/api/chat/{conversationId}/receipts" },
        { "get", "/api/chat/{conversationId}/receipts" },
    };

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task HealthEndpointsAnswerHealthyWithoutAToken(string path)
    {
        using var response = await App.Client().GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(ContractRoutes))]
    public async Task TheOpenApiDocumentDescribesEveryContractRoute(string method, string path)
    {
        using var response = await App.Client().GetAsync("/openapi/v1.json", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty(path, out var item), $"/openapi/v1.json has no path {path}; it has {string.Join(", ", paths.EnumerateObject().Select(p => p.Name))}");
        Assert.True(item.TryGetProperty(method, out _), $"/openapi/v1.json has {path} but not {method.ToUpperInvariant()}");
    }

    [Fact]
    public async Task TheScalarReferenceServesAPageForTheOpenApiDocument()
    {
        using var response = await App.Client().GetAsync("/scalar", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("openapi/v1.json", body, StringComparison.Ordinal);
    }
}

/// <summary>The logs an operator collects with the shipped levels.</summary>
public sealed class LogSafetyTests(LoggingMedChatApp app) : LogSafety<LoggingMedChatApp>(app);

/// <summary>The logs an operator collects after turning ASP.NET Core's own categories up to Information.</summary>
public sealed class VerboseFrameworkLogSafetyTests(VerboseFrameworkLoggingMedChatApp app) : LogSafety<VerboseFrameworkLoggingMedChatApp>(app);

/// <summary>The logs an operator would collect must never hold what patients wrote, their names, nor a token.</summary>
public abstract class LogSafety<TApp>(TApp app) : IClassFixture<TApp>, IAsyncLifetime where TApp : LoggingMedChatApp
{
    private TApp App { get; } = app;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await App.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task RequestLogsNeverContainMessageContentNamesOrTheTokenEvenWhenItRidesInTheQueryString()
    {
        var unique = Guid.NewGuid().ToString("N");
        var name = $"Secret Name {unique[..8]}";
        var patient = await App.UserAsync(Role.Patient, name);
        var restContent = $"rest content {unique}";
        var hubContent = $"hub content {unique}";
        var rejectedContent = $"rejected content {unique}";
        var client = App.Client(patient);

        var conversation = await client.PostJsonAsync("/api/chat/conversations", new { title = $"title {unique}" })
            .ReadAsync<JsonElement>(HttpStatusCode.Created);
        var id = conversation.GetProperty("id").GetGuid();
        await client.PostJsonAsync($"/api/chat/{id}/messages", new { content = restContent, clientMessageId = "rest-1" })
            .ReadAsync<JsonElement>(HttpStatusCode.Created);
        // Refused requests take the error paths, where bodies tend to end up in logs.
        using (await client.PostJsonAsync($"/api/chat/{Guid.NewGuid()}/messages", new { content = rejectedContent, clientMessageId = "r-1" })) { }
        using (await client.PostJsonAsync($"/api/chat/{id}/messages", new { content = rejectedContent + new string('x', 4001), clientMessageId = "r-2" })) { }
        using (var malformed = new StringContent($"{{\"content\": \"{rejectedContent}\", \"clientMessageId\": 12,", System.Text.Encoding.UTF8, "application/json"))
        using (await client.PostAsync($"/api/chat/{id}/messages", malformed, Ct)) { }

        // The hub the way a browser reaches it: the token in the query string, on negotiate and on the socket.
        var anonymous = App.Client();
        using (var negotiate = await anonymous.PostAsync($"/hubs/chat/negotiate?negotiateVersion=1&access_token={patient.Token}", null, Ct))
            Assert.Equal(HttpStatusCode.OK, negotiate.StatusCode);
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(App.BaseAddress, $"/hubs/chat?access_token={patient.Token}"), o =>
            {
                o.SkipNegotiation = true;
                o.Transports = HttpTransportType.WebSockets;
            })
            .AddJsonProtocol(o => Json.Configure(o.PayloadSerializerOptions))
            .Build();
        await using (hub)
        {
            await hub.StartAsync(Ct);
            var sent = await hub.InvokeAsync<MessageDto>("SendMessage", id, "hub-1", hubContent, Ct);
            Assert.Equal(hubContent, sent.Content);
            await hub.StopAsync(Ct);
        }

        // The request log writes its line after the response; wait for the lines this test caused.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && !(Logged("POST /api/chat/{conversationId}/messages 201") && Logged("/hubs/chat ")))
            await Task.Delay(50, Ct);
        Assert.True(Logged("POST /api/chat/{conversationId}/messages 201"), "no request log line for the message post: the capture sees nothing\n" + Dump());
        Assert.True(Logged("/hubs/chat "), "no request log line for the hub connection\n" + Dump());

        var signature = patient.Token[(patient.Token.LastIndexOf('.') + 1)..];
        foreach (var secret in new[] { unique, patient.Token, signature, name })
        {
            var leak = App.Logs.Logs.FirstOrDefault(l => l.Everything.Contains(secret, StringComparison.Ordinal));
            Assert.True(leak is null, $"a log line holds '{secret}': {leak}");
        }
    }

    private bool Logged(string text) =>
        App.Logs.Logs.Any(l => l.Category == "MedChat.Requests" && l.Message.Contains(text, StringComparison.Ordinal));

    private string Dump() => string.Join('\n', App.Logs.Logs.Select(l => $"{l.Category}: {l.Message}"));
}
