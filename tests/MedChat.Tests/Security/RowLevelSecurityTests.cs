using Npgsql;

namespace MedChat.Tests.Security;

/// <summary>
/// The policies alone, with the API out of the way: raw connections as the runtime role, the caller
/// set the way a request sets it, data written as the owner. If the API ever forgets a check, these
/// are what still stands between one patient and another's records.
/// </summary>
public sealed class RowLevelSecurityTests(MedChatApp app) : ApiTest(app)
{
    private const string InsertConversation = """
        INSERT INTO conversations (id, patient_id, assigned_staff_id, status, priority, last_message_seq, created_at, updated_at)
        VALUES ($1, $2, NULL, 'open', 'routine', 0, now(), now())
        """;

    private const string InsertMessage = """
        INSERT INTO messages (id, conversation_id, seq, sender_id, sender_role, content, client_message_id, created_at)
        VALUES ($1, $2, $3, $4, $5, 'hello', $6, now())
        """;

    private const string InsertReceipt = """
        INSERT INTO receipts (conversation_id, user_id, role, delivered_seq, read_seq, updated_at)
        VALUES ($1, $2, $3, 1, 0, now())
        """;

    private const string InsertAudit = """
        INSERT INTO audit_log (id, at, actor_id, actor_role, action, conversation_id)
        VALUES ($1, now(), $2, $3, 'conversation.read', $4)
        """;

    private static object[] Message(Guid conversation, long seq, Guid? sender, string senderRole) =>
        [Guid.CreateVersion7(), conversation, seq, (object?)sender ?? DBNull.Value, senderRole, Guid.NewGuid().ToString()];

    [Fact]
    public async Task TheRuntimeRoleIsNotSuperuserNotBypassRlsOwnsNoTableAndEveryTableItCanTouchForcesRowLevelSecurity()
    {
        await using var conn = new NpgsqlConnection(App.OwnerConnection);
        await conn.OpenAsync(Ct);

        await using (var role = new NpgsqlCommand("SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = 'medchat_app'", conn))
        await using (var r = await role.ExecuteReaderAsync(Ct))
        {
            Assert.True(await r.ReadAsync(Ct), "the role medchat_app does not exist");
            Assert.False(r.GetBoolean(0), "medchat_app is a superuser");
            Assert.False(r.GetBoolean(1), "medchat_app has BYPASSRLS");
            Assert.True(r.GetBoolean(2), "medchat_app cannot log in");
        }

        // Every table in public the runtime role holds any privilege on, with its owner and RLS flags.
        var tables = new Dictionary<string, (string Owner, bool Rls, bool Force)>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT c.relname, pg_get_userbyid(c.relowner), c.relrowsecurity, c.relforcerowsecurity
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
              AND has_table_privilege('medchat_app', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
            """, conn))
        await using (var r = await cmd.ExecuteReaderAsync(Ct))
        {
            while (await r.ReadAsync(Ct)) tables[r.GetString(0)] = (r.GetString(1), r.GetBoolean(2), r.GetBoolean(3));
        }

        // The health-data tables, plus the assistant's per-user usage counters.
        Assert.Equal(RlsWorld.Tables.Append("ai_usage").Order(), tables.Keys.Order());
        foreach (var (name, t) in tables)
        {
            Assert.NotEqual("medchat_app", t.Owner);
            Assert.True(t.Rls, $"{name} does not have row level security enabled");
            Assert.True(t.Force, $"{name} does not force row level security on its owner");
        }
    }

    [Fact]
    public async Task TheRuntimeRoleCannotLiftThePoliciesItself()
    {
        await using var s = await RuntimeSession.AsAsync(App, Guid.NewGuid(), "admin", Ct);

        var disable = await s.RefusedAsync("ALTER TABLE conversations DISABLE ROW LEVEL SECURITY", Ct);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, disable.SqlState);
        var dropPolicy = await s.RefusedAsync("DROP POLICY conversations_select ON conversations", Ct);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, dropPolicy.SqlState);
        var setRole = await s.RefusedAsync("SET ROLE postgres", Ct);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, setRole.SqlState);
        var create = await s.RefusedAsync("CREATE TABLE public.sneaky (id int)", Ct);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, create.SqlState);

        // row_security = off does not switch the policies off for a role bound by them: it makes the query fail.
        await s.ExecuteAsync("SET LOCAL row_security = off", Ct);
        var read = await s.RefusedAsync("SELECT count(*) FROM conversations", Ct);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, read.SqlState);
        Assert.Contains("row-level security", read.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithNoCallerSetTheRuntimeRoleReadsNothingFromAnyTable()
    {
        var w = await RlsWorld.SeedAsync(App);
        foreach (var table in RlsWorld.Tables)
            Assert.True(await App.ScalarAsOwnerAsync<long>($"SELECT count(*) FROM {table}") > 0, $"the owner sees no rows in {table}: the test seeds nothing");

        await using var s = await RuntimeSession.AnonymousAsync(App, Ct);
        foreach (var table in RlsWorld.Tables)
            Assert.True(await s.CountAsync(table, Ct) == 0, $"with no caller set, {table} is readable");
        Assert.Equal(0, await s.ExecuteAsync("UPDATE conversations SET title = 'x'", Ct));
        Assert.Equal(0, await s.ExecuteAsync("UPDATE users SET role = 'admin' WHERE id = $1", Ct, w.PatientA.Id));
    }

    [Fact]
    public async Task WithNoCallerSetTheRuntimeRoleCannotInsertIntoAnyTable()
    {
        var w = await RlsWorld.SeedAsync(App);
        await using var s = await RuntimeSession.AnonymousAsync(App, Ct);

        await s.RefusedByPolicyAsync("users", "INSERT INTO users (id, role, created_at, updated_at) VALUES ($1, 'patient', now(), now())", Ct, Guid.NewGuid());
        await s.RefusedByPolicyAsync("conversations", InsertConversation, Ct, Guid.CreateVersion7(), w.PatientA.Id);
        await s.RefusedByPolicyAsync("messages", InsertMessage, Ct, Message(w.AOpen, 2, w.PatientA.Id, "patient"));
        await s.RefusedByPolicyAsync("messages", InsertMessage, Ct, Message(w.AOpen, 2, null, "system"));
        await s.RefusedByPolicyAsync("receipts", InsertReceipt, Ct, w.AOpen, w.PatientB.Id, "patient");
        await s.RefusedByPolicyAsync("audit_log", InsertAudit, Ct, Guid.CreateVersion7(), w.Admin.Id, "admin", w.AOpen);
        await s.RefusedByPolicyAsync("audit_log", "INSERT INTO audit_log (id, at, action, outcome) VALUES ($1, now(), 'conversation.read', 'ok')", Ct, Guid.CreateVersion7());
    }

    [Fact]
    public async Task AfterARequestTransactionEndsTheSameConnectionSeesNothingAgain()
    {
        var w = await RlsWorld.SeedAsync(App);
        await using var s = await RuntimeSession.AsAsync(App, w.Admin, Ct);
        Assert.Equal(w.AllConversations.Count, await s.CountAsync("conversations", Ct));

        await s.CommitAndContinueAsync(Ct);

        Assert.Equal("", await s.ScalarAsync<string>("SELECT current_setting('app.user_id', true)", Ct));
        foreach (var table in RlsWorld.Tables)
            Assert.True(await s.CountAsync(table, Ct) == 0, $"a pooled session still reads {table} after the request ended");
    }

    [Fact]
    public async Task APatientReadsExactlyTheirOwnConversationsMessagesAndReceipts()
    {
        var w = await RlsWorld.SeedAsync(App);
        await using var s = await RuntimeSession.AsAsync(App, w.PatientA, Ct);

        Assert.Equal([w.AOpen, w.AQueued], (await s.IdsAsync("SELECT id FROM conversations", Ct)).Order());
        Assert.Equal([w.AOpen, w.AQueued], (await s.IdsAsync("SELECT DISTINCT conversation_id FROM messages", Ct)).Order());
        Assert.Equal([w.AOpen, w.AQueued], (await s.IdsAsync("SELECT conversation_id FROM receipts", Ct)).Order());
        Assert.Equal([w.PatientA.Id], await s.IdsAsync("SELECT id FROM users", Ct));
        Assert.Equal(0, await s.CountAsync("audit_log", Ct));
    }

    [Fact]
    public async Task APatientAskingForAnotherPatientsConversationByIdGetsNothing()
    {
        var w = await RlsWorld.SeedAsync(App);
        await using var s = await RuntimeSession.AsAsync(App, w.PatientA, Ct);

        Assert.Equal(2, await s.ScalarAsync<long>("SELECT count(*) FROM conversations WHERE id = ANY($1)", Ct, new[] { w.AOpen, w.AQueued }));
        foreach (var other in new[] { w.BOpen, w.BQueued, w.BHeldByStaff1 })
        {
            Assert.Equal(0, await s.ScalarAsync<long>("SELECT count(*) FROM conversations WHERE id = $1", Ct, other));
            Assert.Equal(0, await s.ScalarAsync<long>("SELECT count(*) FROM messages WHERE conversation_id = $1", Ct, other));
            Assert.Equal(0, await s.ScalarAsync<long>("SELECT count(*) FROM receipts WHERE conversation_id = $1", Ct, other));
        }
        Assert.Equal(0, await s.ScalarAsync<long>("SELECT count(*) FROM users WHERE id = $1", Ct, w.PatientB.Id));
    }

    [Fact]
    public async Task APatientCannotCreateAConversationForAnotherPatient()
    {
        var w = await RlsWorld.SeedAsync(App);
        await using var s = await RuntimeSession.AsAsync(App, w.PatientA, Ct);

        Assert.Equal(1, await s.ExecuteAsync(InsertConversation, Ct, Guid.CreateVersion7(), w.PatientA.Id));
        await s.RefusedByPolicyAsync("conversations", InsertConversation, Ct, Guid.CreateVersion7(), w.PatientB.Id);
        await s.RefusedByPolicyAsync("conversations", """
            INSERT INTO conversations (id, patient_id, assigned_staff_id, status, priority, last_message_seq, created_at, updated_at)
            VALUES ($1, $2, $3, 'awaiting_staff', 'routine', 0, now(), now())
            """, Ct, Guid.CreateVersion7(), w.PatientA.Id, w.Staff1.Id);
    }

    [Fact]
    public async Task APatientCannotPostIntoAnotherPatientsConversation()
    {
        var w = await RlsWorld.SeedAsync(App);
        await using var s = await RuntimeSession.AsAsync(App, w.PatientA, Ct);

        Assert.Equal(1, await s.ExecuteAsync(InsertMessage, Ct, Message(w.AOpen, 2, w.PatientA.Id, "patient")));
        await s.RefusedByPolicyAsync("messages", InsertMessage, Ct, Message(w.BOpen, 2, w.PatientA.Id, "patient"));
        await s.RefusedByPolicyAsync("messages", InsertMessage, Ct, Message(w.BQueued, 2, w.PatientB.Id, "patient"));
        await s.RefusedByPolicyAsync("messages", InsertMessage, Ct, Message(w.BOpen, 2, null, "assistant"));
        Assert.Equal(1, await App.ScalarAsOwnerAsync<long>("SELECT count(*) FROM messages WHERE conversation_id = $1", w.BOpen));
    }

    private const string Send = "SELECT outcome FROM medchat_send($1, NULL, false, $2, $3, 'hello', $4, $5, now(), NULL, NULL)";

    [Fact]
    public async Task TheOneStatementSendRunsAsItsCallerSoThePoliciesBindInsideIt()
    {
        var w = await RlsWorld.SeedAsync(App);
        Assert.False(await App.ScalarAsOwnerAsync<bool>("SELECT prosecdef FROM pg_proc WHERE proname = 'medchat_send'"),
            "medchat_send must not be SECURITY DEFINER: it would run as the owner, past every policy");

        await using var s = await RuntimeSession.AnonymousAsync(App, Ct);
        // Another patient's conversation, a member of staff's held by a colleague: nothing there, nothing written.
        Assert.Equal("not_found", await s.ScalarAsync<string>(Send, Ct, w.PatientA.Id, w.BOpen, "x1", Guid.CreateVersion7(), Guid.CreateVersion7()));
        Assert.Equal("not_found", await s.ScalarAsync<string>(Send, Ct, w.Staff1.Id, w.BHeldByStaff2, "x2", Guid.CreateVersion7(), Guid.CreateVersion7()));
        Assert.Equal("created", await s.ScalarAsync<string>(Send, Ct, w.PatientA.Id, w.AOpen, "x3", Guid.CreateVersion7(), Guid.CreateVersion7()));
        await s.CommitAndContinueAsync(Ct);
        Assert.Equal(1L, await App.ScalarAsOwnerAsync<long>("SELECT count(*) FROM messages WHERE conversation_id = $1", w.BOpen));
        Assert.Equal(1L, await App.ScalarAsOwnerAsync<long>("SELECT count(*) FROM messages WHERE conversation_id = $1", w.BHeldByStaff2));
        Assert.Equal(2L, await App.ScalarAsOwnerAsync<long>("SELECT count(*) FROM messages WHERE conversation_id = $1", w.AOpen));
    }

    [Fact]
    public async Task APatientCannotPostAsStaffOrAsSomeoneElse()
    {
        var w = await RlsWorld.SeedAsync(App);
        await using var s = await RuntimeSession.AsAsync(App, w.PatientA, Ct);

        await s.RefusedByPolicyAsync("messages", InsertMessage, Ct, Message(w.AQueued, 2, w.PatientA.Id, "staff"));
        await s.RefusedByPolicyAsync("messages", InsertMessage, Ct, Message(w.AQueued, 2, w.Staff1.Id, "staff"));
        await s.RefusedByPolicyAsync("messages", InsertMessage, Ct, Message(w.AQueued, 2, w.PatientB.Id, "patient"));
        await s.RefusedByPolicyAsync("messages", InsertMessage, Ct, Message(w.AQueued, 2, w.PatientA.Id, "assistant"));
    }

    [Fact]
    public async Task APatientCannotWriteAReceiptForAnotherUser()
    {
        var w = await RlsWorld.SeedAsync(App);
        var fresh = await RlsWorld.ConversationAsync(App, w.PatientA, null, "open");
        await using var s = await RuntimeSession.AsAsync(App, w.PatientA, Ct);

        await s.RefusedByPolicyAsync("receipts", InsertReceipt, Ct, fresh, w.Staff1.Id, "staff");
        await s.RefusedByPolicyAsync("receipts", InsertReceipt, Ct, w.BOpen, w.PatientA.Id, "patient");
        Assert.Equal(0, await s.ExecuteAsync("UPDATE receipts SET read_seq = 0 WHERE user_id = $1", Ct, w.PatientB.Id));
        Assert.Equal(1, await s.ExecuteAsync(InsertReceipt, Ct, fresh, w.PatientA.Id, "patient"));
    }

    [Fact]
    public async Task APatientCannotMoveTheirReceiptIntoAnotherPatientsConversation()
    {
        var w = await RlsWorld.SeedAsync(App);
        // A patient with exactly one receipt, so an UPDATE without a WHERE clause touches one row. Without a
        // WHERE (or any column read) PostgreSQL checks the new row against the UPDATE policy alone.
        var c = await App.UserAsync(Role.Patient, "Patient C");
        var own = await RlsWorld.ConversationAsync(App, c, null, "open");
        await App.ExecuteAsOwnerAsync("INSERT INTO receipts (conversation_id, user_id, role, delivered_seq, read_seq, updated_at) VALUES ($1, $2, 'patient', 1, 1, now())", own, c.Id);
        await using var s = await RuntimeSession.AsAsync(App, c, Ct);

        await s.RefusedByPolicyAsync("receipts", "UPDATE receipts SET conversation_id = $1", Ct, w.BQueued);
        await s.RefusedByPolicyAsync("receipts", "UPDATE receipts SET conversation_id = $1 WHERE conversation_id = $2", Ct, w.BQueued, own);
        await s.RefusedByPolicyAsync("receipts", "UPDATE receipts SET user_id = $1", Ct, w.PatientB.Id);
        Assert.Equal(1, await s.ExecuteAsync("UPDATE receipts SET delivered_seq = 1, read_seq = 1", Ct));
        await s.CommitAndContinueAsync(Ct);

        Assert.Equal([w.PatientB.Id], await OwnerIdsAsync("SELECT user_id FROM receipts WHERE conversation_id = $1", w.BQueued));
        Assert.Equal([own], await OwnerIdsAsync("SELECT conversation_id FROM receipts WHERE user_id = $1", c.Id));
    }

    [Fact]
    public async Task APatientUpdatingAnotherPatientsConversationChangesNothing()
    {
        var w = await RlsWorld.SeedAsync(App);
        await using var s = await RuntimeSession.AsAsync(App, w.PatientA, Ct);

        Assert.Equal(0, await s.ExecuteAsync("UPDATE conversations SET status = 'resolved', title = 'mine now' WHERE id = $1", Ct, w.BOpen));
        Assert.Equal(0, await s.ExecuteAsync("UPDATE conversations SET patient_id = $1 WHERE id = $2", Ct, w.PatientA.Id, w.BQueued));
        Assert.Equal(1, await s.ExecuteAsync("UPDATE conversations SET title = 'renamed' WHERE id = $1", Ct, w.AOpen));
        await s.CommitAndContinueAsync(Ct);

        Assert.Equal("open", await App.ScalarAsOwnerAsync<string>("SELECT status FROM conversations WHERE id = $1", w.BOpen));
        Assert.Equal("seeded", await App.ScalarAsOwnerAsync<string>("SELECT title FROM conversations WHERE id = $1", w.BOpen));
        Assert.Equal(w.PatientB.Id, await App.ScalarAsOwnerAsync<Guid>("SELECT patient_id FROM conversations WHERE id = $1", w.BQueued));
    }

    [Fact]
    public async Task APatientCannotChangeWhoHoldsTheirConversationOrItsPriority()
    {
        var w = await RlsWorld.SeedAsync(App);
        await using var s = await RuntimeSession.AsAsync(App, w.PatientA, Ct);

        var assign = await s.RefusedAsync("UPDATE conversations SET assigned_staff_id = $1 WHERE id = $2", Ct, w.Staff1.Id, w.AQueued);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, assign.SqlState);
        Assert.Contains("only staff change assignment or priority", assign.MessageText, StringComparison.Ordinal);

        var priority = await s.RefusedAsync("UPDATE conversations SET priority = 'emergency' WHERE id = $1", Ct, w.AQueued);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, priority.SqlState);
        Assert.Contains("only staff change assignment or priority", priority.MessageText, StringComparison.Ordinal);

        var handOver = await s.RefusedAsync("UPDATE conversations SET patient_id = $1 WHERE id = $2", Ct, w.PatientB.Id, w.AOpen);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, handOver.SqlState);

        // What a patient may do to their own conversation still works.
        Assert.Equal(1, await s.ExecuteAsync("UPDATE conversations SET status = 'resolved' WHERE id = $1", Ct, w.AQueued));
    }

    [Fact]
    public async Task TheAssistantsTransactionMayRaiseAPatientsPriorityButNeverLowerIt()
    {
        var w = await RlsWorld.SeedAsync(App);
        await using var s = await RuntimeSession.AsAsync(App, w.PatientA, Ct);
        await s.ExecuteAsync("SELECT set_config('app.actor', 'assistant', true)", Ct);

        Assert.Equal(1, await s.ExecuteAsync("UPDATE conversations SET priority = 'emergency' WHERE id = $1", Ct, w.AQueued));
        var lower = await s.RefusedAsync("UPDATE conversations SET priority = 'routine' WHERE id = $1", Ct, w.AQueued);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, lower.SqlState);
    }

    [Fact]
    public async Task StaffSeeTheirOwnConversationsAndTheQueueButNothingElse()
    {
        var w = await RlsWorld.SeedAsync(App);
        var (s, role) = await RuntimeSession.BeginAsync(App, w.Staff1.Id, Ct);
        await using var _ = s;
        Assert.Equal("staff", role);

        Assert.Equal(new[] { w.AQueued, w.BQueued, w.BHeldByStaff1 }.Order(), (await s.IdsAsync("SELECT id FROM conversations", Ct)).Order());
        Assert.Equal(new[] { w.AQueued, w.BQueued, w.BHeldByStaff1 }.Order(), (await s.IdsAsync("SELECT DISTINCT conversation_id FROM messages", Ct)).Order());
        Assert.Equal(new[] { w.AQueued, w.BQueued, w.BHeldByStaff1 }.Order(),
            (await s.IdsAsync("SELECT DISTINCT conversation_id FROM receipts", Ct)).Order());
        foreach (var hidden in new[] { w.AOpen, w.BOpen, w.BHeldByStaff2 })
            Assert.Equal(0, await s.ScalarAsync<long>("SELECT count(*) FROM messages WHERE conversation_id = $1", Ct, hidden));
    }

    [Fact]
    public async Task StaffCannotAssignAConversationToAnotherStaffMember()
    {
        var w = await RlsWorld.SeedAsync(App);
        await using var s = await RuntimeSession.AsAsync(App, w.Staff1, Ct);

        await s.RefusedByPolicyAsync("conversations", "UPDATE conversations SET assigned_staff_id = $1 WHERE id = $2", Ct, w.Staff2.Id, w.BQueued);
        await s.RefusedByPolicyAsync("conversations", "UPDATE conversations SET assigned_staff_id = $1 WHERE id = $2", Ct, w.Staff2.Id, w.BHeldByStaff1);
        Assert.Equal(0, await s.ExecuteAsync("UPDATE conversations SET assigned_staff_id = $1 WHERE id = $2", Ct, w.Staff1.Id, w.BHeldByStaff2));
        Assert.Equal(0, await s.ExecuteAsync("UPDATE conversations SET assigned_staff_id = $1 WHERE id = $2", Ct, w.Staff1.Id, w.BOpen));

        // Claiming for themselves is what the policy is for.
        Assert.Equal(1, await s.ExecuteAsync("UPDATE conversations SET assigned_staff_id = $1, priority = 'urgent' WHERE id = $2", Ct, w.Staff1.Id, w.BQueued));
        await s.CommitAndContinueAsync(Ct);

        Assert.Equal(w.Staff2.Id, await App.ScalarAsOwnerAsync<Guid>("SELECT assigned_staff_id FROM conversations WHERE id = $1", w.BHeldByStaff2));
        Assert.Equal(w.Staff1.Id, await App.ScalarAsOwnerAsync<Guid>("SELECT assigned_staff_id FROM conversations WHERE id = $1", w.BQueued));
    }

    [Fact]
    public async Task StaffCannotPostIntoAConversationTheyCannotSeeNorAsSomeoneElse()
    {
        var w = await RlsWorld.SeedAsync(App);
        await using var s = await RuntimeSession.AsAsync(App, w.Staff1, Ct);

        Assert.Equal(1, await s.ExecuteAsync(InsertMessage, Ct, Message(w.BHeldByStaff1, 2, w.Staff1.Id, "staff")));
        await s.RefusedByPolicyAsync("messages", InsertMessage, Ct, Message(w.BHeldByStaff2, 2, w.Staff1.Id, "staff"));
        await s.RefusedByPolicyAsync("messages", InsertMessage, Ct, Message(w.AOpen, 2, w.Staff1.Id, "staff"));
        await s.RefusedByPolicyAsync("messages", InsertMessage, Ct, Message(w.BHeldByStaff1, 3, w.Staff2.Id, "staff"));
        await s.RefusedByPolicyAsync("messages", InsertMessage, Ct, Message(w.BHeldByStaff1, 3, w.PatientB.Id, "patient"));
    }

    [Fact]
    public async Task AnAdminSeesEveryRowOfEveryTable()
    {
        await RlsWorld.SeedAsync(App);
        await using var s = await RuntimeSession.AsAsync(App, (await App.UserAsync(Role.Admin)), Ct);

        foreach (var table in RlsWorld.Tables)
        {
            var all = await App.ScalarAsOwnerAsync<long>($"SELECT count(*) FROM {table}");
            Assert.True(all > 0, $"nothing seeded in {table}");
            Assert.Equal(all, await s.CountAsync(table, Ct));
        }
    }

    [Fact]
    public async Task EveryoneWritesTheAuditLogOnlyInTheirOwnNameAndRole()
    {
        var w = await RlsWorld.SeedAsync(App);

        await using (var patient = await RuntimeSession.AsAsync(App, w.PatientA, Ct))
        {
            Assert.Equal(1, await patient.ExecuteAsync(InsertAudit, Ct, Guid.CreateVersion7(), w.PatientA.Id, "patient", w.AOpen));
            await patient.RefusedByPolicyAsync("audit_log", InsertAudit, Ct, Guid.CreateVersion7(), w.PatientA.Id, "admin", w.AOpen);
            await patient.RefusedByPolicyAsync("audit_log", InsertAudit, Ct, Guid.CreateVersion7(), w.PatientB.Id, "patient", w.AOpen);
        }
        await using (var staff = await RuntimeSession.AsAsync(App, w.Staff1, Ct))
        {
            Assert.Equal(1, await staff.ExecuteAsync(InsertAudit, Ct, Guid.CreateVersion7(), w.Staff1.Id, "staff", w.BHeldByStaff1));
            await staff.RefusedByPolicyAsync("audit_log", InsertAudit, Ct, Guid.CreateVersion7(), w.Staff2.Id, "staff", w.BHeldByStaff1);
        }
        await using (var admin = await RuntimeSession.AsAsync(App, w.Admin, Ct))
        {
            Assert.Equal(1, await admin.ExecuteAsync(InsertAudit, Ct, Guid.CreateVersion7(), w.Admin.Id, "admin", w.BOpen));
            await admin.RefusedByPolicyAsync("audit_log", InsertAudit, Ct, Guid.CreateVersion7(), w.Staff1.Id, "staff", w.BOpen);
        }
    }

    [Fact]
    public async Task WithNobodySignedInOnlyAnActorlessFailedSignInMayBeRecorded()
    {
        var w = await RlsWorld.SeedAsync(App);
        await using var s = await RuntimeSession.AnonymousAsync(App, Ct);
        const string failed = """
            INSERT INTO audit_log (id, at, action, outcome, client_address) VALUES ($1, now(), $2, $3, '127.0.0.1')
            """;

        Assert.Equal(1, await s.ExecuteAsync(failed, Ct, Guid.CreateVersion7(), "auth.failed", "failed"));
        await s.RefusedByPolicyAsync("audit_log", failed, Ct, Guid.CreateVersion7(), "conversation.read", "failed");
        await s.RefusedByPolicyAsync("audit_log", failed, Ct, Guid.CreateVersion7(), "auth.failed", "ok");
        await s.RefusedByPolicyAsync("audit_log", InsertAudit, Ct, Guid.CreateVersion7(), w.Admin.Id, "admin", w.AOpen);
    }

    [Fact]
    public async Task AdminsReadTheWholeAuditLogAndPatientsOnlyTheRowsAboutTheirOwnConversations()
    {
        var w = await RlsWorld.SeedAsync(App);
        var all = await App.ScalarAsOwnerAsync<long>("SELECT count(*) FROM audit_log");
        Assert.Equal(2, all);

        // Both seeded rows are staff reads of patient B's conversations.
        foreach (var user in new[] { w.PatientA, w.Staff1, w.Staff2 })
        {
            await using var s = await RuntimeSession.AsAsync(App, user, Ct);
            Assert.True(await s.CountAsync("audit_log", Ct) == 0, $"a {user.Role} reads the audit log");
        }
        await using (var b = await RuntimeSession.AsAsync(App, w.PatientB, Ct))
        {
            Assert.Equal(2, await b.CountAsync("audit_log", Ct));
        }
        await using var admin = await RuntimeSession.AsAsync(App, w.Admin, Ct);
        Assert.Equal(all, await admin.CountAsync("audit_log", Ct));
    }

    [Fact]
    public async Task NobodyCanDeleteAnythingNorRewriteMessagesOrTheAuditLog()
    {
        var w = await RlsWorld.SeedAsync(App);
        foreach (var user in new[] { w.PatientB, w.Staff1, w.Admin })
        {
            await using var s = await RuntimeSession.AsAsync(App, user, Ct);
            Assert.True(await s.CountAsync("messages", Ct) > 0, $"a {user.Role} sees no messages, so refusing to change them proves nothing");
            foreach (var table in RlsWorld.Tables)
            {
                await s.RefusedByGrantAsync(table, $"DELETE FROM {table}", Ct);
                await s.RefusedByGrantAsync(table, $"TRUNCATE {table} CASCADE", Ct);
            }
            await s.RefusedByGrantAsync("messages", "UPDATE messages SET content = 'rewritten'", Ct);
            await s.RefusedByGrantAsync("audit_log", "UPDATE audit_log SET action = 'nothing to see'", Ct);
        }
        foreach (var table in RlsWorld.Tables)
            Assert.True(await App.ScalarAsOwnerAsync<long>($"SELECT count(*) FROM {table}") > 0);
        Assert.Equal(0, await App.ScalarAsOwnerAsync<long>("SELECT count(*) FROM messages WHERE content = 'rewritten'"));
    }

    [Fact]
    public async Task APatientCannotPromoteThemselvesOrCreateStaff()
    {
        var w = await RlsWorld.SeedAsync(App);
        await using var s = await RuntimeSession.AsAsync(App, w.PatientA, Ct);

        Assert.Equal(0, await s.ExecuteAsync("UPDATE users SET role = 'admin' WHERE id = $1", Ct, w.PatientA.Id));
        await s.RefusedByPolicyAsync("users", "INSERT INTO users (id, role, created_at, updated_at) VALUES ($1, 'staff', now(), now())", Ct, Guid.NewGuid());
        await s.RefusedByPolicyAsync("users", "INSERT INTO users (id, role, created_at, updated_at) VALUES ($1, 'patient', now(), now())", Ct, Guid.NewGuid());
        await s.CommitAndContinueAsync(Ct);

        Assert.Equal("patient", await App.ScalarAsOwnerAsync<string>("SELECT role FROM users WHERE id = $1", w.PatientA.Id));
    }

    [Fact]
    public async Task MedchatBeginTakesTheRoleFromTheDatabaseAndMakesAFirstSeenSubjectAPatient()
    {
        var w = await RlsWorld.SeedAsync(App);
        var (admin, adminRole) = await RuntimeSession.BeginAsync(App, w.Admin.Id, Ct);
        await using (admin)
        {
            Assert.Equal("admin", adminRole);
            Assert.Equal(w.AllConversations.Count, await admin.CountAsync("conversations", Ct));
        }

        var newcomer = Guid.NewGuid();
        var (s, role) = await RuntimeSession.BeginAsync(App, newcomer, Ct);
        await using (s)
        {
            Assert.Equal("patient", role);
            Assert.Equal(0, await s.CountAsync("conversations", Ct));
            Assert.Equal([newcomer], await s.IdsAsync("SELECT id FROM users", Ct));
        }
    }

    private async Task<List<Guid>> OwnerIdsAsync(string sql, params object[] args)
    {
        await using var conn = new NpgsqlConnection(App.OwnerConnection);
        await conn.OpenAsync(Ct);
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        await using var r = await cmd.ExecuteReaderAsync(Ct);
        var ids = new List<Guid>();
        while (await r.ReadAsync(Ct)) ids.Add(r.GetGuid(0));
        return ids;
    }
}
