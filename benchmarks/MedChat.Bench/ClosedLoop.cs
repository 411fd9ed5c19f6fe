using System.Diagnostics;

namespace MedChat.Bench;

/// <summary>
/// N workers, each issuing its next operation when the previous one finishes, for a warm-up and then
/// a measured window. Throughput counts the operations that complete inside the window; every loop is
/// bounded by the window's end and by a total count.
/// </summary>
internal static class ClosedLoop
{
    public sealed record Outcome(Level Level, long TotalOk, string? FirstError);

    /// <summary>One level of a send-like part, set against the ceiling at the same concurrency, and printed.</summary>
    public static RestLevel Report(int c, Outcome outcome, CeilingResult? ceiling, string unit)
    {
        var l = outcome.Level;
        var floor = ceiling?.Levels.FirstOrDefault(x => x.Concurrency == c);
        double? ratio = floor is { PerSec: > 0 } ? Math.Round(l.PerSec / floor.PerSec, 3) : null;
        Progress.Step($"concurrency {c,3}: {l.PerSec,8:F0} {unit}/s  p50 {l.P50Ms:F2} ms  p99 {l.P99Ms:F2} ms" +
                      (ratio is null ? "" : $"  {ratio:P0} of the ceiling") +
                      (outcome.FirstError is null ? "" : $"  errors {l.Errors} ({outcome.FirstError})"));
        return new RestLevel(c, l.PerSec, l.P50Ms, l.P99Ms, ratio, l.Count, l.Errors);
    }

    /// <summary>
    /// A send-like part at every concurrency level of the plan (its warm-up, window and count bound),
    /// each level set against the ceiling and printed; with the operations that succeeded, warm-ups included.
    /// </summary>
    public static async Task<(List<RestLevel> Levels, long TotalOk)> LevelsAsync(BenchPlan plan, CeilingResult? ceiling, string unit,
        Func<int, long, CancellationToken, Task> op, CancellationToken ct)
    {
        var levels = new List<RestLevel>();
        long ok = 0;
        foreach (var c in plan.Concurrency)
        {
            var outcome = await RunAsync(c, plan.Warmup, plan.LevelDuration, plan.MaxPerLevel, op, ct);
            ok += outcome.TotalOk;
            levels.Add(Report(c, outcome, ceiling, unit));
        }
        return (levels, ok);
    }

    public static async Task<Outcome> RunAsync(int concurrency, TimeSpan warmup, TimeSpan duration, int maxCount,
        Func<int, long, CancellationToken, Task> op, CancellationToken ct)
    {
        var latency = new Latency();
        long inWindow = 0, errors = 0, issued = 0, totalOk = 0, lastCompletion = 0;
        string? firstError = null;
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var end = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            for (long i = 0; !ct.IsCancellationRequested; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                if (t0 >= end || Interlocked.Increment(ref issued) > maxCount) break;
                var ok = true;
                try
                {
                    await op(w, i, ct);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    ok = false;
                    Interlocked.CompareExchange(ref firstError, e.GetType().Name + ": " + e.Message, null);
                }
                var t1 = Stopwatch.GetTimestamp();
                if (ok) Interlocked.Increment(ref totalOk);
                if (t1 < measureFrom || t1 > end) continue;
                if (ok)
                {
                    latency.RecordTicks(t1 - t0);
                    Interlocked.Increment(ref inWindow);
                    InterlockedMax(ref lastCompletion, t1);
                }
                else
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }, ct)).ToList();
        await Task.WhenAll(workers);
        ct.ThrowIfCancellationRequested();

        // A level cut short by the count bound is measured up to its last completion.
        var windowEnd = Interlocked.Read(ref issued) > maxCount ? Math.Min(end, Interlocked.Read(ref lastCompletion)) : end;
        var seconds = Math.Max(1e-3, (windowEnd - measureFrom) / (double)Stopwatch.Frequency);
        var level = new Level(concurrency, Math.Round(inWindow / seconds, 1), latency.PercentileMs(50), latency.PercentileMs(99), inWindow, errors);
        return new Outcome(level, totalOk, firstError);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current) return;
            current = seen;
        }
    }
}
