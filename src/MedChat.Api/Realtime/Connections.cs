using MedChat.Api.Identity;
using Microsoft.AspNetCore.SignalR;

namespace MedChat.Api.Realtime;

/// <summary>
/// This node's open hub connections: whose they are and which conversations each has joined.
/// Typing cleanup, presence counts and access re-checks read it; the SignalR groups (which span
/// nodes through the backplane) are kept in step with it.
/// </summary>
public sealed class Connections
{
    public sealed class Entry(string connectionId, Guid userId, Role role, HubCallerContext context)
    {
        public string ConnectionId { get; } = connectionId;
        public Guid UserId { get; } = userId;
        /// <summary>The role at connect, updated when an admin changes it (AccessGuard).</summary>
        public Role Role { get; set; } = role;
        public HubCallerContext Context { get; } = context;
        public HashSet<Guid> Joined { get; } = [];
    }

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _byId = [];

    public void Add(Entry entry)
    {
        lock (_gate) _byId[entry.ConnectionId] = entry;
    }

    /// <summary>Removes a connection and returns it (null when unknown).</summary>
    public Entry? Remove(string connectionId)
    {
        lock (_gate) return _byId.Remove(connectionId, out var entry) ? entry : null;
    }

    public Entry? Get(string connectionId)
    {
        lock (_gate) return _byId.GetValueOrDefault(connectionId);
    }

    public void Join(string connectionId, Guid conversationId)
    {
        lock (_gate)
            if (_byId.TryGetValue(connectionId, out var e)) e.Joined.Add(conversationId);
    }

    /// <summary>Leaves a conversation; true when no other connection of the same user is still joined to it here.</summary>
    public bool Leave(string connectionId, Guid conversationId)
    {
        lock (_gate)
        {
            if (!_byId.TryGetValue(connectionId, out var e) || !e.Joined.Remove(conversationId)) return false;
            return !_byId.Values.Any(o => o.UserId == e.UserId && o.Joined.Contains(conversationId));
        }
    }

    public bool IsJoined(string connectionId, Guid conversationId)
    {
        lock (_gate) return _byId.TryGetValue(connectionId, out var e) && e.Joined.Contains(conversationId);
    }

    /// <summary>A snapshot of the connections matching a filter (safe to use outside the lock).</summary>
    public List<(Entry Entry, Guid[] Joined)> Where(Func<Entry, bool> match)
    {
        lock (_gate) return _byId.Values.Where(match).Select(e => (e, e.Joined.ToArray())).ToList();
    }
}
