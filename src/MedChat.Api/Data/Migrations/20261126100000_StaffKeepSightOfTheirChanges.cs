using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedChat.Api.Data.Migrations
{
    /// <summary>
    /// Staff may take transitions that move a conversation out of their own sight: handing it back
    /// to the assistant (clears the holder) or resolving an unassigned one from the queue. PostgreSQL
    /// checks an UPDATE's new row against the SELECT policy, which refused those (42501). The API
    /// now names the conversation it acts on in app.acting_on, after its own visibility check, and
    /// staff keep sight of that one row until the transaction ends.
    /// </summary>
    public partial class StaffKeepSightOfTheirChanges : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION app_acting_on() RETURNS uuid LANGUAGE sql STABLE
                  AS $$ SELECT NULLIF(current_setting('app.acting_on', true), '')::uuid $$;
                ALTER POLICY conversations_select ON conversations
                  USING (app_can_see(patient_id, assigned_staff_id, status) OR (app_role() = 'staff' AND id = app_acting_on()));
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER POLICY conversations_select ON conversations USING (app_can_see(patient_id, assigned_staff_id, status));
                DROP FUNCTION app_acting_on();
                """);
        }
    }
}
