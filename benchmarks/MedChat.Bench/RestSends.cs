namespace MedChat.Bench;

/// <summary>
/// POST /api/chat/{id}/messages, closed loop: each worker is its own patient with its own
/// conversation, so workers never wait on each other's conversation lock (the ceiling's inserts
/// do not contend either). Reported as stored messages per second and its ratio to the ceiling.
/// </summary>
internal static class RestSends
{
    public const string Workload = "each worker is its own patient posting to its own conversation (no shared conversation locks), closed loop";

    public static async Task<List<RestLevel>> RunAsync(Stack stack, BenchPlan plan, CeilingResult? ceiling, CancellationToken ct)
    {
        Progress.Phase("REST sends: POST /api/chat/{id}/messages");
        using var http = Setup.HttpFor(stack.BaseAddress);
        var setup = new Setup(stack, http);
        var patients = await setup.PatientsAsync(plan.Concurrency.Max(), ct);
        Progress.Step($"{patients.Count} patients, one conversation each");

        var stored = await CountMessagesAsync(stack, ct);
        var (levels, ok) = await ClosedLoop.LevelsAsync(plan, ceiling, "sends", (w, i, t) =>
        {
            var p = patients[w];
            return p.Client.SendMessageAsync(p.ConversationId, Ceiling.Content(i), Guid.NewGuid().ToString(), t);
        }, ct);
        // Every 201 is a stored row: check it, so "stored per second" is not just "answered per second".
        var added = await CountMessagesAsync(stack, ct) - stored;
        if (added != ok) Progress.Note($"{ok} sends were answered but {added} messages were stored");
        return levels;
    }

    private static async Task<long> CountMessagesAsync(Stack stack, CancellationToken ct)
    {
        await using var ds = stack.OwnerDataSource(2);
        await using var cmd = ds.CreateCommand("SELECT count(*) FROM messages");
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
