using System.Collections.Concurrent;
using System.Diagnostics;
using MedChat.Client;
using Microsoft.AspNetCore.SignalR.Client;

namespace MedChat.Bench;

/// <summary>
/// Send-to-receive latency through the hub at rising offered load. Many conversations, each with two
/// hub participants: the patient sends (hub SendMessage) and the assigned staff member's connection
/// receives MessageCreated. Open loop: sends leave on a fixed schedule whatever the server's pace,
/// and latency runs from the scheduled time, so a server that falls behind shows it in the tail.
/// </summary>
internal static class FanOut
{
    public const string Sends = "patient hub SendMessage -> staff hub MessageCreated; open-loop schedule, sends spread round-robin over the conversations";
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(5);

    private sealed class Pair(Guid conversationId, HubConnection patient, HubConnection staff)
    {
        public Guid ConversationId { get; } = conversationId;
        public HubConnection Patient { get; } = patient;
        public HubConnection Staff { get; } = staff;
    }

    /// <summary>
    /// <paramref name="staffNode"/>: where the staff connect (a second node): every message then
    /// crosses the Redis backplane from the patient's node to the staff member's.
    /// </summary>
    public static async Task<List<FanoutLevel>> RunAsync(Stack stack, BenchPlan plan, CancellationToken ct, Uri? staffNode = null)
    {
        Progress.Phase($"Fan-out: {plan.FanoutConversations} conversations, patient + staff on the hub each" +
                       (staffNode is null ? "" : $"; patients on {stack.BaseAddress.Authority}, staff on {staffNode.Authority}"));
        using var http = Setup.HttpFor(stack.BaseAddress);
        var setup = new Setup(stack, http);
        var staff = new List<(Guid Id, string Token)>();
        for (var i = 0; i < plan.FanoutStaff; i++) staff.Add(await setup.StaffAsync(ct));
        var patients = await setup.PatientsAsync(plan.FanoutConversations, ct);
        await Parallel.ForAsync(0, patients.Count, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (i, c) => await setup.AssignAsync(patients[i].ConversationId, staff[i % staff.Count].Id, c));

        var pending = new ConcurrentDictionary<string, long>();
        Latency? latency = null;
        long received = 0, lastReceive = 0;
        var pairs = new Pair[patients.Count];
        await Parallel.ForAsync(0, patients.Count, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (i, c) =>
        {
            var p = patients[i];
            var patientHub = Setup.Hub(stack.BaseAddress, p.Token);
            var staffHub = Setup.Hub(staffNode ?? stack.BaseAddress, staff[i % staff.Count].Token);
            staffHub.On<Message>("MessageCreated", m =>
            {
                var now = Stopwatch.GetTimestamp();
                if (m.ClientMessageId is null || !pending.TryRemove(m.ClientMessageId, out var scheduled)) return;
                latency?.RecordTicks(now - scheduled);
                Interlocked.Increment(ref received);
                Interlocked.Exchange(ref lastReceive, now);
            });
            await patientHub.StartAsync(c);
            await staffHub.StartAsync(c);
            await patientHub.InvokeAsync<JoinResult>("JoinConversation", p.ConversationId, 0L, c);
            await staffHub.InvokeAsync<JoinResult>("JoinConversation", p.ConversationId, 0L, c);
            pairs[i] = new Pair(p.ConversationId, patientHub, staffHub);
        });
        Progress.Step($"{pairs.Length * 2} hub connections joined ({plan.FanoutStaff} staff members)");

        var levels = new List<FanoutLevel>();
        try
        {
            foreach (var rate in plan.FanoutRates)
            {
                latency = new Latency();
                received = 0;
                long sent = 0, failed = 0, notOffered = 0;
                var total = (long)(rate * plan.FanoutDuration.TotalSeconds);
                var maxOutstanding = Math.Max(100, rate * 2);
                var interval = Stopwatch.Frequency / (double)rate;
                var start = Stopwatch.GetTimestamp();
                lastReceive = start;
                var sends = new List<Task>((int)total);
                long k = 0;
                while (k < total)
                {
                    ct.ThrowIfCancellationRequested();
                    var due = Math.Min(total, (long)((Stopwatch.GetTimestamp() - start) / interval) + 1);
                    for (; k < due; k++)
                    {
                        // Bounded: a server far behind makes the generator skip sends (reported) rather than pile up without limit.
                        if (pending.Count >= maxOutstanding)
                        {
                            notOffered++;
                            continue;
                        }
                        var scheduled = start + (long)(k * interval);
                        var id = $"f{rate}-{k}";
                        var pair = pairs[k % pairs.Length];
                        pending[id] = scheduled;
                        sent++;
                        sends.Add(SendAsync(pair, id, k, pending, () => Interlocked.Increment(ref failed), ct));
                    }
                    if (k < total) await Task.Delay(1, ct);
                }
                var drainUntil = DateTime.UtcNow + Drain;
                while (!pending.IsEmpty && DateTime.UtcNow < drainUntil) await Task.Delay(20, ct);
                await Task.WhenAll(sends).WaitAsync(Drain, ct).ContinueWith(_ => { }, TaskScheduler.Default);
                var lost = pending.Count + Interlocked.Read(ref failed);
                pending.Clear();

                var elapsed = Math.Max(plan.FanoutDuration.TotalSeconds, (Interlocked.Read(ref lastReceive) - start) / (double)Stopwatch.Frequency);
                var got = Interlocked.Read(ref received);
                var level = new FanoutLevel(rate, Math.Round(got / elapsed, 1), latency.PercentileMs(50), latency.PercentileMs(99), latency.PercentileMs(99.9),
                    sent, got, lost, notOffered);
                levels.Add(level);
                Progress.Step($"offered {rate,5}/s: delivered {level.DeliveredPerSec,7:F0}/s  p50 {level.P50Ms:F2}  p99 {level.P99Ms:F2}  p99.9 {level.P999Ms:F2} ms" +
                              (lost + notOffered > 0 ? $"  lost {lost}, not offered {notOffered}, failed sends {failed}" : ""));
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
        finally
        {
            await Parallel.ForEachAsync(pairs.Where(p => p is not null), async (p, _) =>
            {
                await p.Patient.DisposeAsync();
                await p.Staff.DisposeAsync();
            });
        }
        return levels;
    }

    private static async Task SendAsync(Pair pair, string id, long k, ConcurrentDictionary<string, long> pending, Action failed, CancellationToken ct)
    {
        try
        {
            await pair.Patient.InvokeAsync<Message>("SendMessage", pair.ConversationId, id, Ceiling.Content(k), ct);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            if (pending.TryRemove(id, out _)) failed();
        }
    }
}
