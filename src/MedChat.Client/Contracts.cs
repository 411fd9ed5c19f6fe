using System.Text.Json;
using System.Text.Json.Serialization;

namespace MedChat.Client;

// The wire types of ../shared/CONTRACT.md, for clients. Kept apart from the server's types so a
// client never depends on server internals; the tests check both against the same JSON.

public enum Role { Patient, Staff, Admin }

public enum ConversationStatus { Open, AwaitingStaff, Resolved, Archived }

public enum Priority { Routine, Urgent, Emergency }

public enum SenderRole { Patient, Staff, Assistant, System }

public enum MessageStatus { Sent, Delivered, Read }

public sealed record Me(Guid Id, Role Role, string? DisplayName);

public sealed record Conversation(
    Guid Id, Guid PatientId, Guid? AssignedStaffId, string? Title, ConversationStatus Status, Priority Priority,
    long LastMessageSeq, DateTime? LastMessageAt, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record ConversationPage(IReadOnlyList<Conversation> Items, string? NextCursor);

public sealed record Message(
    Guid Id, Guid ConversationId, long Seq, Guid? SenderId, SenderRole SenderRole, string Content,
    string? ClientMessageId, MessageStatus Status, DateTime CreatedAt, JsonElement? Metadata);

public sealed record MessagePage(IReadOnlyList<Message> Items, bool HasMore);

public sealed record Receipt(Guid UserId, Role Role, long DeliveredSeq, long ReadSeq);

public sealed record ReceiptsUpdated(Guid ConversationId, Guid UserId, long DeliveredSeq, long ReadSeq);

public sealed record TypingChanged(Guid ConversationId, Guid UserId, Role Role, bool IsTyping);

public sealed record PresenceChanged(Guid UserId, Role Role, bool Online, DateTime? LastSeenAt);

public sealed record Presence(Guid UserId, Role Role, bool Online, DateTime? LastSeenAt);

public sealed record AssistantDelta(Guid ConversationId, string Text);

public sealed record Triage(Priority Level, IReadOnlyList<string> RedFlags, string Source);

/// <summary>One event of <c>POST /api/chat</c> with <c>Accept: text/event-stream</c>; exactly one payload is set.</summary>
public sealed record ChatEvent(string Name, Message? Message = null, Triage? Triage = null, string? Delta = null, MedChatApiException? Error = null);

public sealed record UserInfo(Guid Id, Role Role, string? DisplayName);

public sealed record StaffMember(Guid Id, Role Role, string? DisplayName, bool Online, DateTime? LastSeenAt);

public sealed record AuditEvent(Guid Id, DateTime At, Guid? ActorId, string? ActorRole, string Action, Guid? ConversationId, string Outcome, string? RequestId, string? ClientAddress);

public sealed record AuditPage(IReadOnlyList<AuditEvent> Items, string? NextCursor);

public sealed record JoinResult(Conversation Conversation, IReadOnlyList<Message> Messages, bool HasMore);

/// <summary>An application/problem+json answer from the API.</summary>
public sealed class MedChatApiException(int status, string? title, string? detail, IReadOnlyDictionary<string, string[]>? errors)
    : Exception($"{status} {title}: {detail}")
{
    public int Status { get; } = status;
    public string? Title { get; } = title;
    public string? Detail { get; } = detail;
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors ?? new Dictionary<string, string[]>();
}

public static class MedChatJson
{
    /// <summary>camelCase fields and lower_snake enum values, as the API speaks.</summary>
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        return o;
    }
}
