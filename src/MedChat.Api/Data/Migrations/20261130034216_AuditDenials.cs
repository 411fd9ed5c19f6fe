using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedChat.Api.Data.Migrations
{
    /// <summary>
    /// A 404 is audited as a denied access only when the conversation exists; the caller's policies
    /// hide it, so this one question is answered past them (yes or no, nothing else about the row).
    /// </summary>
    public partial class AuditDenials : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION app_conversation_exists(p_id uuid) RETURNS boolean
                LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
                AS $$ SELECT EXISTS (SELECT 1 FROM conversations WHERE id = p_id) $$;
                REVOKE ALL ON FUNCTION app_conversation_exists(uuid) FROM PUBLIC;
                GRANT EXECUTE ON FUNCTION app_conversation_exists(uuid) TO medchat_app;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION app_conversation_exists(uuid);");
        }
    }
}
