using System.Collections.Concurrent;
using System.Text.Json;
using MedChat.Api.Web;
using Microsoft.AspNetCore.SignalR.Client;

namespace MedChat.Tests.Infrastructure;

/// <summary>Records every server event a hub connection receives, by name, to wait for and count.</summary>
public sealed class HubRecorder
{
    private static readonly string[] Events =
        ["MessageCreated", "ReceiptsUpdated", "TypingChanged", "PresenceChanged", "ConversationUpdated", "AssistantDelta"];

    private readonly ConcurrentQueue<(string Name, JsonElement Payload)> _received = new();
    private readonly SemaphoreSlim _signal = new(0);

    public HubRecorder(HubConnection connection)
    {
        foreach (var name in Events)
            connection.On<JsonElement>(name, payload =>
            {
                _received.Enqueue((name, payload));
                _signal.Release();
            });
    }

    public IReadOnlyList<JsonElement> All(string name) => _received.Where(e => e.Name == name).Select(e => e.Payload).ToList();

    public IReadOnlyList<T> All<T>(string name) => All(name).Select(p => p.Deserialize<T>(Json.Options)!).ToList();

    /// <summary>Waits until <paramref name="count"/> events named <paramref name="name"/> that match have arrived.</summary>
    public async Task<IReadOnlyList<T>> WaitForAsync<T>(string name, int count = 1, Func<T, bool>? match = null, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            var found = All<T>(name).Where(e => match?.Invoke(e) ?? true).ToList();
            if (found.Count >= count) return found;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                Assert.Fail($"Waited {timeoutMs} ms for {count} {name} event(s); got {found.Count}.");
            await _signal.WaitAsync(left > TimeSpan.FromMilliseconds(200) ? TimeSpan.FromMilliseconds(200) : left);
        }
    }
}

public static class HubConnectionReady
{
    /// <summary>
    /// Starts the connection and waits until the server has finished OnConnectedAsync (presence,
    /// groups): the client's start returns at the handshake, and the server handles calls only
    /// after OnConnectedAsync, so one round trip proves it is done.
    /// </summary>
    public static async Task StartReadyAsync(this HubConnection hub, CancellationToken ct)
    {
        await hub.StartAsync(ct);
        await hub.InvokeAsync("LeaveConversation", Guid.Empty, ct);
    }
}
