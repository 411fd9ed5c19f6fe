using System.Threading.Channels;
using MedChat.Api.Conversations;
using MedChat.Api.Data;
using MedChat.Api.Identity;
using Npgsql;
using NpgsqlTypes;

namespace MedChat.Api.Messages;

/// <summary>One send as <c>medchat_send</c> takes it (migration SendInOneRoundTrip): who, where, what, and the ids and time chosen by the API.</summary>
public sealed record SendCall(Principal Who, Guid ConversationId, string ClientMessageId, string Content,
    Guid MessageId, Guid AuditId, DateTime Now, string? RequestId, string? ClientAddress);

/// <summary>
/// What <c>medchat_send</c> answered for one send, after its transaction committed: the outcome
/// (created, duplicate, not_found or archived; the last two wrote nothing, and carry no message or
/// conversation), the message and its status, and the conversation after the send with its status before.
/// </summary>
public sealed record SendRow(string Outcome, Message? Message, MessageStatus Status, Conversation? Conversation, ConversationStatus StatusBefore);

/// <summary>
/// Group commit for sends. Each send is still its own <c>medchat_send</c> call, which sets that
/// caller's context first, so row-level security binds every statement of it as that caller; but
/// the sends waiting at the same moment share ONE transaction on one connection (an NpgsqlBatch:
/// one round trip, one commit, one WAL flush), and every caller is answered only after that
/// transaction has committed. The database does twice the sends per second this way (pgbench in
/// docs/benchmarks.md), because a send's commit and round trip cost as much as its statements.
/// <para>
/// A few writer loops each take whatever is queued when they are free: a send arriving at an idle
/// server goes at once, alone (no timer); sends only share a batch when they had to wait anyway.
/// A batch runs in conversation id order, so two batches take their row locks in the same order
/// and cannot deadlock. If the batch fails (an unexpected error in one send rolls all of it back),
/// its sends run again one by one, so one bad send fails only itself.
/// </para>
/// </summary>
public sealed class SendBatcher : IAsyncDisposable
{
    /// <summary>Large enough to drain a busy moment, small enough that one batch's locks are brief.</summary>
    public const int MaxBatch = 64;

    private const string SendSql = "SELECT * FROM medchat_send($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";

    private sealed record Pending(SendCall Call, TaskCompletionSource<SendRow> Done);

    public const int DefaultWriters = 4;

    /// <summary>How many writer connections this node keeps (Messages:SendWriters, 1 to 64; the database pool is checked against it).</summary>
    public static int Writers(IConfiguration config) => Math.Clamp(config.GetValue("Messages:SendWriters", DefaultWriters), 1, 64);

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private readonly NpgsqlDataSource _data;
    private readonly ILogger<SendBatcher> _log;
    private readonly Task[] _writers;

    public SendBatcher(NpgsqlDataSource data, IConfiguration config, ILogger<SendBatcher> log)
    {
        _data = data;
        _log = log;
        // A few connections keep the database busy without making every send wait for one
        // (pgbench, docs/benchmarks.md round 4: 4 connections with batches of 8 came within 10-40 %
        // of 32 connections with batches of 32, and they leave the pool to the other routes).
        _writers = Enumerable.Range(0, Writers(config)).Select(_ => Task.Run(WriteLoopAsync)).ToArray();
    }

    /// <summary>Sends waiting for a free writer (tests use it to see that sends have queued).</summary>
    internal int Queued => _queue.Reader.Count;

    /// <summary>
    /// Stores one send and answers once its transaction has committed. Not cancellable on purpose:
    /// once queued the send may already be part of a committing batch, and the caller must learn
    /// its outcome (and announce it) rather than leave a stored message unannounced.
    /// </summary>
    public Task<SendRow> SendAsync(SendCall call)
    {
        var pending = new Pending(call, new TaskCompletionSource<SendRow>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(SendBatcher));
        return pending.Done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var writer = new Writer(_data);
        try
        {
            var batch = new List<Pending>(MaxBatch);
            while (await _queue.Reader.WaitToReadAsync())
            {
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var p)) batch.Add(p);
                if (batch.Count == 0) continue;
                // Stable: two sends to one conversation keep their arrival order (and so their seq order).
                await RunAsync(writer, batch.OrderBy(p => p.Call.ConversationId).ToList());
                batch.Clear();
            }
        }
        finally
        {
            await writer.DisposeAsync();
        }
    }

    /// <summary>
    /// A writer keeps its connection between batches: returning it to the pool would cost a reset
    /// (an extra statement and transaction in PostgreSQL) per batch. Nothing outlives a batch on it:
    /// the caller settings are transaction-local. After any error it starts on a fresh connection.
    /// </summary>
    private sealed class Writer(NpgsqlDataSource data) : IAsyncDisposable
    {
        private NpgsqlConnection? _conn;

        public async Task<NpgsqlConnection> ConnectionAsync() => _conn ??= await data.OpenConnectionAsync();

        public async ValueTask DisposeAsync()
        {
            if (_conn is { } c) await c.DisposeAsync();
            _conn = null;
        }
    }

    private async Task RunAsync(Writer writer, List<Pending> batch)
    {
        SendRow[] rows;
        try
        {
            rows = await ExecuteAsync(await writer.ConnectionAsync(), batch);
        }
        catch (PostgresException e) when (batch.Count > 1)
        {
            // The server rolled the whole batch back (nothing of it is stored): run each send alone,
            // so the one that fails gets its own error and its neighbours are stored.
            _log.LogWarning("A batch of {Count} sends failed ({SqlState}); running them one by one", batch.Count, e.SqlState);
            foreach (var p in batch) await RunAsync(writer, [p]);
            return;
        }
        catch (Exception e)
        {
            await writer.DisposeAsync();
            foreach (var p in batch) p.Done.TrySetException(e);
            return;
        }
        for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(rows[i]);
    }

    private static async Task<SendRow[]> ExecuteAsync(NpgsqlConnection conn, List<Pending> batch)
    {
        // No explicit transaction: an NpgsqlBatch is sent with one Sync, so PostgreSQL runs its
        // statements as one implicit transaction that commits when the last one has run.
        await using var b = new NpgsqlBatch(conn);
        foreach (var p in batch) b.BatchCommands.Add(Command(p.Call));
        var rows = new SendRow[batch.Count];
        await using var r = await b.ExecuteReaderAsync();
        for (var i = 0; i < batch.Count; i++)
        {
            if (i > 0) await r.NextResultAsync();
            await r.ReadAsync();
            rows[i] = Read(r, batch[i].Call);
        }
        // Closing the reader waits for ReadyForQuery, which follows the commit: nothing is answered
        // before it is durable, and a failed commit throws here (and nobody was answered).
        await r.CloseAsync();
        return rows;
    }

    private static NpgsqlBatchCommand Command(SendCall s) => new(SendSql)
    {
        Parameters =
        {
            new NpgsqlParameter<Guid> { TypedValue = s.Who.Id },
            new NpgsqlParameter<string?> { TypedValue = s.Who.Name, NpgsqlDbType = NpgsqlDbType.Text },
            new NpgsqlParameter<bool> { TypedValue = s.Who.BootstrapAdmin },
            new NpgsqlParameter<Guid> { TypedValue = s.ConversationId },
            new NpgsqlParameter<string> { TypedValue = s.ClientMessageId, NpgsqlDbType = NpgsqlDbType.Text },
            new NpgsqlParameter<string> { TypedValue = s.Content, NpgsqlDbType = NpgsqlDbType.Text },
            new NpgsqlParameter<Guid> { TypedValue = s.MessageId },
            new NpgsqlParameter<Guid> { TypedValue = s.AuditId },
            new NpgsqlParameter<DateTime> { TypedValue = s.Now, NpgsqlDbType = NpgsqlDbType.TimestampTz },
            // For the audit row (every send is a write, audited for everyone): which request, from where. Never content.
            new NpgsqlParameter<string?> { TypedValue = s.RequestId, NpgsqlDbType = NpgsqlDbType.Text },
            new NpgsqlParameter<string?> { TypedValue = s.ClientAddress, NpgsqlDbType = NpgsqlDbType.Text },
        },
    };

    private static SendRow Read(NpgsqlDataReader r, SendCall s)
    {
        var outcome = r.GetString(0);
        if (outcome is "not_found" or "archived") return new SendRow(outcome, null, MessageStatus.Sent, null, default);
        var message = new Message
        {
            Id = r.GetGuid(2),
            ConversationId = s.ConversationId,
            Seq = r.GetInt64(3),
            SenderId = s.Who.Id,
            SenderRole = SnakeCaseEnumConverter<SenderRole>.Parse(r.GetString(4)),
            Content = r.GetString(5),
            ClientMessageId = s.ClientMessageId,
            CreatedAt = r.GetFieldValue<DateTime>(6),
            Metadata = r.IsDBNull(7) ? null : r.GetString(7),
        };
        var conversation = ConversationRow.Read(r, s.ConversationId, 11);
        return new SendRow(outcome, message, SnakeCaseEnumConverter<MessageStatus>.Parse(r.GetString(8)), conversation,
            SnakeCaseEnumConverter<ConversationStatus>.Parse(r.GetString(9)));
    }

    /// <summary>Stops taking sends and lets the writers finish what is queued.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }
}
