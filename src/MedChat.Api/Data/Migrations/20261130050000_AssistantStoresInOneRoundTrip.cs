using MedChat.Api.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MedChat.Api.Data.Migrations
{
    /// <summary>
    /// POST /api/chat stores the patient's message before the model is asked. That took seven round
    /// trips (begin, lock, idempotency lookup, usage charge, history, save, commit) before the model
    /// request could start; medchat_assist_store does the storing part in one statement, as the caller
    /// (SECURITY INVOKER, so the FORCEd policies bind), and the API sends the history query in the same
    /// batch (one implicit transaction, one round trip). The safety gate's decision (level, and the
    /// emergency or hand-off reply) is made in C# before the call and passed in; what depends on the
    /// row (held by staff, current priority, status) is decided here under the row lock, exactly as
    /// AssistantService did. The schema does not change.
    /// </summary>
    [DbContext(typeof(MedChatDb))]
    [Migration("20261130050000_AssistantStoresInOneRoundTrip")]
    public partial class AssistantStoresInOneRoundTrip : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                -- outcome: 'created', 'duplicate' (this clientMessageId was stored before: the API replays it),
                -- 'forbidden' (not a patient), 'not_found', 'archived' (nothing written in those four). p_create: a new
                -- conversation with the id p_conversation (POST /api/chat without a conversationId).
                -- Over a daily limit raises MC429 (message 'requests' or 'tokens'), which rolls the charge back too.
                CREATE FUNCTION medchat_assist_store(
                  p_user uuid, p_name text, p_bootstrap_admin boolean,
                  p_conversation uuid, p_create boolean, p_client_message_id text, p_content text, p_message_id uuid, p_now timestamptz,
                  p_level text, p_charge boolean, p_day date, p_max_requests integer, p_max_tokens bigint,
                  p_reply_kind text, p_reply_id uuid, p_reply_content text, p_reply_metadata jsonb,
                  p_audit_id uuid, p_request_id text, p_client_address text,
                  OUT outcome text, OUT m_seq bigint, OUT r_seq bigint,
                  OUT status_before text, OUT priority_before text, OUT assignee_before uuid,
                  OUT c_patient_id uuid, OUT c_assigned_staff_id uuid, OUT c_title text, OUT c_status text, OUT c_priority text,
                  OUT c_last_message_seq bigint, OUT c_last_message_at timestamptz, OUT c_queued_at timestamptz,
                  OUT c_created_at timestamptz, OUT c_updated_at timestamptz)
                LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
                DECLARE
                  c conversations%ROWTYPE;
                  v_requests integer;
                  v_tokens bigint;
                  v_priority text;
                  ranks text[] := ARRAY['routine','urgent','emergency'];
                BEGIN
                  IF medchat_begin(p_user, p_name, p_bootstrap_admin) <> 'patient' THEN
                    outcome := 'forbidden';
                    RETURN;
                  END IF;
                  IF p_create THEN
                    -- A retry of a call that created a conversation finds its message by sender and clientMessageId.
                    IF EXISTS (SELECT 1 FROM messages WHERE sender_id = p_user AND client_message_id = p_client_message_id) THEN
                      outcome := 'duplicate';
                      RETURN;
                    END IF;
                    INSERT INTO conversations (id, patient_id, status, priority, last_message_seq, created_at, updated_at)
                    VALUES (p_conversation, p_user, 'open', 'routine', 0, p_now, p_now)
                    RETURNING * INTO c;
                  ELSE
                    SELECT * INTO c FROM conversations
                     WHERE id = p_conversation AND patient_id = p_user
                     FOR UPDATE;
                    IF NOT FOUND THEN
                      outcome := 'not_found';
                      RETURN;
                    END IF;
                    IF EXISTS (SELECT 1 FROM messages WHERE conversation_id = p_conversation AND sender_id = p_user AND client_message_id = p_client_message_id) THEN
                      outcome := 'duplicate';
                      RETURN;
                    END IF;
                  END IF;
                  IF c.status = 'archived' THEN
                    outcome := 'archived';
                    RETURN;
                  END IF;
                  IF p_charge THEN
                    INSERT INTO ai_usage AS u (user_id, day, requests, tokens) VALUES (p_user, p_day, 1, 0)
                    ON CONFLICT (user_id, day) DO UPDATE SET requests = u.requests + 1
                    RETURNING u.requests, u.tokens INTO v_requests, v_tokens;
                    IF v_requests > p_max_requests THEN RAISE EXCEPTION 'requests' USING ERRCODE = 'MC429'; END IF;
                    IF v_tokens >= p_max_tokens THEN RAISE EXCEPTION 'tokens' USING ERRCODE = 'MC429'; END IF;
                  END IF;
                  outcome := 'created';
                  status_before := c.status;
                  priority_before := c.priority;
                  assignee_before := c.assigned_staff_id;

                  -- The patient's message; posting reopens a resolved conversation.
                  IF c.status = 'resolved' THEN
                    IF c.assigned_staff_id IS NULL THEN c.status := 'open';
                    ELSE c.status := 'awaiting_staff'; c.queued_at := p_now; END IF;
                  END IF;
                  c.last_message_seq := c.last_message_seq + 1;
                  c.last_message_at := p_now;
                  c.updated_at := p_now;
                  m_seq := c.last_message_seq;
                  INSERT INTO messages (id, conversation_id, seq, sender_id, sender_role, content, client_message_id, created_at)
                  VALUES (p_message_id, p_conversation, m_seq, p_user, 'patient', p_content, p_client_message_id, p_now);
                  -- Every write is audited, in the same transaction as the write itself.
                  INSERT INTO audit_log (id, at, actor_id, actor_role, action, conversation_id, outcome, request_id, client_address)
                  VALUES (p_audit_id, p_now, p_user, 'patient', 'message.create', p_conversation, 'ok', left(p_request_id, 64), left(p_client_address, 64));

                  -- The gate only raises: the priority, and an emergency goes to the staff queue.
                  v_priority := CASE p_level WHEN 'emergency' THEN 'emergency' WHEN 'urgent' THEN 'urgent' ELSE 'routine' END;
                  IF array_position(ranks, v_priority) <= array_position(ranks, c.priority) THEN v_priority := NULL; END IF;
                  IF p_level = 'emergency' AND c.status IN ('open', 'resolved') THEN
                    c.status := 'awaiting_staff'; c.queued_at := p_now;
                  END IF;

                  -- A reply the gate writes itself (emergency guidance, hand-off), unless staff hold the conversation.
                  IF c.assigned_staff_id IS NULL AND p_reply_kind IS NOT NULL THEN
                    IF p_reply_kind = 'handoff' AND c.status = 'open' THEN
                      c.status := 'awaiting_staff'; c.queued_at := p_now;
                    END IF;
                    c.last_message_seq := c.last_message_seq + 1;
                    r_seq := c.last_message_seq;
                    INSERT INTO messages (id, conversation_id, seq, sender_id, sender_role, content, client_message_id, created_at, metadata)
                    VALUES (p_reply_id, p_conversation, r_seq, NULL, 'assistant', p_reply_content, 'assistant:' || p_message_id, p_now, p_reply_metadata);
                  END IF;

                  UPDATE conversations
                     SET status = c.status, queued_at = c.queued_at, last_message_seq = c.last_message_seq,
                         last_message_at = c.last_message_at, updated_at = c.updated_at
                   WHERE id = p_conversation;
                  IF v_priority IS NOT NULL THEN
                    -- Only this update names priority, so only it runs the guard, which lets the assistant raise.
                    PERFORM set_config('app.actor', 'assistant', true);
                    c.priority := v_priority;
                    UPDATE conversations SET priority = c.priority WHERE id = p_conversation;
                  END IF;

                  c_patient_id := c.patient_id; c_assigned_staff_id := c.assigned_staff_id; c_title := c.title;
                  c_status := c.status; c_priority := c.priority; c_last_message_seq := c.last_message_seq;
                  c_last_message_at := c.last_message_at; c_queued_at := c.queued_at;
                  c_created_at := c.created_at; c_updated_at := c.updated_at;
                END $$;
                REVOKE ALL ON FUNCTION medchat_assist_store(uuid, text, boolean, uuid, boolean, text, text, uuid, timestamptz, text, boolean, date, integer, bigint, text, uuid, text, jsonb, uuid, text, text) FROM PUBLIC;
                GRANT EXECUTE ON FUNCTION medchat_assist_store(uuid, text, boolean, uuid, boolean, text, text, uuid, timestamptz, text, boolean, date, integer, bigint, text, uuid, text, jsonb, uuid, text, text) TO medchat_app;
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION medchat_assist_store(uuid, text, boolean, uuid, boolean, text, text, uuid, timestamptz, text, boolean, date, integer, bigint, text, uuid, text, jsonb, uuid, text, text);");
        }
    }
}
