namespace MedChat.Api.Conversations;

public enum ConversationStatus { Open, AwaitingStaff, Resolved, Archived }

public enum Priority { Routine, Urgent, Emergency }

public sealed class Conversation
{
    public Guid Id { get; set; }
    public Guid PatientId { get; set; }
    public Guid? AssignedStaffId { get; set; }
    public string? Title { get; set; }
    public ConversationStatus Status { get; set; }
    public Priority Priority { get; set; }
    public long LastMessageSeq { get; set; }
    public DateTime? LastMessageAt { get; set; }
    /// <summary>When the conversation last entered the staff queue; orders the queue fairly.</summary>
    public DateTime? QueuedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>Last activity (message, status, assignment); the "newest activity first" order.</summary>
    public DateTime UpdatedAt { get; set; }
}
