using MedChat.Api.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedChat.Api.Data.Migrations
{
    /// <summary>
    /// The whole send in one statement, so a send costs one round trip instead of four (see
    /// docs/benchmarks.md): caller context (medchat_begin), the conversation row lock, the
    /// idempotency lookup, the gapless seq, the message insert, the conversation update and the
    /// audit row. It runs as the caller of the function (SECURITY INVOKER), so every statement
    /// inside is bound by the same FORCEd row-level security policies as the API's own statements, and
    /// it is one transaction: the API calls it in autocommit, which commits (durably) before it answers.
    /// The schema does not change, so the model snapshot does not either.
    /// </summary>
    [DbContext(typeof(MedChatDb))]
    [Migration("20261130040000_SendInOneRoundTrip")]
    public partial class SendInOneRoundTrip : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                -- outcome: 'created' (a new message), 'duplicate' (this sender's earlier message with this
                -- clientMessageId, stored unchanged), 'not_found' (no such conversation in the caller's sight,
                -- nothing written), 'archived' (read-only, nothing written). The c_* columns are the
                -- conversation after the send; status_before/assignee_before say what a reopen changed.
                CREATE FUNCTION medchat_send(
                  p_user uuid, p_name text, p_bootstrap_admin boolean,
                  p_conversation uuid, p_client_message_id text, p_content text,
                  p_message_id uuid, p_audit_id uuid, p_now timestamptz, p_request_id text, p_client_address text,
                  OUT outcome text, OUT caller_role text,
                  OUT m_id uuid, OUT m_seq bigint, OUT m_sender_role text, OUT m_content text, OUT m_created_at timestamptz,
                  OUT m_metadata text, OUT m_status text,
                  OUT status_before text, OUT assignee_before uuid,
                  OUT c_patient_id uuid, OUT c_assigned_staff_id uuid, OUT c_title text, OUT c_status text, OUT c_priority text,
                  OUT c_last_message_seq bigint, OUT c_last_message_at timestamptz, OUT c_queued_at timestamptz,
                  OUT c_created_at timestamptz, OUT c_updated_at timestamptz)
                LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
                DECLARE
                  c conversations%ROWTYPE;
                  m messages%ROWTYPE;
                BEGIN
                  caller_role := medchat_begin(p_user, p_name, p_bootstrap_admin);

                  -- The API's visibility rule, said again here; the conversations policies bind as well.
                  -- The row lock serialises senders to this conversation: seq stays gapless, and the
                  -- idempotency lookup below cannot race a twin of this send.
                  SELECT * INTO c FROM conversations
                   WHERE id = p_conversation AND app_can_see(patient_id, assigned_staff_id, status)
                   FOR UPDATE;
                  IF NOT FOUND THEN
                    outcome := 'not_found';
                    RETURN;
                  END IF;
                  status_before := c.status;
                  assignee_before := c.assigned_staff_id;

                  SELECT * INTO m FROM messages
                   WHERE conversation_id = p_conversation AND sender_id = p_user AND client_message_id = p_client_message_id;
                  IF FOUND THEN
                    outcome := 'duplicate';
                    m_status := CASE
                      WHEN EXISTS (SELECT 1 FROM receipts r WHERE r.conversation_id = p_conversation AND r.user_id <> p_user AND r.read_seq >= m.seq) THEN 'read'
                      WHEN EXISTS (SELECT 1 FROM receipts r WHERE r.conversation_id = p_conversation AND r.user_id <> p_user AND r.delivered_seq >= m.seq) THEN 'delivered'
                      ELSE 'sent' END;
                  ELSIF c.status = 'archived' THEN
                    outcome := 'archived';
                    RETURN;
                  ELSE
                    outcome := 'created';
                    -- Posting reopens a resolved conversation: to the assistant, or back to the queue for its holder.
                    IF c.status = 'resolved' THEN
                      IF c.assigned_staff_id IS NULL THEN
                        c.status := 'open';
                      ELSE
                        c.status := 'awaiting_staff';
                        c.queued_at := p_now;
                      END IF;
                    END IF;
                    c.last_message_seq := c.last_message_seq + 1;
                    c.last_message_at := p_now;
                    c.updated_at := p_now;
                    UPDATE conversations
                       SET status = c.status, queued_at = c.queued_at, last_message_seq = c.last_message_seq,
                           last_message_at = c.last_message_at, updated_at = c.updated_at
                     WHERE id = p_conversation;

                    m.id := p_message_id;
                    m.seq := c.last_message_seq;
                    m.sender_role := CASE caller_role WHEN 'patient' THEN 'patient' ELSE 'staff' END;
                    m.content := p_content;
                    m.created_at := p_now;
                    INSERT INTO messages (id, conversation_id, seq, sender_id, sender_role, content, client_message_id, created_at)
                    VALUES (m.id, p_conversation, m.seq, p_user, m.sender_role, m.content, p_client_message_id, m.created_at);
                    -- A new seq is above every receipt cursor.
                    m_status := 'sent';

                    -- Every write is audited, by anyone, in the same transaction as the write itself.
                    INSERT INTO audit_log (id, at, actor_id, actor_role, action, conversation_id, outcome, request_id, client_address)
                    VALUES (p_audit_id, p_now, p_user, caller_role, 'message.create', p_conversation, 'ok', left(p_request_id, 64), left(p_client_address, 64));
                  END IF;

                  m_id := m.id; m_seq := m.seq; m_sender_role := m.sender_role; m_content := m.content;
                  m_created_at := m.created_at; m_metadata := m.metadata::text;
                  c_patient_id := c.patient_id; c_assigned_staff_id := c.assigned_staff_id; c_title := c.title;
                  c_status := c.status; c_priority := c.priority; c_last_message_seq := c.last_message_seq;
                  c_last_message_at := c.last_message_at; c_queued_at := c.queued_at;
                  c_created_at := c.created_at; c_updated_at := c.updated_at;
                END $$;
                REVOKE ALL ON FUNCTION medchat_send(uuid, text, boolean, uuid, text, text, uuid, uuid, timestamptz, text, text) FROM PUBLIC;
                GRANT EXECUTE ON FUNCTION medchat_send(uuid, text, boolean, uuid, text, text, uuid, uuid, timestamptz, text, text) TO medchat_app;
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION medchat_send(uuid, text, boolean, uuid, text, text, uuid, uuid, timestamptz, text, text);");
        }
    }
}
