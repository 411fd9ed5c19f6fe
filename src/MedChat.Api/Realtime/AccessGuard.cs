using MedChat.Api.Conversations;
using MedChat.Api.Data;
using MedChat.Api.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace MedChat.Api.Realtime;

/// <summary>Tells every node that access may have changed (locally, or through Redis on many nodes).</summary>
public interface IAccessNotifier
{
    Task ConversationChangedAsync(Guid conversationId);
    Task RoleChangedAsync(Guid userId);
}

/// <summary>
/// Keeps group membership honest after a change of access: a connection whose user may no longer
/// see a conversation (reassigned, claimed by someone else, role changed) leaves its group and
/// receives none of its events from then on.
/// </summary>
public sealed class AccessGuard(Connections connections, IServiceScopeFactory scopes, IHubContext<ChatHub, IChatClient> hub, TypingTracker typing, ILogger<AccessGuard> log)
    : IAccessNotifier
{
    Task IAccessNotifier.ConversationChangedAsync(Guid conversationId) => RecheckConversationAsync(conversationId);
    Task IAccessNotifier.RoleChangedAsync(Guid userId) => RecheckUserAsync(userId);

    public async Task RecheckConversationAsync(Guid conversationId)
    {
        var joined = connections.Where(e => e.Joined.Contains(conversationId));
        foreach (var user in joined.GroupBy(j => j.Entry.UserId))
        {
            if (await CanSeeAsync(user.Key, conversationId)) continue;
            foreach (var (entry, _) in user)
            {
                connections.Leave(entry.ConnectionId, conversationId);
                await hub.Groups.RemoveFromGroupAsync(entry.ConnectionId, HubEvents.GroupFor(conversationId, entry.Role));
            }
            await typing.StopAsync(conversationId, user.Key);
            log.LogInformation("Removed {UserId} from conversation {ConversationId}: access ended", user.Key, conversationId);
        }
    }

    /// <summary>
    /// After a role change: the user's connections move between the patient and staff groups, and
    /// leave every conversation the new role may not see.
    /// </summary>
    public async Task RecheckUserAsync(Guid userId)
    {
        var mine = connections.Where(e => e.UserId == userId);
        if (mine.Count == 0) return;
        var (role, visible) = await AccessOfAsync(userId, mine.SelectMany(m => m.Joined).Distinct().ToList());
        foreach (var (entry, joined) in mine)
        {
            var before = entry.Role;
            entry.Role = role;
            if (before == Role.Patient && role != Role.Patient) await hub.Groups.AddToGroupAsync(entry.ConnectionId, HubEvents.StaffGroup);
            if (before != Role.Patient && role == Role.Patient) await hub.Groups.RemoveFromGroupAsync(entry.ConnectionId, HubEvents.StaffGroup);
            foreach (var conversationId in joined)
            {
                await hub.Groups.RemoveFromGroupAsync(entry.ConnectionId, HubEvents.GroupFor(conversationId, before));
                if (visible.Contains(conversationId)) await hub.Groups.AddToGroupAsync(entry.ConnectionId, HubEvents.GroupFor(conversationId, role));
                else connections.Leave(entry.ConnectionId, conversationId);
            }
        }
        log.LogInformation("Re-checked the connections of {UserId} after a role change", userId);
    }

    private async Task<bool> CanSeeAsync(Guid userId, Guid conversationId) =>
        (await AccessOfAsync(userId, [conversationId])).Visible.Count == 1;

    /// <summary>The user's role now, and which of the conversations they may see, asked as that user (RLS applies).</summary>
    private async Task<(Role Role, HashSet<Guid> Visible)> AccessOfAsync(Guid userId, List<Guid> conversationIds)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MedChatDb>();
        var caller = await db.BeginAsync(new Principal(userId, null, false), CancellationToken.None);
        var visible = await db.Conversations.VisibleTo(caller).Where(c => conversationIds.Contains(c.Id)).Select(c => c.Id).ToListAsync();
        await db.CommitAsync(CancellationToken.None);
        return (caller.Role, visible.ToHashSet());
    }
}
