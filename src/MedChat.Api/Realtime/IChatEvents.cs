using MedChat.Api.Conversations;
using MedChat.Api.Messages;

namespace MedChat.Api;

/// <summary>
/// What the services announce after a commit. The SignalR implementation (Realtime/HubEvents)
/// delivers to the conversation's joined connections and, for queue changes, to staff.
/// </summary>
public interface IChatEvents
{
    Task MessageCreatedAsync(MessageDto message);
    Task ReceiptsUpdatedAsync(ReceiptsChanged receipts);
    Task ConversationUpdatedAsync(Conversation conversation, Guid? previousAssignee);
}
