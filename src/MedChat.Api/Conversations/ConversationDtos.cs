namespace MedChat.Api.Conversations;

public sealed record ConversationDto(
    Guid Id,
    Guid PatientId,
    Guid? AssignedStaffId,
    string? Title,
    ConversationStatus Status,
    Priority Priority,
    long LastMessageSeq,
    DateTime? LastMessageAt,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static ConversationDto From(Conversation c) => new(
        c.Id, c.PatientId, c.AssignedStaffId, c.Title, c.Status, c.Priority, c.LastMessageSeq, c.LastMessageAt, c.CreatedAt, c.UpdatedAt);
}

public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

public enum Scope { Mine, Queue }

public sealed record CreateConversationRequest(string? Title);

public sealed record ChangeStatusRequest(ConversationStatus? Status, Priority? Priority);

public sealed record AssignRequest(Guid? StaffId);
