using System.Security.Claims;
using System.Text.Json;
using MedChat.Api.Identity;
using MedChat.Api.Messages;
using MedChat.Api.Web;
using Microsoft.Extensions.AI;
using OpenAI;

namespace MedChat.Api.Assistant;

public static class AssistantEndpoints
{
    public static void AddMedChatAssistant(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Ai").Get<AssistantOptions>() ?? new AssistantOptions();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<IChatClient>(_ => options.Provider.ToLowerInvariant() switch
        {
            "none" => new OfflineResponder(TimeSpan.FromMilliseconds(options.OfflinePaceMs)),
            "openai" => OpenAi(options),
            _ => throw new InvalidOperationException($"Ai:Provider must be 'none' or 'openai', not '{options.Provider}'."),
        });
        builder.Services.AddSingleton<ModelRunner>();
        builder.Services.AddScoped<AssistantService>();
    }

    /// <summary>Any OpenAI-compatible server (OpenAI, Azure OpenAI, Ollama, vLLM). Retries and time limits are ModelRunner's, not the SDK's.</summary>
    private static IChatClient OpenAi(AssistantOptions o)
    {
        if (string.IsNullOrWhiteSpace(o.Endpoint) || string.IsNullOrWhiteSpace(o.Model))
            throw new InvalidOperationException("Ai:Provider 'openai' needs Ai:Endpoint (base URL without /v1) and Ai:Model.");
        var client = new OpenAIClient(new System.ClientModel.ApiKeyCredential(o.ApiKey ?? "unused"), new OpenAIClientOptions
        {
            Endpoint = new Uri(o.Endpoint.TrimEnd('/') + "/v1"),
            RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(o.TotalTimeoutSeconds + 5),
        });
        return client.GetChatClient(o.Model).AsIChatClient();
    }

    public static void MapAssistant(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/chat", Chat).RequireAuthorization().WithTags("Assistant").WithName("Chat")
            .WithSummary("Send a message to the assistant: safety gate, then the model. JSON, or text/event-stream with Accept.")
            .Produces<ChatReply>().Produces(200, contentType: "text/event-stream")
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(429).ProducesProblem(502);
    }

    private static async Task<IResult> Chat(HttpContext http, ChatRequest body, ClaimsPrincipal user, AssistantService service, CancellationToken ct)
    {
        var who = Principal.From(user);
        if (!http.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase))
            return TypedResults.Ok(await service.ChatAsync(who, body, null, ct));

        var sse = new ServerSentEvents(http.Response);
        try
        {
            await service.ChatAsync(who, body, sse, ct);
            await sse.SendAsync("done", new { });
        }
        // Before the first event the failure is an ordinary problem response; after it, an error event.
        catch (Exception e) when (sse.Started && e is not OperationCanceledException)
        {
            var (status, title, detail, errors) = ProblemMapping.Describe(e);
            await sse.SendAsync("error", new { type = "about:blank", title, status, detail, errors });
        }
        return Results.Empty;
    }

    private sealed class ServerSentEvents(HttpResponse response) : IAssistantStream
    {
        public bool Started { get; private set; }

        public Task UserMessageAsync(MessageDto message) => SendAsync("user-message", message);
        public Task TriageAsync(TriageDto triage) => SendAsync("triage", triage);
        public Task DeltaAsync(string text) => SendAsync("delta", new { text });
        public Task ReplyAsync(MessageDto message) => SendAsync("reply", message);

        public async Task SendAsync(string name, object payload)
        {
            if (!Started)
            {
                Started = true;
                response.ContentType = "text/event-stream";
                response.Headers.CacheControl = "no-cache";
                response.Headers["X-Accel-Buffering"] = "no";
            }
            await response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(payload, Json.Options)}\n\n");
            await response.Body.FlushAsync();
        }
    }
}
