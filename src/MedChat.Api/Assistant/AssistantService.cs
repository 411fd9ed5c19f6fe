using System.Text.Json;
using System.Text.Json.Nodes;
using MedChat.Api.Audit;
using MedChat.Api.Conversations;
using MedChat.Api.Data;
using MedChat.Api.Identity;
using MedChat.Api.Messages;
using MedChat.Api.Realtime;
using MedChat.Api.Web;
using Microsoft.EntityFrameworkCore;
using Npgsql;

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
    MedChatDb db, TimeProvider time, IChatEvents events, MessageService messages, ModelRunner model, AssistantOptions options, Limits.UserLimits limits, Telemetry.MedChatMetrics metrics)
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

        var caller = await db.BeginAsync(who, ct);
        if (caller.Role != Role.Patient)
            throw new ForbiddenException("The assistant talks with patients. Staff post with POST /api/chat/{conversationId}/messages.");

        var (c, existing) = await OpenAsync(caller, request.ConversationId, clientMessageId, ct);
        if (existing is not null) return await ReplayAsync(c, existing, stream, ct);
        if (c.Status == ConversationStatus.Archived) throw new ConflictException("An archived conversation is read-only.");
        // An emergency is always answered, whatever the daily limits say.
        if (rules.Level != TriageLevel.Emergency) await ChargeRequestAsync(caller.Id, ct);

        var before = (c.Status, c.Priority, c.AssignedStaffId);
        var history = await HistoryAsync(c.Id, ct);
        var now = time.UtcNow();
        var user = messages.Append(c, caller.Id, SenderRole.Patient, text, clientMessageId, null, now);
        var held = c.AssignedStaffId is not null;
        var triage = new TriageDto(rules.Level, rules.RedFlags, rules.Source);
        Message? reply = null;
        await RaiseAsync(c, rules.Level, now, ct);
        if (rules.Level == TriageLevel.Emergency)
        {
            if (!held) reply = AppendReply(c, user, SafetyGate.EmergencyGuidance(rules), Metadata(triage, "safety_gate", null, 0, 0, 0, "safety_gate"), now);
        }
        else if (!held && Handoff.IsRequest(text))
        {
            if (c.Status == ConversationStatus.Open) Transitions.Apply(c, ConversationStatus.AwaitingStaff, now);
            reply = AppendReply(c, user, Handoff.Reply, Metadata(triage, "handoff", null, 0, 0, 0, "handoff"), now);
        }
        db.Record(caller, "message.create", c.Id, now);
        await db.SaveChangesAsync(ct);
        await db.CommitAsync(ct);

        var userDto = MessageDto.From(user, []);
        await events.MessageCreatedAsync(userDto);
        if (before != (c.Status, c.Priority, c.AssignedStaffId)) await events.ConversationUpdatedAsync(c, before.Status, before.AssignedStaffId);
        if (stream is not null)
        {
            await stream.UserMessageAsync(userDto);
            await stream.TriageAsync(triage);
        }
        if (reply is not null) return await AnnounceAsync(c, userDto, reply, triage, stream);
        if (held) return new ChatReply(ConversationDto.From(c), userDto, null, triage);
        return await AnswerAsync(caller.Id, c.Id, user, [user, .. history], triage, stream, ct);
    }

    /// <summary>The conversation (locked for this transaction) and, for a repeated clientMessageId, the stored message.</summary>
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
            .Where(m => m.SenderId == caller.Id && m.ClientMessageId == clientMessageId).OrderBy(m => m.CreatedAt).FirstOrDefaultAsync(ct);
        if (earlier is not null)
            return (await db.Conversations.Locked(earlier.ConversationId).SingleAsync(ct), earlier);
        var now = time.UtcNow();
        var created = new Conversation
        {
            Id = Guid.CreateVersion7(), PatientId = caller.Id, Status = ConversationStatus.Open, Priority = Priority.Routine,
            CreatedAt = now, UpdatedAt = now,
        };
        db.Conversations.Add(created);
        return (created, null);
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
            .OrderByDescending(m => m.Seq).Take(200).ToListAsync(ct);

    /// <summary>Counts one request against today's limits, or refuses it (429) and stores nothing.</summary>
    private async Task ChargeRequestAsync(Guid userId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        var usage = (await db.Database.SqlQuery<UsageRow>($"""
            INSERT INTO ai_usage AS u (user_id, day, requests, tokens) VALUES ({userId}, {day}, 1, 0)
            ON CONFLICT (user_id, day) DO UPDATE SET requests = u.requests + 1
            RETURNING u.requests AS "Requests", u.tokens AS "Tokens"
            """).ToListAsync(ct))[0];
        if (usage.Requests <= options.RequestsPerUserPerDay && usage.Tokens < options.TokensPerUserPerDay) return;
        var midnight = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        throw new TooManyRequestsException(
            usage.Requests > options.RequestsPerUserPerDay
                ? $"You have used today's {options.RequestsPerUserPerDay} assistant requests. Your care team can still be reached with POST /api/chat/{{id}}/messages."
                : $"You have used today's {options.TokensPerUserPerDay} assistant tokens. Your care team can still be reached with POST /api/chat/{{id}}/messages.",
            midnight - now);
    }

    private sealed record UsageRow(int Requests, long Tokens);
}
