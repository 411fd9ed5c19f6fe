using System.Text.Json;
using System.Text.Json.Nodes;
using MedChat.Api.Conversations;
using MedChat.Api.Data;
using MedChat.Api.Identity;
using MedChat.Api.Messages;
using MedChat.Api.Realtime;
using MedChat.Api.Web;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace MedChat.Api.Assistant;

public sealed record TriageDto(TriageLevel Level, IReadOnlyList<string> RedFlags, string Source);

public sealed record ChatRequest(Guid? ConversationId, string? Message, string? ClientMessageId);

public sealed record ChatReply(ConversationDto Conversation, MessageDto UserMessage, MessageDto? Reply, TriageDto Triage);

/// <summary>Where a streamed answer goes as it happens (the SSE response); JSON callers pass none.</summary>
public interface IAssistantStream
{
    Task UserMessageAsync(MessageDto message);
    Task TriageAsync(TriageDto triage);
    Task DeltaAsync(string text);
    Task ReplyAsync(MessageDto message);
}

/// <summary>
/// POST /api/chat: store the patient's message first (so nothing later can lose it), run the safety
/// gate, then the model, then store the reply. The database transaction is never held open while
/// the model thinks.
/// </summary>
public sealed class AssistantService(
    MedChatDb db, NpgsqlDataSource data, TimeProvider time, IChatEvents events, MessageService messages, ModelRunner model, AssistantOptions options,
    Limits.UserLimits limits, Telemetry.MedChatMetrics metrics)
{
    private const string ReplyPrefix = "assistant:";

    public async Task<ChatReply> ChatAsync(Principal who, ChatRequest request, IAssistantStream? stream, CancellationToken ct)
    {
        await limits.SendAsync(who.Id, request.Message);
        var v = new Validator();
        var text = v.Text(request.Message, "message", 1, MessageService.MaxContent)!;
        var clientMessageId = v.Text(request.ClientMessageId, "clientMessageId", 1, MessageService.MaxClientMessageId)!;
        v.ThrowIfAny();
        var rules = SafetyGate.Assess(text);
        metrics.RedFlags(rules.Level.ToString().ToLowerInvariant(), rules.RedFlags.Count);
        var triage = new TriageDto(rules.Level, rules.RedFlags, rules.Source);

        var stored = await StoreAsync(who, request.ConversationId, text, clientMessageId, triage, ct);
        if (stored is { } s) return await AfterStoreAsync(s, triage, stream, ct);
        // A repeated clientMessageId: replayed below, on the general path.

        var caller = await db.BeginAsync(who, ct);
        var (c, existing) = await OpenAsync(caller, request.ConversationId, clientMessageId, ct);
        return await ReplayAsync(c, existing ?? throw new InvalidOperationException("A repeated clientMessageId was reported, but no stored message was found."), stream, ct);
    }

    private const string NotAPatient = "The assistant talks with patients. Staff post with POST /api/chat/{conversationId}/messages.";
    private const string Archived = "An archived conversation is read-only.";

    /// <summary>What storing the patient's message left behind: the conversation after it, what it was before, and the history for the model.</summary>
    private sealed record Stored(Conversation Conversation, (ConversationStatus Status, Priority Priority, Guid? AssignedStaffId) Before,
        Message User, Message? Reply, bool Held, List<Message> History);

    /// <summary>After the commit: announce the message, then the gate's own reply, or nothing (staff hold it), or ask the model.</summary>
    private async Task<ChatReply> AfterStoreAsync(Stored s, TriageDto triage, IAssistantStream? stream, CancellationToken ct)
    {
        var c = s.Conversation;
        var userDto = MessageDto.From(s.User, []);
        await events.MessageCreatedAsync(userDto);
        if (s.Before != (c.Status, c.Priority, c.AssignedStaffId)) await events.ConversationUpdatedAsync(c, s.Before.Status, s.Before.AssignedStaffId);
        if (stream is not null)
        {
            await stream.UserMessageAsync(userDto);
            await stream.TriageAsync(triage);
        }
        if (s.Reply is not null) return await AnnounceAsync(c, userDto, s.Reply, triage, stream);
        if (s.Held) return new ChatReply(ConversationDto.From(c), userDto, null, triage);
        return await AnswerAsync(s.User.SenderId!.Value, c.Id, s.User, [s.User, .. s.History], triage, stream, ct);
    }

    /// <summary>
    /// The patient's message (in a new conversation when no id is given), stored in one round trip: medchat_assist_store
    /// (lock, idempotency, usage charge, message, audit row, priority, the gate's own reply) and the model's history
    /// in one batch, one transaction, durable before this returns, so the model request can start at once.
    /// Null for a repeated clientMessageId, which the general path replays.
    /// </summary>
    private async Task<Stored?> StoreAsync(Principal who, Guid? existingId, string text, string clientMessageId, TriageDto triage, CancellationToken ct)
    {
        var now = time.UtcNow();
        var day = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var emergency = triage.Level == TriageLevel.Emergency;
        var (replyKind, replyText, replyMeta) = emergency
            ? ("emergency", SafetyGate.EmergencyGuidance(new Triage(triage.Level, triage.RedFlags, triage.Source)), Metadata(triage, "safety_gate", null, 0, 0, 0, "safety_gate"))
            : Handoff.IsRequest(text) ? ("handoff", Handoff.Reply, Metadata(triage, "handoff", null, 0, 0, 0, "handoff")) : ((string?)null, (string?)null, (string?)null);
        var conversationId = existingId ?? Guid.CreateVersion7(now);
        var userId = Guid.CreateVersion7(now);
        var replyId = Guid.CreateVersion7(now);

        await using var batch = data.CreateBatch();
        var store = new NpgsqlBatchCommand(StoreSql);
        store.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = who.Id });
        store.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = who.Name, NpgsqlDbType = NpgsqlDbType.Text });
        store.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = who.BootstrapAdmin });
        store.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = conversationId });
        store.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = existingId is null });
        store.Parameters.Add(new NpgsqlParameter<string> { TypedValue = clientMessageId, NpgsqlDbType = NpgsqlDbType.Text });
        store.Parameters.Add(new NpgsqlParameter<string> { TypedValue = text, NpgsqlDbType = NpgsqlDbType.Text });
        store.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = userId });
        store.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        store.Parameters.Add(new NpgsqlParameter<string> { TypedValue = JsonNamingPolicy.SnakeCaseLower.ConvertName(triage.Level.ToString()), NpgsqlDbType = NpgsqlDbType.Text });
        // An emergency is always answered, whatever the daily limits say.
        store.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = !emergency });
        store.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = day });
        store.Parameters.Add(new NpgsqlParameter<int> { TypedValue = options.RequestsPerUserPerDay });
        store.Parameters.Add(new NpgsqlParameter<long> { TypedValue = options.TokensPerUserPerDay });
        store.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = replyKind, NpgsqlDbType = NpgsqlDbType.Text });
        store.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = replyId });
        store.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = replyText, NpgsqlDbType = NpgsqlDbType.Text });
        store.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = replyMeta, NpgsqlDbType = NpgsqlDbType.Jsonb });
        store.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.CreateVersion7(now) });
        store.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = db.Request?.RequestId, NpgsqlDbType = NpgsqlDbType.Text });
        store.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = db.Request?.ClientAddress, NpgsqlDbType = NpgsqlDbType.Text });
        batch.BatchCommands.Add(store);
        // Same implicit transaction, so the caller set by the function binds the policies here too.
        var history = new NpgsqlBatchCommand(HistorySql);
        history.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = conversationId });
        batch.BatchCommands.Add(history);

        Conversation c;
        (ConversationStatus, Priority, Guid?) before;
        long userSeq;
        long? replySeq;
        var rows = new List<Message>();
        try
        {
            await using var r = await batch.ExecuteReaderAsync(ct);
            {
                await r.ReadAsync(ct);
                switch (r.GetString(0))
                {
                    case "forbidden": throw new ForbiddenException(NotAPatient);
                    case "not_found": throw NotFoundException.Conversation(conversationId);
                    case "archived": throw new ConflictException(Archived);
                    case "duplicate": return null;
                }
                userSeq = r.GetInt64(1);
                replySeq = r.IsDBNull(2) ? null : r.GetInt64(2);
                before = (Parse<ConversationStatus>(r.GetString(3)), Parse<Priority>(r.GetString(4)), r.IsDBNull(5) ? null : r.GetGuid(5));
                c = ConversationRow.Read(r, conversationId, 6);
                await r.NextResultAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    rows.Add(new Message
                    {
                        Id = r.GetGuid(0), ConversationId = conversationId, Seq = r.GetInt64(1),
                        SenderId = r.IsDBNull(2) ? null : r.GetGuid(2), SenderRole = Parse<SenderRole>(r.GetString(3)),
                        Content = r.GetString(4), ClientMessageId = r.IsDBNull(5) ? null : r.GetString(5),
                        CreatedAt = r.GetFieldValue<DateTime>(6), Metadata = r.IsDBNull(7) ? null : r.GetString(7),
                    });
                }
                // Closing waits for ReadyForQuery, after the commit: the message is durable before the model is asked.
                await r.CloseAsync();
            }
        }
        catch (PostgresException e) when (e.SqlState == OverLimit)
        {
            throw OverLimitException(e.MessageText == "requests", day);
        }
        var user = new Message
        {
            Id = userId, ConversationId = conversationId, Seq = userSeq, SenderId = who.Id, SenderRole = SenderRole.Patient,
            Content = text, ClientMessageId = clientMessageId, CreatedAt = now,
        };
        var reply = replySeq is { } seq
            ? new Message
            {
                Id = replyId, ConversationId = conversationId, Seq = seq, SenderId = null, SenderRole = SenderRole.Assistant,
                Content = replyText!, ClientMessageId = ReplyPrefix + userId, CreatedAt = now, Metadata = replyMeta,
            }
            : null;
        var earlier = rows.Where(m => m.Seq < userSeq).Take(HistoryDepth).ToList();
        return new Stored(c, before, user, reply, c.AssignedStaffId is not null, earlier);
    }

    private const string StoreSql = "SELECT * FROM medchat_assist_store($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)";
    private const string HistorySql = """
        SELECT id, seq, sender_id, sender_role, content, client_message_id, created_at, metadata::text
          FROM messages WHERE conversation_id = $1 ORDER BY seq DESC LIMIT 202
        """;
    private const string OverLimit = "MC429";
    private const int HistoryDepth = 200;

    private static T Parse<T>(string name) where T : struct, Enum => SnakeCaseEnumConverter<T>.Parse(name);

    /// <summary>The conversation (locked for this transaction) and the stored message with this clientMessageId, for a replay.</summary>
    private async Task<(Conversation, Message?)> OpenAsync(Caller caller, Guid? conversationId, string clientMessageId, CancellationToken ct)
    {
        if (conversationId is { } id)
        {
            var c = await db.Conversations.Locked(id)
                .VisibleTo(caller).SingleOrDefaultAsync(ct) ?? throw NotFoundException.Conversation(id);
            var existing = await db.Messages.AsNoTracking()
                .SingleOrDefaultAsync(m => m.ConversationId == id && m.SenderId == caller.Id && m.ClientMessageId == clientMessageId, ct);
            return (c, existing);
        }
        // No id: a retry of a call that created a conversation finds its message by sender and clientMessageId.
        var earlier = await db.Messages.AsNoTracking()
            .Where(m => m.SenderId == caller.Id && m.ClientMessageId == clientMessageId).OrderBy(m => m.CreatedAt).FirstOrDefaultAsync(ct)
            ?? throw new InvalidOperationException("A repeated clientMessageId was reported, but no stored message was found.");
        return (await db.Conversations.Locked(earlier.ConversationId).SingleAsync(ct), earlier);
    }

    /// <summary>A repeated clientMessageId: the stored message and reply, without asking the model again.</summary>
    private async Task<ChatReply> ReplayAsync(Conversation c, Message user, IAssistantStream? stream, CancellationToken ct)
    {
        var reply = await db.Messages.AsNoTracking()
            .SingleOrDefaultAsync(m => m.ConversationId == c.Id && m.SenderId == null && m.ClientMessageId == ReplyPrefix + user.Id, ct);
        var receipts = await db.Receipts.AsNoTracking().Where(r => r.ConversationId == c.Id).ToListAsync(ct);
        var history = reply is null && c.AssignedStaffId is null ? await HistoryAsync(c.Id, ct, beforeSeq: user.Seq) : [];
        await db.CommitAsync(ct);
        var triage = reply?.Metadata is { } meta
            ? JsonSerializer.Deserialize<TriageDto>(JsonNode.Parse(meta)!["triage"]!.ToJsonString(), Json.Options)!
            : ToDto(SafetyGate.Assess(user.Content));
        var userDto = MessageDto.From(user, receipts);
        if (stream is not null)
        {
            await stream.UserMessageAsync(userDto);
            await stream.TriageAsync(triage);
        }
        if (reply is not null)
        {
            var replyDto = MessageDto.From(reply, receipts);
            if (stream is not null) await stream.ReplyAsync(replyDto);
            return new ChatReply(ConversationDto.From(c), userDto, replyDto, triage);
        }
        // The first attempt stored the message but got no reply (the model failed): answer it now.
        if (c.AssignedStaffId is not null || c.Status == ConversationStatus.Archived) return new ChatReply(ConversationDto.From(c), userDto, null, triage);
        return await AnswerAsync(user.SenderId!.Value, c.Id, user, [user, .. history], triage, stream, ct);
    }

    /// <summary>Asks the model (no transaction open), then stores its reply and raises the level if the model saw more.</summary>
    private async Task<ChatReply> AnswerAsync(Guid patientId, Guid conversationId, Message user, List<Message> newestFirst, TriageDto rules, IAssistantStream? stream, CancellationToken ct)
    {
        async Task Forward(string delta)
        {
            if (stream is not null) await stream.DeltaAsync(delta);
            await events.AssistantDeltaAsync(new AssistantDelta(conversationId, delta));
        }
        var prefix = rules.Level == TriageLevel.Urgent ? SafetyGate.UrgentGuidance(new Triage(rules.Level, rules.RedFlags, rules.Source)) + "\n\n" : "";
        if (prefix.Length > 0) await Forward(prefix);
        var marker = new TriageMarker(Forward);
        var outcome = await model.RunAsync(Prompt.Build(newestFirst), marker.PushAsync, ct);
        await marker.FlushAsync();

        var level = (TriageLevel)Math.Max((int)rules.Level, (int)(marker.Level ?? TriageLevel.Routine));
        var triage = level == rules.Level ? rules : rules with { Level = level, Source = "model" };
        var replyText = prefix + TriageMarker.Strip(outcome.Text);
        if (replyText.Length > MessageService.MaxContent) replyText = replyText[..MessageService.MaxContent];

        await db.BeginAsync(new Principal(patientId, null, false), ct);
        var c = await db.Conversations.Locked(conversationId).SingleAsync(ct);
        if (c.Status == ConversationStatus.Archived)
        {
            await db.CommitAsync(ct);
            return new ChatReply(ConversationDto.From(c), MessageDto.From(user, []), null, triage);
        }
        var before = (c.Status, c.Priority, c.AssignedStaffId);
        var now = time.UtcNow();
        await RaiseAsync(c, level, now, ct);
        var reply = AppendReply(c, user, replyText,
            Metadata(triage, model.Provider, outcome.Model, outcome.PromptTokens, outcome.CompletionTokens, outcome.LatencyMs, outcome.FinishReason), now);
        var tokens = outcome.PromptTokens + outcome.CompletionTokens;
        await db.Database.ExecuteSqlAsync($"UPDATE ai_usage SET tokens = tokens + {tokens} WHERE user_id = {patientId} AND day = {DateOnly.FromDateTime(now)}", ct);
        try
        {
            await db.SaveChangesAsync(ct);
            await db.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // A concurrent retry of the same message stored its reply first: return that one.
            db.ChangeTracker.Clear();
            await db.Database.RollbackTransactionAsync(ct);
            await db.BeginAsync(new Principal(patientId, null, false), ct);
            var first = await db.Messages.AsNoTracking().SingleAsync(m => m.ConversationId == conversationId && m.SenderId == null && m.ClientMessageId == ReplyPrefix + user.Id, ct);
            var current = await db.Conversations.AsNoTracking().SingleAsync(x => x.Id == conversationId, ct);
            await db.CommitAsync(ct);
            return new ChatReply(ConversationDto.From(current), MessageDto.From(user, []), MessageDto.From(first, []), triage);
        }
        if (before != (c.Status, c.Priority, c.AssignedStaffId)) await events.ConversationUpdatedAsync(c, before.Status, before.AssignedStaffId);
        return await AnnounceAsync(c, MessageDto.From(user, []), reply, triage, stream);
    }

    private async Task<ChatReply> AnnounceAsync(Conversation c, MessageDto user, Message reply, TriageDto triage, IAssistantStream? stream)
    {
        var replyDto = MessageDto.From(reply, []);
        await events.MessageCreatedAsync(replyDto);
        if (stream is not null) await stream.ReplyAsync(replyDto);
        return new ChatReply(ConversationDto.From(c), user, replyDto, triage);
    }

    /// <summary>
    /// The safety gate (or the model) may only raise: an emergency goes to the top of the staff queue,
    /// an urgent message raises the priority. Nothing here ever lowers a level someone set.
    /// </summary>
    private async Task RaiseAsync(Conversation c, TriageLevel level, DateTime now, CancellationToken ct)
    {
        var priority = level switch { TriageLevel.Emergency => Priority.Emergency, TriageLevel.Urgent => Priority.Urgent, _ => Priority.Routine };
        if (priority > c.Priority)
        {
            await db.ActingAsAssistantAsync(ct);
            c.Priority = priority;
            c.UpdatedAt = now;
        }
        if (level == TriageLevel.Emergency && c.Status is ConversationStatus.Open or ConversationStatus.Resolved)
            Transitions.Apply(c, ConversationStatus.AwaitingStaff, now);
    }

    private Message AppendReply(Conversation c, Message user, string text, string metadata, DateTime now) =>
        messages.Append(c, null, SenderRole.Assistant, text, ReplyPrefix + user.Id, metadata, now);

    private static string Metadata(TriageDto triage, string provider, string? modelId, int promptTokens, int completionTokens, long latencyMs, string finishReason) =>
        JsonSerializer.Serialize(new
        {
            ai = new { provider, model = modelId, promptTokens, completionTokens, latencyMs, finishReason },
            triage,
        }, Json.Options);

    private static TriageDto ToDto(Triage t) => new(t.Level, t.RedFlags, t.Source);

    /// <summary>This conversation's newest messages, enough to fill the model's context budget.</summary>
    private Task<List<Message>> HistoryAsync(Guid conversationId, CancellationToken ct, long beforeSeq = long.MaxValue) =>
        db.Messages.AsNoTracking().Where(m => m.ConversationId == conversationId && m.Seq < beforeSeq)
            .OrderByDescending(m => m.Seq).Take(HistoryDepth).ToListAsync(ct);

    private TooManyRequestsException OverLimitException(bool requests, DateOnly day)
    {
        var midnight = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return new TooManyRequestsException(
            requests
                ? $"You have used today's {options.RequestsPerUserPerDay} assistant requests. Your care team can still be reached with POST /api/chat/{{id}}/messages."
                : $"You have used today's {options.TokensPerUserPerDay} assistant tokens. Your care team can still be reached with POST /api/chat/{{id}}/messages.",
            midnight - time.GetUtcNow());
    }
}
