using MedChat.Api.Data;
using MedChat.Api.Identity;

namespace MedChat.Api.Audit;

public static class AuditTrail
{
    /// <summary>
    /// Records a staff or admin access to a conversation in the caller's transaction: it commits
    /// with the access or not at all. Patients reading their own conversations are not audited.
    /// </summary>
    public static void Record(this MedChatDb db, Caller caller, string action, Guid? conversationId, DateTime at)
    {
        if (!caller.IsStaffOrAdmin) return;
        db.Audit.Add(new AuditEntry { At = at, ActorId = caller.Id, ActorRole = caller.Role, Action = action, ConversationId = conversationId });
    }

    /// <summary>Records the access, saves what the request changed, and commits them together.</summary>
    public static async Task CommitAuditedAsync(this MedChatDb db, Caller caller, string action, Guid? conversationId, DateTime at, CancellationToken ct)
    {
        db.Record(caller, action, conversationId, at);
        await db.SaveChangesAsync(ct);
        await db.CommitAsync(ct);
    }
}
