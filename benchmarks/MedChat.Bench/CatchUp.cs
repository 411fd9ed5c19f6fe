using System.Diagnostics;
using MedChat.Client;
using Microsoft.AspNetCore.SignalR.Client;

namespace MedChat.Bench;

/// <summary>
/// A client that was away comes back: a new hub connection calls JoinConversation(id, lastSeq) and
/// pages while hasMore until every missed message is in hand. Timed from the first join call to the
/// last message; the connection's own start is reported apart.
/// </summary>
internal static class CatchUp
{
    public static async Task<CatchupResult> RunAsync(Stack stack, BenchPlan plan, CancellationToken ct)
    {
        Progress.Phase($"Catch-up: {plan.CatchupMessages:N0} missed messages");
        using var http = Setup.HttpFor(stack.BaseAddress);
        var setup = new Setup(stack, http);
        var patient = await setup.PatientAsync(ct);
        var seeded = await ClosedLoop.RunAsync(8, TimeSpan.Zero, TimeSpan.FromMinutes(2), plan.CatchupMessages,
            (_, i, t) => patient.Client.SendMessageAsync(patient.ConversationId, Ceiling.Content(i), Guid.NewGuid().ToString(), t), ct);
        if (seeded.TotalOk != plan.CatchupMessages)
            throw new InvalidOperationException($"Seeded {seeded.TotalOk} of {plan.CatchupMessages} messages: {seeded.FirstError}");
        Progress.Step($"{seeded.TotalOk:N0} messages posted while the client was away");

        var times = new List<double>();
        double connectMs = 0;
        var pages = 0;
        for (var r = 0; r < plan.CatchupRepeats; r++)
        {
            await using var hub = Setup.Hub(stack.BaseAddress, patient.Token);
            var sw = Stopwatch.StartNew();
            await hub.StartAsync(ct);
            connectMs = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            long last = 0;
            var got = 0;
            pages = 0;
            while (true)
            {
                var page = await hub.InvokeAsync<JoinResult>("JoinConversation", patient.ConversationId, last, ct);
                pages++;
                got += page.Messages.Count;
                if (page.Messages.Count > 0) last = page.Messages[^1].Seq;
                if (!page.HasMore || pages > plan.CatchupMessages) break;
            }
            var ms = sw.Elapsed.TotalMilliseconds;
            if (got != plan.CatchupMessages) throw new InvalidOperationException($"Catch-up returned {got} of {plan.CatchupMessages} messages");
            times.Add(ms);
            Progress.Step($"run {r + 1}: {got:N0} messages in {pages} pages, {ms:F1} ms (connect {connectMs:F1} ms)");
        }
        times.Sort();
        return new CatchupResult(plan.CatchupMessages, Math.Round(times[times.Count / 2], 1), Math.Round(times[0], 1), Math.Round(connectMs, 1), pages);
    }
}
