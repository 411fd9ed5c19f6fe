using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedChat.Api.Data.Migrations
{
    /// <summary>
    /// Closes a hole in receipts_update: its WITH CHECK only required user_id = the caller, so
    /// <c>UPDATE receipts SET conversation_id = &lt;someone else's conversation&gt;</c> (no WHERE, so
    /// PostgreSQL does not also apply the SELECT policy to the new row) moved a patient's receipt into
    /// a conversation they cannot see: they showed up as a participant there and could mark its
    /// messages delivered/read. The new row must now be in a conversation the caller can see.
    /// </summary>
    public partial class ReceiptsStayInVisibleConversations : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER POLICY receipts_update ON receipts
                  WITH CHECK (user_id = app_user_id() AND EXISTS (SELECT 1 FROM conversations c WHERE c.id = conversation_id));
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER POLICY receipts_update ON receipts WITH CHECK (user_id = app_user_id());");
        }
    }
}
