using MedChat.Api.Conversations;
using MedChat.Api.Messages;

namespace MedChat.Api.Realtime;

/// <summary>
/// What the services announce after a commit. The SignalR implementation (Realtime/HubEvents)
/// delivers to the conversation's joined connections and, for queue changes, to staff.
/// </summary>
public interface IChatEvents
{
    Task MessageCreatedAsync(MessageDto message);
    Task ReceiptsUpdatedAsync(ReceiptsChanged receipts);
    Task ConversationUpdatedAsync(Conversation conversation, ConversationStatus statusBefore, Guid? assigneeBefore);
    Task TypingChangedAsync(TypingChanged typing);
    Task PresenceChangedAsync(PresenceChanged presence, IReadOnlyList<Guid> sharingUsers, bool toStaff);
    Task AssistantDeltaAsync(AssistantDelta delta);
    /// <summary>A user's role changed: their connections' access is checked again on every node.</summary>
    Task RoleChangedAsync(Guid userId);
}

public sealed record TypingChanged(Guid ConversationId, Guid UserId, Identity.Role Role, bool IsTyping);

public sealed record PresenceChanged(Guid UserId, Identity.Role Role, bool Online, DateTime? LastSeenAt);

public sealed record AssistantDelta(Guid ConversationId, string Text);
