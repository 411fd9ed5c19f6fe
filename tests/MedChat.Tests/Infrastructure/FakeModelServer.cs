using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MedChat.Tests.Infrastructure;

public enum ModelBehaviour { Answer, Fail500, Hang, DropMidStream }

/// <summary>
/// An OpenAI-compatible chat completions server on 127.0.0.1, so the real HTTP path to the model
/// runs: SSE chat.completion.chunk when asked to stream, chat.completion otherwise. It records
/// every request body, and can fail, hang or break off on demand.
/// </summary>
public sealed class FakeModelServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<JsonObject> _requests = new();

    public ModelBehaviour Behaviour { get; set; } = ModelBehaviour.Answer;
    public string[] Chunks { get; set; } = ["Rest, drink ", "fluids, and ", "see a doctor if it gets worse."];
    public IReadOnlyList<JsonObject> Requests => _requests.ToList();
    public Uri Address { get; }

    public FakeModelServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/v1/chat/completions", HandleAsync);
        _app.StartAsync().GetAwaiter().GetResult();
        Address = new Uri(_app.Urls.First());
    }

    private async Task HandleAsync(HttpContext http)
    {
        var body = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
        _requests.Enqueue(body);
        switch (Behaviour)
        {
            case ModelBehaviour.Fail500:
                http.Response.StatusCode = 500;
                await http.Response.WriteAsJsonAsync(new { error = new { message = "model exploded", type = "server_error" } });
                return;
            case ModelBehaviour.Hang:
                await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { });
                return;
        }
        var model = body["model"]?.GetValue<string>() ?? "fake";
        if (body["stream"]?.GetValue<bool>() != true)
        {
            await http.Response.WriteAsJsonAsync(new
            {
                id = "cmpl-1", @object = "chat.completion", created = 1, model,
                choices = new[] { new { index = 0, message = new { role = "assistant", content = string.Concat(Chunks) }, finish_reason = "stop" } },
                usage = new { prompt_tokens = 10, completion_tokens = 5, total_tokens = 15 },
            });
            return;
        }
        http.Response.ContentType = "text/event-stream";
        for (var i = 0; i < Chunks.Length; i++)
        {
            await Send(http, Chunk(model, new { role = "assistant", content = Chunks[i] }, null));
            if (Behaviour == ModelBehaviour.DropMidStream && i == 0)
            {
                // Let the first token arrive before the connection breaks, as a real mid-stream failure.
                await Task.Delay(300);
                http.Abort();
                return;
            }
        }
        await Send(http, Chunk(model, new { }, "stop"));
        await Send(http, new { id = "cmpl-1", @object = "chat.completion.chunk", created = 1, model, choices = Array.Empty<object>(), usage = new { prompt_tokens = 10, completion_tokens = 5, total_tokens = 15 } });
        await http.Response.WriteAsync("data: [DONE]\n\n");
    }

    private static object Chunk(string model, object delta, string? finish) =>
        new { id = "cmpl-1", @object = "chat.completion.chunk", created = 1, model, choices = new[] { new { index = 0, delta, finish_reason = finish } } };

    private static async Task Send(HttpContext http, object payload)
    {
        await http.Response.WriteAsync("data: " + JsonSerializer.Serialize(payload) + "\n\n");
        await http.Response.Body.FlushAsync();
    }

    /// <summary>The text of every message the model was sent in the last request, by role.</summary>
    public IReadOnlyList<(string Role, string Content)> LastPrompt() =>
        Requests[^1]["messages"]!.AsArray().Select(m => (m!["role"]!.GetValue<string>(), TextOf(m["content"]))).ToList();

    private static string TextOf(JsonNode? content) => content switch
    {
        JsonValue v => v.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>() ?? "")),
        _ => "",
    };

    public void Reset()
    {
        _requests.Clear();
        Behaviour = ModelBehaviour.Answer;
        Chunks = ["Rest, drink ", "fluids, and ", "see a doctor if it gets worse."];
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
