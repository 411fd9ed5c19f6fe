using MedChat.Api.Identity;

namespace MedChat.Api.Audit;

/// <summary>
/// One audited event: a staff or admin read, any write, a claim, an assignment, a role change, an
/// export, a denied access or a failed sign-in. Never content. Written in the same transaction as
/// the access it records (denials and failed sign-ins in their own), so an access that happened is
/// never missing from the trail. The runtime role may insert and select rows, never change them.
/// </summary>
public sealed class AuditEntry
{
    /// <summary>UUID v7, made here: an INSERT … RETURNING would need read access the actor does not have.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public DateTime At { get; set; }
    /// <summary>Null only for a failed sign-in, where nobody is known.</summary>
    public Guid? ActorId { get; set; }
    public Role? ActorRole { get; set; }
    public required string Action { get; set; }
    public Guid? ConversationId { get; set; }
    /// <summary><c>ok</c>, <c>denied</c> or <c>failed</c>.</summary>
    public string Outcome { get; set; } = AuditOutcome.Ok;
    public string? RequestId { get; set; }
    public string? ClientAddress { get; set; }
}

public static class AuditOutcome
{
    public const string Ok = "ok";
    public const string Denied = "denied";
    public const string Failed = "failed";
}
