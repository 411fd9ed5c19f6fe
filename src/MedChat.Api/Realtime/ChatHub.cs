using MedChat.Api.Conversations;
using MedChat.Api.Identity;
using MedChat.Api.Messages;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace MedChat.Api.Realtime;

public interface IChatClient
{
    Task MessageCreated(MessageDto message);
    Task ReceiptsUpdated(ReceiptsChanged receipts);
    Task TypingChanged(TypingChanged typing);
    Task PresenceChanged(PresenceChanged presence);
    Task ConversationUpdated(ConversationDto conversation);
    Task AssistantDelta(AssistantDelta delta);
}

public sealed record JoinResult(ConversationDto Conversation, IReadOnlyList<MessageDto> Messages, bool HasMore);

/// <summary>
/// /hubs/chat. Each method is a thin call into the services that also serve REST, so access
/// checks, storage and broadcasting happen in one place. Failures become HubExceptions (HubErrors).
/// </summary>
[Authorize]
public sealed class ChatHub(MessageService messages, UserService users, PresenceService presence, TypingTracker typing, Connections connections) : Hub<IChatClient>
{
    public const int JoinLimit = 500;

    private Principal Me => Principal.From(Context.User!);

    public override async Task OnConnectedAsync()
    {
        var me = await users.MeAsync(Me, Context.ConnectionAborted);
        connections.Add(new Connections.Entry(Context.ConnectionId, me.Id, me.Role, Context));
        if (me.Role != Role.Patient) await Groups.AddToGroupAsync(Context.ConnectionId, HubEvents.StaffGroup);
        await presence.ConnectedAsync(me.Id, me.Role, Context.ConnectionId);
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        var entry = connections.Remove(Context.ConnectionId);
        if (entry is null) return;
        // Typing stops when the typist's last connection to the conversation closes.
        foreach (var conversationId in entry.Joined)
            if (connections.Where(e => e.UserId == entry.UserId && e.Joined.Contains(conversationId)).Count == 0)
                await typing.StopAsync(conversationId, entry.UserId);
        await presence.DisconnectedAsync(entry.UserId, entry.Role, Context.ConnectionId);
    }

    public async Task<JoinResult> JoinConversation(Guid conversationId, long afterSeq)
    {
        var me = Entry();
        var group = HubEvents.GroupFor(conversationId, me.Role);
        // Join the group before reading: an event during the read arrives too, and clients drop seqs they hold.
        await Groups.AddToGroupAsync(Context.ConnectionId, group);
        try
        {
            var (conversation, page) = await messages.CatchUpAsync(Me, conversationId, afterSeq, JoinLimit, Context.ConnectionAborted);
            connections.Join(Context.ConnectionId, conversationId);
            return new JoinResult(conversation, page.Items, page.HasMore);
        }
        catch
        {
            if (!connections.IsJoined(Context.ConnectionId, conversationId))
                await Groups.RemoveFromGroupAsync(Context.ConnectionId, group);
            throw;
        }
    }

    public async Task LeaveConversation(Guid conversationId)
    {
        var me = Entry();
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, HubEvents.GroupFor(conversationId, me.Role));
        if (connections.Leave(Context.ConnectionId, conversationId)) await typing.StopAsync(conversationId, me.UserId);
    }

    public async Task<MessageDto> SendMessage(Guid conversationId, string clientMessageId, string content) =>
        (await messages.SendAsync(Me, conversationId, content, clientMessageId, Context.ConnectionAborted)).Message;

    public Task Typing(Guid conversationId, bool isTyping)
    {
        var me = Entry();
        if (!connections.IsJoined(Context.ConnectionId, conversationId))
            throw new HubException($"Conversation {conversationId} was not found among the joined conversations; call JoinConversation first.");
        return typing.SetAsync(conversationId, me.UserId, me.Role, isTyping);
    }

    public Task MarkDelivered(Guid conversationId, long seq) => messages.MarkAsync(Me, conversationId, seq, null, Context.ConnectionAborted);

    public Task MarkRead(Guid conversationId, long seq) => messages.MarkAsync(Me, conversationId, null, seq, Context.ConnectionAborted);

    public Task<IReadOnlyList<PresenceDto>> GetPresence(Guid conversationId) => presence.GetAsync(Me, conversationId, Context.ConnectionAborted);

    private Connections.Entry Entry() =>
        connections.Get(Context.ConnectionId) ?? throw new HubException("This connection is closing.");
}
