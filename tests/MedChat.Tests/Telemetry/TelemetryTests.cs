using System.Collections.Concurrent;
using System.Text;
using MedChat.Api.Realtime;
using MedChat.Tests.Messages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MedChat.Tests.Telemetry;

/// <summary>A real OTLP/HTTP collector on 127.0.0.1 that keeps the protobuf bodies it receives, per signal.</summary>
public sealed class OtlpCollector : IAsyncDisposable
{
    private WebApplication? _app;
    public ConcurrentDictionary<string, ConcurrentQueue<byte[]>> Received { get; } = new();
    public string Endpoint { get; private set; } = "";

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            Received.GetOrAdd(signal, _ => new ConcurrentQueue<byte[]>()).Enqueue(body.ToArray());
            return Results.Bytes([], "application/x-protobuf");
        });
        await _app.StartAsync();
        Endpoint = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    /// <summary>Everything received for a signal, as text: protobuf keeps strings as plain UTF-8.</summary>
    public string Text(string signal) =>
        Received.TryGetValue(signal, out var bodies) ? string.Concat(bodies.Select(b => Encoding.UTF8.GetString(b))) : "";

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}

public sealed class TelemetryApp : MedChatApp, IAsyncLifetime
{
    public OtlpCollector Collector { get; } = new();

    protected override void Configure(IWebHostBuilder builder)
    {
        Collector.StartAsync().GetAwaiter().GetResult();
        builder.UseSetting("OTEL_EXPORTER_OTLP_ENDPOINT", Collector.Endpoint);
        builder.UseSetting("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        builder.UseSetting("OTEL_BSP_SCHEDULE_DELAY", "100");
        builder.UseSetting("OTEL_BLRP_SCHEDULE_DELAY", "100");
        builder.UseSetting("OTEL_METRIC_EXPORT_INTERVAL", "300");
        builder.UseSetting("Logging:LogLevel:MedChat", "Information");
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Collector.DisposeAsync();
    }
}

/// <summary>
/// Spans, metrics and log records reach a real OTLP collector, and none of them holds message
/// content, a display name or a token.
/// </summary>
public sealed class TelemetryTests(TelemetryApp app) : IClassFixture<TelemetryApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SpansMetricsAndLogsReachTheCollectorWithNoContentNameOrToken()
    {
        await app.ResetAsync();
        const string content = "zebra-unicorn-7731 my chest feels odd";
        const string name = "Ophelia Quintessence-Xy";
        var patient = await app.UserAsync(Role.Patient, name);
        var c = await app.StartConversationAsync(patient);
        await app.Client(patient).PostAsync(c.Id, content);
        await using var hub = app.Hub(patient);
        await hub.StartReadyAsync(Ct);
        await hub.InvokeAsync<JoinResult>("JoinConversation", c.Id, 0L, Ct);
        await hub.InvokeAsync<MessageDto>("SendMessage", c.Id, "hub-1", content + " via the hub", Ct);
        await app.Client(patient).MessagesAsync(c.Id);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline &&
               !(app.Collector.Text("traces").Contains("/api/chat/{conversationId}/messages", StringComparison.Ordinal) &&
                 app.Collector.Text("traces").Contains("SendMessage", StringComparison.Ordinal) &&
                 app.Collector.Text("metrics").Contains("medchat.messages.stored", StringComparison.Ordinal) &&
                 app.Collector.Text("logs").Contains(patient.Id.ToString(), StringComparison.Ordinal)))
            await Task.Delay(200, Ct);

        var traces = app.Collector.Text("traces");
        var metrics = app.Collector.Text("metrics");
        var logs = app.Collector.Text("logs");
        Assert.Contains("/api/chat/{conversationId}/messages", traces, StringComparison.Ordinal);
        Assert.Contains("SendMessage", traces, StringComparison.Ordinal);            // the SignalR hub call
        Assert.Contains("INSERT INTO", traces, StringComparison.Ordinal);            // Npgsql
        Assert.Contains("medchat.messages.stored", metrics, StringComparison.Ordinal);
        Assert.Contains(patient.Id.ToString(), logs, StringComparison.Ordinal);   // the request log line, by id
        foreach (var (signal, text) in new[] { ("traces", traces), ("metrics", metrics), ("logs", logs) })
        {
            Assert.DoesNotContain("zebra-unicorn", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Ophelia", text, StringComparison.Ordinal);
            Assert.DoesNotContain(patient.Token.Split('.')[2], text, StringComparison.Ordinal);
            Assert.DoesNotContain(patient.Token.Split('.')[1], text, StringComparison.Ordinal);
            Assert.False(text.Length == 0, $"no {signal} received");
        }
    }
}
