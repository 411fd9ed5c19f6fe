using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MedChat.Bench;

/// <summary>
/// A tiny OpenAI-compatible server on 127.0.0.1: POST /v1/chat/completions answers at once, as a
/// chat.completion or (stream: true) as SSE chat.completion.chunk deltas. Its own time to first
/// token is measured too, so the assistant's overhead is MedChat's alone.
/// </summary>
internal sealed class FakeModel : IAsyncDisposable
{
    private static readonly string[] Words = ["Take ", "vitamin ", "D ", "with ", "a ", "meal ", "that ", "has ", "some ", "fat."];
    private readonly WebApplication _app;
    private int _requests;

    public Uri BaseAddress { get; }
    public int Requests => Volatile.Read(ref _requests);

    private FakeModel(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public static async Task<FakeModel> StartAsync()
    {
        var port = Stack.FreePort();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var model = new FakeModel(app, new Uri($"http://127.0.0.1:{port}/"));
        app.MapPost("/v1/chat/completions", model.CompleteAsync);
        await app.StartAsync();
        return model;
    }

    private async Task CompleteAsync(HttpContext ctx)
    {
        Interlocked.Increment(ref _requests);
        var body = await JsonNode.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted);
        var stream = body?["stream"]?.GetValue<bool>() ?? false;
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (!stream)
        {
            // Non-streaming calls are classifiers (triage): a plain routine verdict.
            await ctx.Response.WriteAsJsonAsync(new
            {
                id = "chatcmpl-bench", @object = "chat.completion", created, model = "fake",
                choices = new[] { new { index = 0, message = new { role = "assistant", content = """{"level":"routine","redFlags":[]}""" }, finish_reason = "stop" } },
                usage = new { prompt_tokens = 20, completion_tokens = 8, total_tokens = 28 },
            }, ctx.RequestAborted);
            return;
        }
        ctx.Response.ContentType = "text/event-stream";
        ctx.Response.Headers.CacheControl = "no-cache";
        for (var i = 0; i < Words.Length; i++)
        {
            object delta = i == 0 ? new { role = "assistant", content = Words[i] } : new { content = Words[i] };
            await WriteAsync(ctx, new { id = "chatcmpl-bench", @object = "chat.completion.chunk", created, model = "fake", choices = new[] { new { index = 0, delta, finish_reason = (string?)null } } });
        }
        await WriteAsync(ctx, new
        {
            id = "chatcmpl-bench", @object = "chat.completion.chunk", created, model = "fake",
            choices = new[] { new { index = 0, delta = new { }, finish_reason = "stop" } },
            usage = new { prompt_tokens = 20, completion_tokens = Words.Length, total_tokens = 20 + Words.Length },
        });
        await ctx.Response.WriteAsync("data: [DONE]\n\n", ctx.RequestAborted);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
    }

    private static async Task WriteAsync(HttpContext ctx, object chunk)
    {
        await ctx.Response.WriteAsync("data: " + JsonSerializer.Serialize(chunk) + "\n\n", ctx.RequestAborted);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
