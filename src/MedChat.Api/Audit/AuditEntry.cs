using MedChat.Api.Identity;

namespace MedChat.Api.Audit;

/// <summary>
/// One read or write of a conversation by staff or an admin. Written in the same transaction
/// as the access it records, so an access that happened is never missing from the trail.
/// </summary>
public sealed class AuditEntry
{
    /// <summary>UUID v7, made here: an INSERT … RETURNING would need read access the actor does not have.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public DateTime At { get; set; }
    public Guid ActorId { get; set; }
    public Role ActorRole { get; set; }
    public required string Action { get; set; }
    public Guid? ConversationId { get; set; }
}
