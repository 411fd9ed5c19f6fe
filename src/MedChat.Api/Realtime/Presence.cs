using MedChat.Api.Conversations;
using MedChat.Api.Data;
using MedChat.Api.Identity;
using Microsoft.EntityFrameworkCore;

namespace MedChat.Api.Realtime;

public sealed record PresenceDto(Guid UserId, Role Role, bool Online, DateTime? LastSeenAt);

/// <summary>Who is online across all nodes. In memory for one node; in Redis, with expiring heartbeats, for many.</summary>
public interface IPresenceStore
{
    /// <summary>Records a connection; true when the user was offline everywhere until now.</summary>
    Task<bool> ConnectedAsync(Guid userId, string connectionId, DateTime now);

    /// <summary>Forgets a connection; true when it was the user's last one anywhere (then lastSeenAt is <paramref name="now"/>).</summary>
    Task<bool> DisconnectedAsync(Guid userId, string connectionId, DateTime now);

    Task<IReadOnlyDictionary<Guid, (bool Online, DateTime? LastSeenAt)>> GetAsync(IReadOnlyCollection<Guid> userIds, DateTime now);
}

public sealed class InMemoryPresenceStore : IPresenceStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, HashSet<string>> _online = [];
    private readonly Dictionary<Guid, DateTime> _lastSeen = [];

    public Task<bool> ConnectedAsync(Guid userId, string connectionId, DateTime now)
    {
        lock (_gate)
        {
            if (!_online.TryGetValue(userId, out var set)) _online[userId] = set = [];
            set.Add(connectionId);
            return Task.FromResult(set.Count == 1);
        }
    }

    public Task<bool> DisconnectedAsync(Guid userId, string connectionId, DateTime now)
    {
        lock (_gate)
        {
            if (!_online.TryGetValue(userId, out var set) || !set.Remove(connectionId)) return Task.FromResult(false);
            if (set.Count > 0) return Task.FromResult(false);
            _online.Remove(userId);
            _lastSeen[userId] = now;
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyDictionary<Guid, (bool Online, DateTime? LastSeenAt)>> GetAsync(IReadOnlyCollection<Guid> userIds, DateTime now)
    {
        lock (_gate)
        {
            IReadOnlyDictionary<Guid, (bool, DateTime?)> result = userIds.Distinct().ToDictionary(
                u => u, u => (_online.ContainsKey(u), _lastSeen.TryGetValue(u, out var t) ? t : (DateTime?)null));
            return Task.FromResult(result);
        }
    }
}

/// <summary>Presence announcements and the hub's GetPresence.</summary>
public sealed class PresenceService(IPresenceStore store, IServiceScopeFactory scopes, IChatEvents events, TimeProvider time)
{
    public async Task ConnectedAsync(Guid userId, Role role, string connectionId)
    {
        if (await store.ConnectedAsync(userId, connectionId, Web.Clock.UtcNow(time)))
            await AnnounceAsync(new PresenceChanged(userId, role, true, null));
    }

    public async Task DisconnectedAsync(Guid userId, Role role, string connectionId)
    {
        var now = Web.Clock.UtcNow(time);
        if (await store.DisconnectedAsync(userId, connectionId, now))
            await AnnounceAsync(new PresenceChanged(userId, role, false, now));
    }

    /// <summary>A user whose node died: announced offline by the node that noticed (ScaleOut's sweep).</summary>
    public Task AnnounceOfflineAsync(Guid userId, Role role, DateTime lastSeen) =>
        AnnounceAsync(new PresenceChanged(userId, role, false, lastSeen));

    /// <summary>
    /// To the people who share a conversation with the user (a patient's assigned staff; a staff
    /// member's patients), and staff presence to all staff. The two audiences never overlap.
    /// </summary>
    private async Task AnnounceAsync(PresenceChanged presence)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MedChatDb>();
        await db.BeginAsync(new Principal(presence.UserId, null, false), CancellationToken.None);
        var uid = presence.UserId;
        var sharing = presence.Role == Role.Patient
            ? await db.Conversations.Where(c => c.PatientId == uid && c.AssignedStaffId != null).Select(c => c.AssignedStaffId!.Value).Distinct().ToListAsync()
            : await db.Conversations.Where(c => c.AssignedStaffId == uid).Select(c => c.PatientId).Distinct().ToListAsync();
        await db.CommitAsync(CancellationToken.None);
        await events.PresenceChangedAsync(presence, sharing, toStaff: presence.Role != Role.Patient);
    }

    /// <summary>The conversation's participants: its patient, whoever holds it, and anyone who has receipts in it.</summary>
    public async Task<IReadOnlyList<PresenceDto>> GetAsync(Principal who, Guid conversationId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MedChatDb>();
        var conversations = scope.ServiceProvider.GetRequiredService<ConversationService>();
        var caller = await db.BeginAsync(who, ct);
        var c = await conversations.FindAsync(caller, conversationId, ct);
        var roles = new Dictionary<Guid, Role> { [c.PatientId] = Role.Patient };
        if (c.AssignedStaffId is { } staff) roles[staff] = Role.Staff;
        foreach (var r in await db.Receipts.AsNoTracking().Where(r => r.ConversationId == conversationId).ToListAsync(ct))
            roles[r.UserId] = r.Role;
        await Audit.AuditTrail.CommitAuditedAsync(db, caller, "presence.read", conversationId, Web.Clock.UtcNow(time), ct);

        var state = await store.GetAsync(roles.Keys, Web.Clock.UtcNow(time));
        return roles.Select(kv => new PresenceDto(kv.Key, kv.Value, state[kv.Key].Online, state[kv.Key].LastSeenAt)).ToList();
    }
}
