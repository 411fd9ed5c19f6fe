using MedChat.Api.Conversations;
using MedChat.Api.Messages;
using Microsoft.AspNetCore.SignalR;

namespace MedChat.Api.Realtime;

/// <summary>
/// Delivers service events through SignalR groups (and through the Redis backplane when configured).
/// Conversation events go to the conversation's group, which only connections that passed the
/// access check in <see cref="ChatHub.JoinConversation"/> are in.
/// </summary>
public sealed class HubEvents(IHubContext<ChatHub, IChatClient> hub) : IChatEvents
{
    public Task MessageCreatedAsync(MessageDto message) =>
        hub.Clients.Group(ChatHub.ConversationGroup(message.ConversationId)).MessageCreated(message);

    public Task ReceiptsUpdatedAsync(ReceiptsChanged receipts) =>
        hub.Clients.Group(ChatHub.ConversationGroup(receipts.ConversationId)).ReceiptsUpdated(receipts);

    public Task ConversationUpdatedAsync(Conversation conversation, Guid? previousAssignee) =>
        hub.Clients.Group(ChatHub.ConversationGroup(conversation.Id)).ConversationUpdated(ConversationDto.From(conversation));
}
