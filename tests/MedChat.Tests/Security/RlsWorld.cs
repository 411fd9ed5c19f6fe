namespace MedChat.Tests.Security;

/// <summary>
/// A small hospital written as the owner (no policy in the way): two patients, two staff members,
/// an admin, conversations in every visibility class, a message and receipts in each, and audit rows.
/// </summary>
public sealed record RlsWorld(
    TestUser PatientA, TestUser PatientB, TestUser Staff1, TestUser Staff2, TestUser Admin,
    Guid AOpen, Guid AQueued, Guid BOpen, Guid BQueued, Guid BHeldByStaff1, Guid BHeldByStaff2)
{
    public static readonly string[] Tables = ["users", "conversations", "messages", "receipts", "audit_log"];

    public IReadOnlyList<Guid> AllConversations => [AOpen, AQueued, BOpen, BQueued, BHeldByStaff1, BHeldByStaff2];

    public static async Task<RlsWorld> SeedAsync(MedChatApp app)
    {
        var a = await app.UserAsync(Role.Patient, "Patient A");
        var b = await app.UserAsync(Role.Patient, "Patient B");
        var s1 = await app.UserAsync(Role.Staff, "Staff One");
        var s2 = await app.UserAsync(Role.Staff, "Staff Two");
        var admin = await app.UserAsync(Role.Admin, "Admin");
        var w = new RlsWorld(a, b, s1, s2, admin,
            AOpen: await ConversationAsync(app, a, null, "open"),
            AQueued: await ConversationAsync(app, a, null, "awaiting_staff"),
            BOpen: await ConversationAsync(app, b, null, "open"),
            BQueued: await ConversationAsync(app, b, null, "awaiting_staff"),
            BHeldByStaff1: await ConversationAsync(app, b, s1, "awaiting_staff"),
            BHeldByStaff2: await ConversationAsync(app, b, s2, "awaiting_staff"));

        foreach (var c in new[] { w.AOpen, w.AQueued }) await ReceiptAsync(app, c, a);
        foreach (var c in new[] { w.BOpen, w.BQueued, w.BHeldByStaff1, w.BHeldByStaff2 }) await ReceiptAsync(app, c, b);
        await ReceiptAsync(app, w.BHeldByStaff1, s1);
        await ReceiptAsync(app, w.BHeldByStaff2, s2);
        await AuditAsync(app, s1, w.BHeldByStaff1);
        await AuditAsync(app, s2, w.BHeldByStaff2);
        return w;
    }

    public static async Task<Guid> ConversationAsync(MedChatApp app, TestUser patient, TestUser? staff, string status)
    {
        var id = Guid.CreateVersion7();
        await app.ExecuteAsOwnerAsync("""
            INSERT INTO conversations (id, patient_id, assigned_staff_id, title, status, priority, last_message_seq, last_message_at, queued_at, created_at, updated_at)
            VALUES ($1, $2, $3, 'seeded', $4, 'routine', 1, now(), CASE WHEN $4 = 'awaiting_staff' THEN now() END, now(), now())
            """, id, patient.Id, (object?)staff?.Id ?? DBNull.Value, status);
        await app.ExecuteAsOwnerAsync("""
            INSERT INTO messages (id, conversation_id, seq, sender_id, sender_role, content, client_message_id, created_at)
            VALUES ($1, $2, 1, $3, 'patient', 'seeded message', $4, now())
            """, Guid.CreateVersion7(), id, patient.Id, Guid.NewGuid().ToString());
        return id;
    }

    private static Task ReceiptAsync(MedChatApp app, Guid conversation, TestUser user) =>
        app.ExecuteAsOwnerAsync("""
            INSERT INTO receipts (conversation_id, user_id, role, delivered_seq, read_seq, updated_at)
            VALUES ($1, $2, $3, 1, 1, now())
            """, conversation, user.Id, user.Role.ToString().ToLowerInvariant());

    private static Task AuditAsync(MedChatApp app, TestUser actor, Guid conversation) =>
        app.ExecuteAsOwnerAsync("""
            INSERT INTO audit_log (id, at, actor_id, actor_role, action, conversation_id)
            VALUES ($1, now(), $2, $3, 'conversation.read', $4)
            """, Guid.CreateVersion7(), actor.Id, actor.Role.ToString().ToLowerInvariant(), conversation);
}
