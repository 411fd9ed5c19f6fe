using Npgsql;
using NpgsqlTypes;

namespace MedChat.Bench;

/// <summary>
/// The send's database work alone, with no API, HTTP or hub in front of it: <c>medchat_send</c> calls
/// straight to the same cluster, grouped as the API's send writers group them (one NpgsqlBatch, one
/// implicit transaction and one commit per batch). At each level the sends in flight equal the
/// concurrency: up to 4 connections (the API's default writers), each with concurrency / 4 sends per
/// batch. Run twice: as the runtime role (row-level security binds, as in the API) and as the
/// superuser, which bypasses row-level security, so the table shows what the policies cost and what the
/// send's statements cost without them. Set against the ceiling, this is the most any send path could
/// reach here; the REST and hub sends pay their own request handling on the same cores on top.
/// </summary>
internal static class DatabaseSends
{
    public const int Writers = MedChat.Api.Messages.SendBatcher.DefaultWriters;
    private const string SendSql = "SELECT * FROM medchat_send($1, NULL, false, $2, $3, $4, $5, $6, now(), $7, '127.0.0.1')";

    public static async Task<DatabaseSendResult> RunAsync(Stack stack, BenchPlan plan, CeilingResult? ceiling, CancellationToken ct)
    {
        Progress.Phase("Database sends: medchat_send alone, batched as the API's writers batch it");
        var max = plan.Concurrency.Max();
        var (patients, conversations) = await SeedAsync(stack, max, ct);
        var runtime = new NpgsqlConnectionStringBuilder(stack.OwnerConnection) { Username = "medchat_app", MaxAutoPrepare = 64 }.ConnectionString;
        var owner = new NpgsqlConnectionStringBuilder(stack.OwnerConnection) { MaxAutoPrepare = 64 }.ConnectionString;

        Progress.Step("as the runtime role medchat_app (row-level security binds)");
        var withRls = await LevelsAsync(runtime, plan, ceiling, patients, conversations, ct);
        Progress.Step("as the superuser (row-level security bypassed)");
        var withoutRls = await LevelsAsync(owner, plan, ceiling, patients, conversations, ct);
        return new DatabaseSendResult(Writers, withRls, withoutRls);
    }

    /// <summary>Sends per batch at a level: the level's sends in flight spread over at most <see cref="Writers"/> connections.</summary>
    public static (int Connections, int Batch) Shape(int concurrency) =>
        (Math.Min(Writers, concurrency), Math.Max(1, concurrency / Math.Min(Writers, concurrency)));

    private static async Task<List<RestLevel>> LevelsAsync(string connectionString, BenchPlan plan, CeilingResult? ceiling,
        Guid[] patients, Guid[] conversations, CancellationToken ct)
    {
        var levels = new List<RestLevel>();
        foreach (var c in plan.Concurrency)
        {
            var (connections, batch) = Shape(c);
            var open = new NpgsqlConnection[connections];
            for (var w = 0; w < connections; w++)
            {
                open[w] = new NpgsqlConnection(connectionString);
                await open[w].OpenAsync(ct);
            }
            try
            {
                var outcome = await ClosedLoop.RunAsync(connections, plan.Warmup / 2, plan.CeilingDuration, plan.MaxPerLevel / batch, async (w, i, t) =>
                {
                    await using var b = new NpgsqlBatch(open[w]);
                    for (var k = 0; k < batch; k++)
                    {
                        var slot = w * batch + k;
                        b.BatchCommands.Add(Send(patients[slot], conversations[slot], i));
                    }
                    await using var r = await b.ExecuteReaderAsync(t);
                    do
                    {
                        if (!await r.ReadAsync(t) || r.GetString(0) != "created")
                            throw new InvalidOperationException("medchat_send did not store the message");
                    } while (await r.NextResultAsync(t));
                }, ct);
                // The loop counts batches; the level counts sends (a batch's latency is each of its sends').
                var l = outcome.Level;
                levels.Add(ClosedLoop.Report(c, outcome with { Level = l with { PerSec = l.PerSec * batch, Count = l.Count * batch } }, ceiling, "sends"));
            }
            finally
            {
                foreach (var conn in open) await conn.DisposeAsync();
            }
        }
        return levels;
    }

    private static NpgsqlBatchCommand Send(Guid patient, Guid conversation, long i) => new(SendSql)
    {
        Parameters =
        {
            new NpgsqlParameter<Guid> { TypedValue = patient },
            new NpgsqlParameter<Guid> { TypedValue = conversation },
            new NpgsqlParameter<string> { TypedValue = Guid.NewGuid().ToString(), NpgsqlDbType = NpgsqlDbType.Text },
            new NpgsqlParameter<string> { TypedValue = Ceiling.Content(i), NpgsqlDbType = NpgsqlDbType.Text },
            new NpgsqlParameter<Guid> { TypedValue = Guid.CreateVersion7() },
            new NpgsqlParameter<Guid> { TypedValue = Guid.CreateVersion7() },
            new NpgsqlParameter<string> { TypedValue = "0HN0BENCH0000:00000001", NpgsqlDbType = NpgsqlDbType.Text },
        },
    };

    /// <summary>One patient and one open conversation per send slot, written directly as the owner.</summary>
    private static async Task<(Guid[] Patients, Guid[] Conversations)> SeedAsync(Stack stack, int count, CancellationToken ct)
    {
        var patients = Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7()).ToArray();
        var conversations = Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7()).ToArray();
        await using var ds = stack.OwnerDataSource(2);
        await using var conn = await ds.OpenConnectionAsync(ct);
        await using var seed = new NpgsqlBatch(conn)
        {
            BatchCommands =
            {
                new("""
                    INSERT INTO users (id, role, display_name, created_at, updated_at)
                    SELECT p, 'patient', 'Bench patient', now(), now() FROM unnest($1::uuid[]) p
                    """) { Parameters = { new NpgsqlParameter<Guid[]> { TypedValue = patients } } },
                new("""
                    INSERT INTO conversations (id, patient_id, status, priority, last_message_seq, created_at, updated_at)
                    SELECT c, p, 'open', 'routine', 0, now(), now() FROM unnest($1::uuid[], $2::uuid[]) AS t(p, c)
                    """) { Parameters = { new NpgsqlParameter<Guid[]> { TypedValue = patients }, new NpgsqlParameter<Guid[]> { TypedValue = conversations } } },
            },
        };
        await seed.ExecuteNonQueryAsync(ct);
        Progress.Step($"{count} patients, one conversation each");
        return (patients, conversations);
    }
}
