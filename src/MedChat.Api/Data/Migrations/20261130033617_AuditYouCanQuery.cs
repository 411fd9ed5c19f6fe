using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedChat.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuditYouCanQuery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_audit_log_actor_id_id",
                table: "audit_log");

            migrationBuilder.DropIndex(
                name: "ix_audit_log_conversation_id_id",
                table: "audit_log");

            migrationBuilder.AlterColumn<string>(
                name: "actor_role",
                table: "audit_log",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(16)",
                oldMaxLength: 16);

            migrationBuilder.AlterColumn<Guid>(
                name: "actor_id",
                table: "audit_log",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.AddColumn<string>(
                name: "client_address",
                table: "audit_log",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "outcome",
                table: "audit_log",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "ok");

            migrationBuilder.AddColumn<string>(
                name: "request_id",
                table: "audit_log",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_actor_id_at_id",
                table: "audit_log",
                columns: new[] { "actor_id", "at", "id" },
                descending: new[] { false, true, true });

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_at_id",
                table: "audit_log",
                columns: new[] { "at", "id" },
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_conversation_id_at_id",
                table: "audit_log",
                columns: new[] { "conversation_id", "at", "id" },
                descending: new[] { false, true, true });

            migrationBuilder.AddCheckConstraint(
                name: "ck_audit_log_outcome",
                table: "audit_log",
                sql: "outcome IN ('ok','denied','failed')");
            // Append-only for the runtime role: it may INSERT and SELECT, never UPDATE, DELETE or TRUNCATE
            // (no grant and no policy for them). Inserts: anyone writes their own rows; a failed sign-in
            // (nobody known, no app.user_id) writes an actorless 'auth.failed' row. Reads: admins see
            // everything; a patient sees the rows about their own conversations (the access log).
            migrationBuilder.Sql("""
                REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM medchat_app;
                GRANT SELECT, INSERT ON audit_log TO medchat_app;

                DROP POLICY audit_insert ON audit_log;
                CREATE POLICY audit_insert ON audit_log FOR INSERT
                  WITH CHECK ((actor_id = app_user_id() AND actor_role = app_role())
                           OR (actor_id IS NULL AND app_user_id() IS NULL AND action = 'auth.failed' AND outcome = 'failed'));
                DROP POLICY audit_select ON audit_log;
                CREATE POLICY audit_select ON audit_log FOR SELECT
                  USING (app_role() = 'admin'
                         OR (app_role() = 'patient' AND conversation_id IN (SELECT id FROM conversations WHERE patient_id = app_user_id())));

                -- The access log names the staff who opened a patient's conversation; patients cannot read
                -- staff rows in users, so this returns just the names of staff and admins asked about.
                CREATE FUNCTION app_staff_names(p_ids uuid[]) RETURNS TABLE (id uuid, display_name text)
                LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
                AS $$ SELECT u.id, u.display_name::text FROM users u WHERE u.id = ANY(p_ids) AND u.role IN ('staff', 'admin') $$;
                REVOKE ALL ON FUNCTION app_staff_names(uuid[]) FROM PUBLIC;
                GRANT EXECUTE ON FUNCTION app_staff_names(uuid[]) TO medchat_app;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP FUNCTION app_staff_names(uuid[]);
                DROP POLICY audit_select ON audit_log;
                CREATE POLICY audit_select ON audit_log FOR SELECT USING (app_role() = 'admin');
                DROP POLICY audit_insert ON audit_log;
                CREATE POLICY audit_insert ON audit_log FOR INSERT
                  WITH CHECK (actor_id = app_user_id() AND app_role() IN ('staff', 'admin'));
                DELETE FROM audit_log WHERE actor_id IS NULL;
                """);

            migrationBuilder.DropIndex(
                name: "ix_audit_log_actor_id_at_id",
                table: "audit_log");

            migrationBuilder.DropIndex(
                name: "ix_audit_log_at_id",
                table: "audit_log");

            migrationBuilder.DropIndex(
                name: "ix_audit_log_conversation_id_at_id",
                table: "audit_log");

            migrationBuilder.DropCheckConstraint(
                name: "ck_audit_log_outcome",
                table: "audit_log");

            migrationBuilder.DropColumn(
                name: "client_address",
                table: "audit_log");

            migrationBuilder.DropColumn(
                name: "outcome",
                table: "audit_log");

            migrationBuilder.DropColumn(
                name: "request_id",
                table: "audit_log");

            migrationBuilder.AlterColumn<string>(
                name: "actor_role",
                table: "audit_log",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "character varying(16)",
                oldMaxLength: 16,
                oldNullable: true);

            migrationBuilder.AlterColumn<Guid>(
                name: "actor_id",
                table: "audit_log",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_actor_id_id",
                table: "audit_log",
                columns: new[] { "actor_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_conversation_id_id",
                table: "audit_log",
                columns: new[] { "conversation_id", "id" });
        }
    }
}
