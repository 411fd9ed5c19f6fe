using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedChat.Api.Data.Migrations
{
    /// <summary>
    /// The second line of access control: a restricted runtime role, and policies that bind it on
    /// every table, read from two transaction-local settings (app.user_id, app.role) that
    /// medchat_begin sets. Unset settings read as '' and then NULL, so a query outside a request
    /// transaction sees nothing (fails closed). See docs/adr/0003-row-level-security.md.
    /// </summary>
    public partial class RowLevelSecurity : Migration
    {
        private static readonly string[] Tables = ["users", "conversations", "messages", "receipts", "audit_log"];

        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DO $$ BEGIN
                  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'medchat_app') THEN
                    CREATE ROLE medchat_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
                  END IF;
                END $$;

                GRANT USAGE ON SCHEMA public TO medchat_app;
                GRANT SELECT, INSERT, UPDATE ON users, conversations, receipts TO medchat_app;
                GRANT SELECT, INSERT ON messages, audit_log TO medchat_app;

                CREATE FUNCTION app_user_id() RETURNS uuid LANGUAGE sql STABLE
                  AS $$ SELECT NULLIF(current_setting('app.user_id', true), '')::uuid $$;
                CREATE FUNCTION app_role() RETURNS text LANGUAGE sql STABLE
                  AS $$ SELECT NULLIF(current_setting('app.role', true), '') $$;

                -- Who may see a conversation: the contract's "Who sees what", once, for every policy.
                CREATE FUNCTION app_can_see(p_patient uuid, p_assignee uuid, p_status text) RETURNS boolean LANGUAGE sql STABLE
                  AS $$ SELECT CASE app_role()
                         WHEN 'admin' THEN true
                         WHEN 'patient' THEN p_patient = app_user_id()
                         WHEN 'staff' THEN p_assignee = app_user_id() OR (p_assignee IS NULL AND p_status = 'awaiting_staff')
                         ELSE false END IS TRUE $$;

                -- Starts a request: provisions a first-seen subject (patient, or admin when bootstrapped),
                -- sets the caller for this transaction only, and returns the role the database holds.
                CREATE FUNCTION medchat_begin(p_user uuid, p_name text, p_bootstrap_admin boolean) RETURNS text
                LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
                DECLARE r text;
                BEGIN
                  PERFORM set_config('app.user_id', p_user::text, true);
                  PERFORM set_config('app.role', CASE WHEN p_bootstrap_admin THEN 'admin' ELSE 'patient' END, true);
                  SELECT role INTO r FROM users WHERE id = p_user;
                  IF r IS NULL THEN
                    INSERT INTO users (id, role, display_name, created_at, updated_at)
                    VALUES (p_user, CASE WHEN p_bootstrap_admin THEN 'admin' ELSE 'patient' END, left(p_name, 200), now(), now())
                    ON CONFLICT (id) DO NOTHING;
                    SELECT role INTO r FROM users WHERE id = p_user;
                  END IF;
                  PERFORM set_config('app.role', r, true);
                  RETURN r;
                END $$;
                REVOKE ALL ON FUNCTION medchat_begin(uuid, text, boolean) FROM PUBLIC;
                GRANT EXECUTE ON FUNCTION medchat_begin(uuid, text, boolean) TO medchat_app;

                CREATE POLICY users_select ON users FOR SELECT
                  USING (id = app_user_id() OR app_role() IN ('staff', 'admin'));
                CREATE POLICY users_insert ON users FOR INSERT
                  WITH CHECK (app_role() = 'admin' OR (id = app_user_id() AND role = 'patient'));
                CREATE POLICY users_update ON users FOR UPDATE
                  USING (app_role() = 'admin') WITH CHECK (app_role() = 'admin');

                CREATE POLICY conversations_select ON conversations FOR SELECT
                  USING (app_can_see(patient_id, assigned_staff_id, status));
                CREATE POLICY conversations_insert ON conversations FOR INSERT
                  WITH CHECK (app_role() = 'admin' OR (app_role() = 'patient' AND patient_id = app_user_id() AND assigned_staff_id IS NULL));
                CREATE POLICY conversations_update ON conversations FOR UPDATE
                  USING (app_can_see(patient_id, assigned_staff_id, status))
                  WITH CHECK (app_role() = 'admin'
                    OR (app_role() = 'patient' AND patient_id = app_user_id())
                    OR (app_role() = 'staff' AND (assigned_staff_id IS NULL OR assigned_staff_id = app_user_id())));

                -- What a policy cannot say (it never sees the old row): a patient never changes who
                -- holds a conversation or its priority, and no one moves it to another patient.
                CREATE FUNCTION conversations_guard() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF NEW.patient_id <> OLD.patient_id THEN
                    RAISE EXCEPTION 'a conversation cannot change patient' USING ERRCODE = '42501';
                  END IF;
                  IF app_role() IS DISTINCT FROM 'admin' AND app_role() IS DISTINCT FROM 'staff'
                     AND (NEW.assigned_staff_id IS DISTINCT FROM OLD.assigned_staff_id OR NEW.priority <> OLD.priority) THEN
                    RAISE EXCEPTION 'only staff change assignment or priority' USING ERRCODE = '42501';
                  END IF;
                  RETURN NEW;
                END $$;
                CREATE TRIGGER conversations_guard BEFORE UPDATE ON conversations
                  FOR EACH ROW EXECUTE FUNCTION conversations_guard();

                CREATE POLICY messages_select ON messages FOR SELECT
                  USING (EXISTS (SELECT 1 FROM conversations c WHERE c.id = conversation_id));
                CREATE POLICY messages_insert ON messages FOR INSERT
                  WITH CHECK (EXISTS (SELECT 1 FROM conversations c WHERE c.id = conversation_id)
                    AND CASE sender_role
                          WHEN 'patient' THEN app_role() = 'patient' AND sender_id = app_user_id()
                          WHEN 'staff' THEN app_role() IN ('staff', 'admin') AND sender_id = app_user_id()
                          ELSE sender_id IS NULL END);

                CREATE POLICY receipts_select ON receipts FOR SELECT
                  USING (EXISTS (SELECT 1 FROM conversations c WHERE c.id = conversation_id));
                CREATE POLICY receipts_insert ON receipts FOR INSERT
                  WITH CHECK (user_id = app_user_id() AND EXISTS (SELECT 1 FROM conversations c WHERE c.id = conversation_id));
                CREATE POLICY receipts_update ON receipts FOR UPDATE
                  USING (user_id = app_user_id() AND EXISTS (SELECT 1 FROM conversations c WHERE c.id = conversation_id))
                  WITH CHECK (user_id = app_user_id());

                CREATE POLICY audit_insert ON audit_log FOR INSERT
                  WITH CHECK (actor_id = app_user_id() AND app_role() IN ('staff', 'admin'));
                CREATE POLICY audit_select ON audit_log FOR SELECT
                  USING (app_role() = 'admin');
                """);
            foreach (var t in Tables)
                migrationBuilder.Sql($"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY; ALTER TABLE {t} FORCE ROW LEVEL SECURITY;");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var t in Tables)
                migrationBuilder.Sql($"ALTER TABLE {t} NO FORCE ROW LEVEL SECURITY; ALTER TABLE {t} DISABLE ROW LEVEL SECURITY;");
            migrationBuilder.Sql("""
                DROP POLICY audit_select ON audit_log; DROP POLICY audit_insert ON audit_log;
                DROP POLICY receipts_update ON receipts; DROP POLICY receipts_insert ON receipts; DROP POLICY receipts_select ON receipts;
                DROP POLICY messages_insert ON messages; DROP POLICY messages_select ON messages;
                DROP TRIGGER conversations_guard ON conversations; DROP FUNCTION conversations_guard();
                DROP POLICY conversations_update ON conversations; DROP POLICY conversations_insert ON conversations; DROP POLICY conversations_select ON conversations;
                DROP POLICY users_update ON users; DROP POLICY users_insert ON users; DROP POLICY users_select ON users;
                DROP FUNCTION medchat_begin(uuid, text, boolean);
                DROP FUNCTION app_can_see(uuid, uuid, text); DROP FUNCTION app_role(); DROP FUNCTION app_user_id();
                REVOKE ALL ON users, conversations, messages, receipts, audit_log FROM medchat_app;
                REVOKE USAGE ON SCHEMA public FROM medchat_app;
                """);
        }
    }
}
