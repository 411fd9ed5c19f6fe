using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedChat.Api.Data.Migrations
{
    /// <summary>
    /// The idempotency key (one message per sender, clientMessageId and conversation) leads with the
    /// sender, and the separate sender_id index goes. Until the first ANALYZE of a new database's
    /// messages table, PostgreSQL planned the send's idempotency probe on ix_messages_sender_id, and
    /// the send writers' cached plan kept it until that ANALYZE: each send read all of the sender's
    /// earlier messages, so its database time grew with the sender's history (docs/benchmarks.md,
    /// round 5: half of REST's throughput in the benchmark's first minute). With no index on sender_id
    /// alone, PostgreSQL plans the probe on the key itself on an empty table as on a full one (checked
    /// with auto_explain); the same index serves the sender foreign key and the assistant's lookup by
    /// sender and clientMessageId, and a message insert maintains one index fewer.
    /// </summary>
    public partial class IdempotencyKeyLeadsWithSender : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The new key first, so a clientMessageId is never unguarded.
            migrationBuilder.CreateIndex(
                name: "ix_messages_sender_id_client_message_id_conversation_id",
                table: "messages",
                columns: new[] { "sender_id", "client_message_id", "conversation_id" },
                unique: true);

            migrationBuilder.DropIndex(
                name: "ix_messages_conversation_id_sender_id_client_message_id",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_messages_sender_id",
                table: "messages");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_messages_sender_id_client_message_id_conversation_id",
                table: "messages");

            migrationBuilder.CreateIndex(
                name: "ix_messages_conversation_id_sender_id_client_message_id",
                table: "messages",
                columns: new[] { "conversation_id", "sender_id", "client_message_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_messages_sender_id",
                table: "messages",
                column: "sender_id");
        }
    }
}
