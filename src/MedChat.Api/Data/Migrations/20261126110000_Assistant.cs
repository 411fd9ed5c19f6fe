using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedChat.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class Assistant : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ai_usage",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    requests = table.Column<int>(type: "integer", nullable: false),
                    tokens = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ai_usage", x => new { x.user_id, x.day });
                    table.ForeignKey(
                        name: "fk_ai_usage_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_messages_assistant_reply",
                table: "messages",
                columns: new[] { "conversation_id", "client_message_id" },
                unique: true,
                filter: "sender_id IS NULL");

            // Usage is the user's own business: each caller reads and counts only their own row.
            migrationBuilder.Sql("""
                GRANT SELECT, INSERT, UPDATE ON ai_usage TO medchat_app;
                CREATE POLICY ai_usage_own ON ai_usage FOR ALL
                  USING (user_id = app_user_id()) WITH CHECK (user_id = app_user_id());
                ALTER TABLE ai_usage ENABLE ROW LEVEL SECURITY;
                ALTER TABLE ai_usage FORCE ROW LEVEL SECURITY;

                -- Two writes a patient's own transaction must be able to make: the safety gate raising the
                -- priority (the assistant marks its transaction with app.actor, and may only raise), and a
                -- patient reopening a conversation, which hands it back to the assistant (holder cleared).
                -- Choosing or changing a holder, and lowering a priority, stay with staff and admins.
                CREATE OR REPLACE FUNCTION conversations_guard() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                  rank_old int := array_position(ARRAY['routine','urgent','emergency'], OLD.priority);
                  rank_new int := array_position(ARRAY['routine','urgent','emergency'], NEW.priority);
                BEGIN
                  IF NEW.patient_id <> OLD.patient_id THEN
                    RAISE EXCEPTION 'a conversation cannot change patient' USING ERRCODE = '42501';
                  END IF;
                  IF app_role() IS DISTINCT FROM 'admin' AND app_role() IS DISTINCT FROM 'staff' THEN
                    IF NEW.assigned_staff_id IS NOT NULL AND NEW.assigned_staff_id IS DISTINCT FROM OLD.assigned_staff_id THEN
                      RAISE EXCEPTION 'only staff change assignment or priority' USING ERRCODE = '42501';
                    END IF;
                    IF rank_new <> rank_old AND NOT (coalesce(current_setting('app.actor', true), '') = 'assistant' AND rank_new > rank_old) THEN
                      RAISE EXCEPTION 'only staff change assignment or priority' USING ERRCODE = '42501';
                    END IF;
                  END IF;
                  RETURN NEW;
                END $$;
                -- Only updates that name these columns need the guard: a message send (seq, times,
                -- status) no longer pays for it.
                DROP TRIGGER conversations_guard ON conversations;
                CREATE TRIGGER conversations_guard BEFORE UPDATE OF patient_id, assigned_staff_id, priority ON conversations
                  FOR EACH ROW EXECUTE FUNCTION conversations_guard();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP POLICY ai_usage_own ON ai_usage;");
            migrationBuilder.Sql("""
                DROP TRIGGER conversations_guard ON conversations;
                CREATE TRIGGER conversations_guard BEFORE UPDATE ON conversations FOR EACH ROW EXECUTE FUNCTION conversations_guard();
                """);
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION conversations_guard() RETURNS trigger LANGUAGE plpgsql AS $$
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
                """);
            migrationBuilder.DropTable(
                name: "ai_usage");

            migrationBuilder.DropIndex(
                name: "ix_messages_assistant_reply",
                table: "messages");
        }
    }
}
