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
    Task IAccessNotifier.RoleChangedAsync(Guid userId) => DropUserAsync(userId);

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

    /// <summary>A role change ends the user's connections; they reconnect with the new role and rejoin what they may see.</summary>
    public Task DropUserAsync(Guid userId)
    {
        foreach (var (entry, _) in connections.Where(e => e.UserId == userId)) entry.Context.Abort();
        return Task.CompletedTask;
    }

    private async Task<bool> CanSeeAsync(Guid userId, Guid conversationId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MedChatDb>();
        var caller = await db.BeginAsync(new Principal(userId, null, false), CancellationToken.None);
        var visible = await db.Conversations.VisibleTo(caller).AnyAsync(c => c.Id == conversationId);
        await db.CommitAsync(CancellationToken.None);
        return visible;
    }
}
