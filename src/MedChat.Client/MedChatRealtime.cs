using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace MedChat.Client;

/// <summary>
/// The realtime hub with the reconnect recipe built in: it reconnects on its own, rejoins every
/// conversation it had joined with the last seq it delivered, and hands each message to
/// <see cref="MessageReceived"/> once, in seq order per conversation, whether it came live or by
/// catch-up.
/// </summary>
public sealed class MedChatRealtime : IAsyncDisposable
{
    private readonly HubConnection _hub;
    private readonly ConcurrentDictionary<Guid, long> _lastSeq = new();
    private readonly SemaphoreSlim _deliver = new(1, 1);

    public MedChatRealtime(Uri serverBase, Func<Task<string?>> token, Action<IHubConnectionBuilder>? configure = null)
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(serverBase, "hubs/chat"), o => o.AccessTokenProvider = token)
            .WithAutomaticReconnect(new ForeverRetry())
            .AddJsonProtocol(o => MedChatJson.Configure(o.PayloadSerializerOptions));
        configure?.Invoke(builder);
        _hub = builder.Build();

        _hub.On<Message>("MessageCreated", m => DeliverAsync(m.ConversationId, [m]));
        _hub.On<ReceiptsUpdated>("ReceiptsUpdated", r => ReceiptsUpdated?.Invoke(r));
        _hub.On<TypingChanged>("TypingChanged", t => TypingChanged?.Invoke(t));
        _hub.On<PresenceChanged>("PresenceChanged", p => PresenceChanged?.Invoke(p));
        _hub.On<Conversation>("ConversationUpdated", c => ConversationUpdated?.Invoke(c));
        _hub.On<AssistantDelta>("AssistantDelta", d => AssistantDelta?.Invoke(d));
        _hub.Reconnecting += _ =>
        {
            Reconnecting?.Invoke();
            return Task.CompletedTask;
        };
        _hub.Closed += _ =>
        {
            Closed?.Invoke();
            return Task.CompletedTask;
        };
        // Rejoin outside the Reconnected callback: hub calls made inside it can wait on the reconnect itself.
        _hub.Reconnected += connectionId =>
        {
            _ = Task.Run(async () =>
            {
                foreach (var id in _lastSeq.Keys) await CatchUpAsync(id, CancellationToken.None);
                Reconnected?.Invoke();
            });
            return Task.CompletedTask;
        };
    }

    /// <summary>Each message once, in order, per joined conversation.</summary>
    public event Action<Message>? MessageReceived;
    public event Action<ReceiptsUpdated>? ReceiptsUpdated;
    public event Action<TypingChanged>? TypingChanged;
    public event Action<PresenceChanged>? PresenceChanged;
    public event Action<Conversation>? ConversationUpdated;
    public event Action<AssistantDelta>? AssistantDelta;
    /// <summary>The connection dropped; it is being re-established on its own.</summary>
    public event Action? Reconnecting;
    /// <summary>The connection ended for good (stopped, or the server refused it).</summary>
    public event Action? Closed;
    /// <summary>After a reconnect, once every conversation has caught up.</summary>
    public event Action? Reconnected;

    public HubConnectionState State => _hub.State;

    public Task StartAsync(CancellationToken ct = default) => _hub.StartAsync(ct);

    /// <summary>Joins a conversation, delivering everything after <paramref name="afterSeq"/> (and keeping up from then on).</summary>
    public async Task<Conversation> JoinAsync(Guid conversationId, long afterSeq = 0, CancellationToken ct = default)
    {
        _lastSeq.TryAdd(conversationId, afterSeq);
        return await CatchUpAsync(conversationId, ct);
    }

    public async Task LeaveAsync(Guid conversationId, CancellationToken ct = default)
    {
        _lastSeq.TryRemove(conversationId, out _);
        await _hub.InvokeAsync("LeaveConversation", conversationId, ct);
    }

    /// <summary>The last seq delivered for a conversation: what to pass to JoinAsync after a restart.</summary>
    public long LastSeq(Guid conversationId) => _lastSeq.GetValueOrDefault(conversationId);

    /// <summary>Sends over the hub; retried with the same clientMessageId, so it is stored once.</summary>
    public async Task<Message> SendAsync(Guid conversationId, string content, string? clientMessageId = null, CancellationToken ct = default)
    {
        clientMessageId ??= Guid.NewGuid().ToString();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await _hub.InvokeAsync<Message>("SendMessage", conversationId, clientMessageId, content, ct);
            }
            catch (Exception e) when (attempt < 5 && e is not HubException && !ct.IsCancellationRequested)
            {
                // The connection dropped mid-call: wait for the reconnect, then ask again.
                await Task.Delay(MedChatClient.Backoff(attempt), ct);
            }
        }
    }

    public Task TypingAsync(Guid conversationId, bool isTyping, CancellationToken ct = default) =>
        _hub.InvokeAsync("Typing", conversationId, isTyping, ct);

    public Task MarkDeliveredAsync(Guid conversationId, long seq, CancellationToken ct = default) =>
        _hub.InvokeAsync("MarkDelivered", conversationId, seq, ct);

    public Task MarkReadAsync(Guid conversationId, long seq, CancellationToken ct = default) =>
        _hub.InvokeAsync("MarkRead", conversationId, seq, ct);

    public Task<IReadOnlyList<Presence>> GetPresenceAsync(Guid conversationId, CancellationToken ct = default) =>
        _hub.InvokeAsync<IReadOnlyList<Presence>>("GetPresence", conversationId, ct);

    public async ValueTask DisposeAsync() => await _hub.DisposeAsync();

    /// <summary>JoinConversation from the last delivered seq, paging until nothing is missing.</summary>
    private async Task<Conversation> CatchUpAsync(Guid conversationId, CancellationToken ct)
    {
        while (true)
        {
            var result = await _hub.InvokeAsync<JoinResult>("JoinConversation", conversationId, LastSeq(conversationId), ct);
            await DeliverAsync(conversationId, result.Messages);
            if (!result.HasMore) return result.Conversation;
        }
    }

    /// <summary>Delivers messages above the last delivered seq, in order; a gap is closed by catching up first.</summary>
    private async Task DeliverAsync(Guid conversationId, IReadOnlyList<Message> messages)
    {
        var gap = false;
        await _deliver.WaitAsync();
        try
        {
            if (!_lastSeq.TryGetValue(conversationId, out var last)) return;
            foreach (var m in messages.OrderBy(m => m.Seq))
            {
                if (m.Seq <= last) continue;
                if (m.Seq != last + 1)
                {
                    gap = true;
                    break;
                }
                last = m.Seq;
                _lastSeq[conversationId] = last;
                MessageReceived?.Invoke(m);
            }
        }
        finally
        {
            _deliver.Release();
        }
        // Not awaited: this runs inside a hub event handler, and a hub call awaited there would
        // wait on the very receive loop that must deliver its answer.
        if (gap) _ = Task.Run(() => CatchUpAsync(conversationId, CancellationToken.None));
    }

    private sealed class ForeverRetry : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext context) =>
            TimeSpan.FromMilliseconds(Math.Min(10_000, 250 * Math.Pow(2, Math.Min(context.PreviousRetryCount, 6))) + Random.Shared.Next(0, 250));
    }
}
