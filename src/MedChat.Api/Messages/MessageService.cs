using MedChat.Api.Realtime;
using MedChat.Api.Audit;
using MedChat.Api.Conversations;
using MedChat.Api.Data;
using MedChat.Api.Identity;
using MedChat.Api.Web;
using Microsoft.EntityFrameworkCore;

namespace MedChat.Api.Messages;

/// <summary>Sending, paging and receipts, shared by the REST routes, the hub and the assistant.</summary>
public sealed class MessageService(MedChatDb db, SendBatcher batcher, TimeProvider time, IChatEvents events, ConversationService conversations, Limits.UserLimits limits)
{
    public const int MaxContent = 4000;
    public const int MaxClientMessageId = 64;
    public const int MaxPage = 100;

    public sealed record SendResult(MessageDto Message, bool Created, ConversationDto Conversation);

    /// <summary>
    /// Stores a person's message and broadcasts it after commit, in one statement: the
    /// <c>medchat_send</c> function (migration SendInOneRoundTrip) sets the caller, locks the
    /// conversation row (which serialises senders: seq is the next number with no gaps), answers a
    /// repeated clientMessageId with the original (<see cref="SendResult.Created"/> false), inserts the
    /// message, moves the conversation and writes the audit row, as the runtime role under
    /// row-level security. The <see cref="SendBatcher"/> runs it in one transaction with the other
    /// sends waiting at that moment (group commit), and answers only once that transaction is durable.
    /// Npgsql directly: EF Core's change tracking cost more per send than the rest of the API.
    /// </summary>
    public async Task<SendResult> SendAsync(Principal who, Guid conversationId, string? content, string? clientMessageId, CancellationToken ct)
    {
        await limits.SendAsync(who.Id, content);
        var v = new Validator();
        content = v.Text(content, "content", 1, MaxContent);
        clientMessageId = v.Text(clientMessageId, "clientMessageId", 1, MaxClientMessageId);
        v.ThrowIfAny();

        var now = time.UtcNow();
        var row = await batcher.SendAsync(new SendCall(who, conversationId, clientMessageId!, content!,
            Guid.CreateVersion7(now), Guid.CreateVersion7(now), now, db.Request?.RequestId, db.Request?.ClientAddress));
        switch (row.Outcome)
        {
            case "not_found": throw NotFoundException.Conversation(conversationId);
            case "archived": throw new ConflictException("An archived conversation is read-only.");
        }
        var (message, c) = (row.Message!, row.Conversation!);
        if (row.Outcome != "created")
            return new SendResult(MessageDto.From(message, []) with { Status = row.Status }, false, ConversationDto.From(c));
        return await PublishAsync(c, message, row.StatusBefore);
    }

    /// <summary>
    /// Adds the next message to a conversation locked by the caller's transaction; posting reopens
    /// a resolved conversation. The caller saves and commits.
    /// </summary>
    internal Message Append(Conversation c, Guid? senderId, SenderRole role, string content, string? clientMessageId, string? metadata, DateTime now)
    {
        var reopened = Transitions.AfterPost(c);
        if (reopened != c.Status) Transitions.Apply(c, reopened, now);
        c.LastMessageSeq++;
        c.LastMessageAt = now;
        c.UpdatedAt = now;
        var message = new Message
        {
            Id = Guid.CreateVersion7(),
            ConversationId = c.Id,
            Seq = c.LastMessageSeq,
            SenderId = senderId,
            SenderRole = role,
            Content = content,
            ClientMessageId = clientMessageId,
            CreatedAt = now,
            Metadata = metadata,
        };
        db.Messages.Add(message);
        return message;
    }

    /// <summary>After commit: tell the conversation's watchers about the message (and a reopened conversation).</summary>
    internal async Task<SendResult> PublishAsync(Conversation c, Message message, ConversationStatus statusBefore)
    {
        // A new seq is above every receipt cursor, so a new message is always "sent".
        var dto = MessageDto.From(message, []);
        await events.MessageCreatedAsync(dto);
        if (c.Status != statusBefore) await events.ConversationUpdatedAsync(c, statusBefore, c.AssignedStaffId);
        return new SendResult(dto, true, ConversationDto.From(c));
    }

    public async Task<MessagePage> ListAsync(Principal who, Guid conversationId, long? after, long? before, int? limit, CancellationToken ct)
    {
        var v = new Validator();
        v.Range(after, "after", 0, long.MaxValue);
        v.Range(before, "before", 0, long.MaxValue);
        var take = (int)(v.Range(limit, "limit", 1, MaxPage) ?? 50);
        v.Check(after is null || before is null, "before", "Use after or before, not both.");
        v.ThrowIfAny();

        var caller = await db.BeginAsync(who, ct);
        await conversations.FindAsync(caller, conversationId, ct);
        var page = await PageAsync(conversationId, after, before, take, ct);
        await db.CommitAuditedAsync(caller, "messages.read", conversationId, time.UtcNow(), ct);
        return page;
    }

    /// <summary>The hub's join: the conversation and up to <paramref name="limit"/> messages after <paramref name="afterSeq"/>.</summary>
    public async Task<(ConversationDto, MessagePage)> CatchUpAsync(Principal who, Guid conversationId, long afterSeq, int limit, CancellationToken ct)
    {
        var v = new Validator();
        v.Range(afterSeq, "afterSeq", 0, long.MaxValue);
        v.ThrowIfAny();
        var caller = await db.BeginAsync(who, ct);
        var c = await conversations.FindAsync(caller, conversationId, ct);
        var page = await PageAsync(conversationId, afterSeq, null, limit, ct);
        await db.CommitAuditedAsync(caller, "messages.read", conversationId, time.UtcNow(), ct);
        return (ConversationDto.From(c), page);
    }

    /// <summary>
    /// One keyset page by seq, ascending. No cursor: the newest page (hasMore: older exist).
    /// after: the oldest messages above it (hasMore: newer exist). before: the page below it.
    /// </summary>
    internal async Task<MessagePage> PageAsync(Guid conversationId, long? after, long? before, int take, CancellationToken ct)
    {
        var q = db.Messages.AsNoTracking().Where(m => m.ConversationId == conversationId);
        List<Message> rows;
        if (after is { } a)
        {
            rows = await q.Where(m => m.Seq > a).OrderBy(m => m.Seq).Take(take + 1).ToListAsync(ct);
        }
        else
        {
            if (before is { } b) q = q.Where(m => m.Seq < b);
            rows = await q.OrderByDescending(m => m.Seq).Take(take + 1).ToListAsync(ct);
        }
        var hasMore = rows.Count > take;
        if (hasMore) rows.RemoveAt(take);
        if (after is null) rows.Reverse();
        var receipts = await ReceiptsAsync(conversationId, ct);
        return new MessagePage(rows.ConvertAll(m => MessageDto.From(m, receipts)), hasMore);
    }

    /// <summary>
    /// Moves the caller's cursors forward (never back; read implies delivered) and broadcasts the
    /// new cursors when they moved. A seq beyond the conversation's last message is 400.
    /// </summary>
    public async Task MarkAsync(Principal who, Guid conversationId, long? deliveredSeq, long? readSeq, CancellationToken ct)
    {
        var v = new Validator();
        v.Range(deliveredSeq, "deliveredSeq", 0, long.MaxValue);
        v.Range(readSeq, "readSeq", 0, long.MaxValue);
        v.Check(deliveredSeq is not null || readSeq is not null, "deliveredSeq", "Give deliveredSeq, readSeq or both.");
        v.ThrowIfAny();

        var caller = await db.BeginAsync(who, ct);
        var c = await conversations.FindAsync(caller, conversationId, ct);
        v.Check(deliveredSeq is null || deliveredSeq <= c.LastMessageSeq, "deliveredSeq", $"deliveredSeq must not exceed the last message's seq ({c.LastMessageSeq}).");
        v.Check(readSeq is null || readSeq <= c.LastMessageSeq, "readSeq", $"readSeq must not exceed the last message's seq ({c.LastMessageSeq}).");
        v.ThrowIfAny();

        var read = readSeq ?? 0;
        var delivered = Math.Max(deliveredSeq ?? 0, read);
        var now = time.UtcNow();
        var role = SnakeCaseEnumConverter<Role>.Name(caller.Role);
        // One statement, safe under concurrent marks: GREATEST keeps both cursors monotonic.
        var rows = await db.Database.SqlQuery<CursorRow>($"""
            WITH old AS (SELECT delivered_seq, read_seq FROM receipts WHERE conversation_id = {conversationId} AND user_id = {caller.Id})
            INSERT INTO receipts AS r (conversation_id, user_id, role, delivered_seq, read_seq, updated_at)
            VALUES ({conversationId}, {caller.Id}, {role}, {delivered}, {read}, {now})
            ON CONFLICT (conversation_id, user_id) DO UPDATE
               SET delivered_seq = GREATEST(r.delivered_seq, EXCLUDED.delivered_seq),
                   read_seq = GREATEST(r.read_seq, EXCLUDED.read_seq),
                   role = EXCLUDED.role,
                   updated_at = EXCLUDED.updated_at
            RETURNING r.delivered_seq AS "DeliveredSeq", r.read_seq AS "ReadSeq",
                      (SELECT delivered_seq FROM old) AS "OldDeliveredSeq", (SELECT read_seq FROM old) AS "OldReadSeq"
            """).ToListAsync(ct);
        await db.CommitAuditedAsync(caller, "receipts.update", conversationId, now, ct);

        var row = rows[0];
        if (row.OldDeliveredSeq != row.DeliveredSeq || row.OldReadSeq != row.ReadSeq)
            await events.ReceiptsUpdatedAsync(new ReceiptsChanged(conversationId, caller.Id, row.DeliveredSeq, row.ReadSeq));
    }

    public async Task<IReadOnlyList<ReceiptDto>> ListReceiptsAsync(Principal who, Guid conversationId, CancellationToken ct)
    {
        var caller = await db.BeginAsync(who, ct);
        await conversations.FindAsync(caller, conversationId, ct);
        var receipts = await ReceiptsAsync(conversationId, ct);
        await db.CommitAuditedAsync(caller, "receipts.read", conversationId, time.UtcNow(), ct);
        return receipts.OrderBy(r => r.UserId).Select(r => new ReceiptDto(r.UserId, r.Role, r.DeliveredSeq, r.ReadSeq)).ToList();
    }

    private Task<List<Receipt>> ReceiptsAsync(Guid conversationId, CancellationToken ct) =>
        db.Receipts.AsNoTracking().Where(r => r.ConversationId == conversationId).ToListAsync(ct);

    private sealed record CursorRow(long DeliveredSeq, long ReadSeq, long? OldDeliveredSeq, long? OldReadSeq);
}
