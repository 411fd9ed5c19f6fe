using Npgsql;

namespace MedChat.Bench;

/// <summary>
/// The database's own ceiling on this machine: plain single-row INSERTs, each its own autocommit
/// statement, straight to the same cluster at the same concurrency levels as the REST sends.
/// </summary>
internal static class Ceiling
{
    private const string Table = """
        CREATE TABLE IF NOT EXISTS bench_inserts (
            id uuid PRIMARY KEY, conversation_id uuid NOT NULL, seq bigint NOT NULL, content text NOT NULL, created_at timestamptz NOT NULL)
        """;

    public static async Task<CeilingResult> RunAsync(Stack stack, BenchPlan plan, CancellationToken ct)
    {
        Progress.Phase("Database ceiling: single-row autocommit INSERTs over Npgsql");
        await using var ds = stack.OwnerDataSource(plan.Concurrency.Max() + 8);
        await using (var create = ds.CreateCommand(Table)) await create.ExecuteNonQueryAsync(ct);
        await using (var truncate = ds.CreateCommand("TRUNCATE bench_inserts")) await truncate.ExecuteNonQueryAsync(ct);

        var levels = new List<Level>();
        foreach (var c in plan.Concurrency)
        {
            var connections = new NpgsqlConnection[c];
            var conversations = new Guid[c];
            for (var i = 0; i < c; i++)
            {
                connections[i] = await ds.OpenConnectionAsync(ct);
                conversations[i] = Guid.CreateVersion7();
            }
            try
            {
                var outcome = await ClosedLoop.RunAsync(c, plan.Warmup / 2, plan.CeilingDuration, plan.MaxPerLevel, async (w, i, t) =>
                {
                    await using var cmd = new NpgsqlCommand(
                        "INSERT INTO bench_inserts (id, conversation_id, seq, content, created_at) VALUES ($1, $2, $3, $4, now())", connections[w])
                    {
                        Parameters = { new() { Value = Guid.CreateVersion7() }, new() { Value = conversations[w] }, new() { Value = i }, new() { Value = Content(i) } },
                    };
                    await cmd.ExecuteNonQueryAsync(t);
                }, ct);
                levels.Add(outcome.Level);
                Progress.Step($"concurrency {c,3}: {outcome.Level.PerSec,8:F0} inserts/s  p50 {outcome.Level.P50Ms:F2} ms  p99 {outcome.Level.P99Ms:F2} ms" +
                              (outcome.FirstError is null ? "" : $"  errors {outcome.Level.Errors} ({outcome.FirstError})"));
            }
            finally
            {
                foreach (var conn in connections) await conn.DisposeAsync();
            }
        }
        await using (var drop = ds.CreateCommand("DROP TABLE bench_inserts")) await drop.ExecuteNonQueryAsync(ct);
        return new CeilingResult(levels.Max(l => l.PerSec), levels);
    }

    /// <summary>A message-sized text (about 60 characters), the same for the ceiling and the sends.</summary>
    public static string Content(long i) => $"Benchmark message {i}: how should I take my medication today?";
}
