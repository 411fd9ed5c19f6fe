using MedChat.Api.Identity;

namespace MedChat.Api.Realtime;

/// <summary>
/// Who is typing where, on this node. A repeated "typing" within <see cref="Quiet"/> is not
/// broadcast again; <see cref="Expiry"/> after the last one the server itself says "stopped".
/// Timers come from <see cref="TimeProvider"/>, so tests move the clock instead of sleeping.
/// </summary>
public sealed class TypingTracker(TimeProvider time, IChatEvents events, ILogger<TypingTracker> log)
{
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(6);

    private sealed class State(Role role, ITimer timer)
    {
        public Role Role { get; } = role;
        public ITimer Timer { get; } = timer;
        public DateTimeOffset LastBroadcast { get; set; }
    }

    private readonly Lock _gate = new();
    private readonly Dictionary<(Guid Conversation, Guid User), State> _typing = [];

    public Task SetAsync(Guid conversationId, Guid userId, Role role, bool isTyping) =>
        isTyping ? StartAsync(conversationId, userId, role) : StopAsync(conversationId, userId);

    private Task StartAsync(Guid conversationId, Guid userId, Role role)
    {
        var key = (conversationId, userId);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_typing.TryGetValue(key, out var state))
            {
                state = new State(role, time.CreateTimer(_ => Expire(key), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
                _typing[key] = state;
            }
            state.Timer.Change(Expiry, Timeout.InfiniteTimeSpan);
            if (state.LastBroadcast != default && now - state.LastBroadcast < Quiet) return Task.CompletedTask;
            state.LastBroadcast = now;
        }
        return events.TypingChangedAsync(new TypingChanged(conversationId, userId, role, true));
    }

    /// <summary>Stops a user's typing in a conversation and says so, if they were typing.</summary>
    public Task StopAsync(Guid conversationId, Guid userId)
    {
        State? state;
        lock (_gate)
        {
            if (!_typing.Remove((conversationId, userId), out state)) return Task.CompletedTask;
        }
        state.Timer.Dispose();
        return events.TypingChangedAsync(new TypingChanged(conversationId, userId, state.Role, false));
    }

    private void Expire((Guid Conversation, Guid User) key) =>
        _ = StopAsync(key.Conversation, key.User).ContinueWith(
            t => log.LogWarning(t.Exception, "Could not broadcast typing expiry for {ConversationId}", key.Conversation),
            TaskContinuationOptions.OnlyOnFaulted);
}
