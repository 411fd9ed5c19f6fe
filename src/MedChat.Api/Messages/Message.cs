using MedChat.Api.Identity;

namespace MedChat.Api.Messages;

public enum SenderRole { Patient, Staff, Assistant, System }

public enum MessageStatus { Sent, Delivered, Read }

public sealed class Message
{
    public Guid Id { get; set; }
    public Guid ConversationId { get; set; }
    public long Seq { get; set; }
    public Guid? SenderId { get; set; }
    public SenderRole SenderRole { get; set; }
    public required string Content { get; set; }
    public string? ClientMessageId { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>Server-written JSON (assistant usage, triage); null for people's messages.</summary>
    public string? Metadata { get; set; }

    public static SenderRole RoleOf(Role role) => role == Role.Patient ? SenderRole.Patient : SenderRole.Staff;
}

/// <summary>One participant's receipt cursors in one conversation.</summary>
public sealed class Receipt
{
    public Guid ConversationId { get; set; }
    public Guid UserId { get; set; }
    public Role Role { get; set; }
    public long DeliveredSeq { get; set; }
    public long ReadSeq { get; set; }
    public DateTime UpdatedAt { get; set; }
}
