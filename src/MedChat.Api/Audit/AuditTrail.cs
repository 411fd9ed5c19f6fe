using MedChat.Api.Data;
using MedChat.Api.Identity;

namespace MedChat.Api.Audit;

public static class AuditTrail
{
    /// <summary>
    /// Records an event in the caller's transaction: it commits with the access or not at all.
    /// Every write by anyone is recorded; reads only when staff or an admin read (patients reading
    /// their own conversations are not). Request id and client address come from the request.
    /// </summary>
    public static void Record(this MedChatDb db, Caller caller, string action, Guid? conversationId, DateTime at)
    {
        if (!caller.IsStaffOrAdmin && AuditActions.IsRead(action)) return;
        db.Audit.Add(new AuditEntry
        {
            At = at, ActorId = caller.Id, ActorRole = caller.Role, Action = action, ConversationId = conversationId,
            RequestId = db.Request?.RequestId, ClientAddress = db.Request?.ClientAddress,
        });
    }

    /// <summary>Records the access, saves what the request changed, and commits them together.</summary>
    public static async Task CommitAuditedAsync(this MedChatDb db, Caller caller, string action, Guid? conversationId, DateTime at, CancellationToken ct)
    {
        db.Record(caller, action, conversationId, at);
        await db.SaveChangesAsync(ct);
        await db.CommitAsync(ct);
    }
}

/// <summary>The action names (dotted lower_snake) the trail uses; docs/security.md lists them.</summary>
public static class AuditActions
{
    public const string AuthFailed = "auth.failed";
    public const string ConversationAccess = "conversation.access";
    public const string Forbidden = "access.forbidden";
    public const string Export = "export";
    public const string AuditRead = "audit.read";

    /// <summary>Reads are audited for staff and admins only; everything else is a write, audited for everyone.</summary>
    public static bool IsRead(string action) =>
        action.EndsWith(".read", StringComparison.Ordinal) || action.StartsWith("conversations.list", StringComparison.Ordinal);
}
