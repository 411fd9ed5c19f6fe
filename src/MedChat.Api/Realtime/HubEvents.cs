using MedChat.Api.Conversations;
using MedChat.Api.Identity;
using MedChat.Api.Messages;
using Microsoft.AspNetCore.SignalR;

namespace MedChat.Api.Realtime;

/// <summary>
/// Routes service events to hub connections (across nodes through the Redis backplane when one is
/// configured). A joined connection sits in exactly one of its conversation's two groups, patients'
/// or staff's, and each event goes to a set of disjoint groups, so it arrives exactly once.
/// </summary>
public sealed class HubEvents(IHubContext<ChatHub, IChatClient> hub, IServiceProvider services, Telemetry.MedChatMetrics metrics, TimeProvider time) : IChatEvents
{
    public const string StaffGroup = "staff";

    public static string PatientsOf(Guid conversationId) => "c:" + conversationId.ToString("N") + ":p";
    public static string StaffOf(Guid conversationId) => "c:" + conversationId.ToString("N") + ":s";
    public static string GroupFor(Guid conversationId, Role role) => role == Role.Patient ? PatientsOf(conversationId) : StaffOf(conversationId);

    private IChatClient Joined(Guid conversationId) => hub.Clients.Groups(PatientsOf(conversationId), StaffOf(conversationId));

    public Task MessageCreatedAsync(MessageDto message)
    {
        // Every stored message is broadcast exactly once, here: count it and how long storing took.
        metrics.Broadcast(message, time.GetUtcNow().UtcDateTime);
        return Joined(message.ConversationId).MessageCreated(message);
    }

    public Task ReceiptsUpdatedAsync(ReceiptsChanged receipts) => Joined(receipts.ConversationId).ReceiptsUpdated(receipts);

    public Task TypingChangedAsync(TypingChanged typing) => Joined(typing.ConversationId).TypingChanged(typing);

    public Task AssistantDeltaAsync(AssistantDelta delta) => Joined(delta.ConversationId).AssistantDelta(delta);

    /// <summary>
    /// To the conversation's joined connections; a change that touches the queue goes to every
    /// staff connection instead of the staff group (which it contains). A newly assigned member of
    /// staff hears of it too. Then every node re-checks who may still be joined.
    /// </summary>
    public async Task ConversationUpdatedAsync(Conversation c, ConversationStatus statusBefore, Guid? assigneeBefore)
    {
        var dto = ConversationDto.From(c);
        var queueBefore = statusBefore == ConversationStatus.AwaitingStaff && assigneeBefore is null;
        var queueNow = c.Status == ConversationStatus.AwaitingStaff && c.AssignedStaffId is null;
        if (queueBefore || queueNow)
        {
            await hub.Clients.Groups(PatientsOf(c.Id), StaffGroup).ConversationUpdated(dto);
        }
        else
        {
            if (c.AssignedStaffId is { } assignee && assignee != assigneeBefore)
            {
                // The new assignee hears it on every connection, once: their connections on this node
                // that are joined (in the staff group) are left out of the group send. (A joined
                // connection of theirs on another node may hear it twice; docs/api.md.)
                var joinedHere = services.GetRequiredService<Connections>()
                    .Where(e => e.UserId == assignee && e.Joined.Contains(c.Id)).Select(x => x.Entry.ConnectionId).ToList();
                await hub.Clients.Group(PatientsOf(c.Id)).ConversationUpdated(dto);
                await hub.Clients.GroupExcept(StaffOf(c.Id), joinedHere).ConversationUpdated(dto);
                await hub.Clients.User(assignee.ToString()).ConversationUpdated(dto);
            }
            else
            {
                await Joined(c.Id).ConversationUpdated(dto);
            }
        }
        await services.GetRequiredService<IAccessNotifier>().ConversationChangedAsync(c.Id);
    }

    public async Task PresenceChangedAsync(PresenceChanged presence, IReadOnlyList<Guid> sharingUsers, bool toStaff)
    {
        if (sharingUsers.Count > 0) await hub.Clients.Users(sharingUsers.Select(u => u.ToString()).ToList()).PresenceChanged(presence);
        if (toStaff) await hub.Clients.Group(StaffGroup).PresenceChanged(presence);
    }

    public Task RoleChangedAsync(Guid userId) => services.GetRequiredService<IAccessNotifier>().RoleChangedAsync(userId);
}
