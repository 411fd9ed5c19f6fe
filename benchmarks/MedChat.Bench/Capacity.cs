using System.Diagnostics;
using System.Globalization;

namespace MedChat.Bench;

/// <summary>
/// Idle hub connections one API process holds, and its memory per connection (VmRSS before and after).
/// The connections are opened by child processes of the bench (each under the open-files limit); the
/// server is restarted first so the figure is not hidden in heap left over from the other measurements.
/// </summary>
internal static class Capacity
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromMinutes(5);

    public static async Task<CapacityResult> RunAsync(Stack stack, BenchPlan plan, CancellationToken ct)
    {
        Progress.Phase($"Capacity: {plan.CapacityConnections:N0} idle hub connections");
        await stack.RestartApiAsync(ct);

        // Warm up the connect path (JIT, pools) so the growth measured is the connections' own.
        var warm = await HoldAsync(stack, [Math.Min(100, Math.Max(1, plan.CapacityConnections / 2))], ct);
        await StopAsync(warm.Holders);
        await Task.Delay(plan.CapacitySettle, ct);
        var before = stack.Api.RssBytes();
        Progress.Step($"server RSS before: {before / 1048576.0:F1} MiB (pid {stack.Api.Pid})");

        var shares = new List<int>();
        for (var left = plan.CapacityConnections; left > 0; left -= plan.ConnectionsPerHolder) shares.Add(Math.Min(left, plan.ConnectionsPerHolder));
        var sw = Stopwatch.StartNew();
        var run = await HoldAsync(stack, shares, ct);
        var connectSeconds = sw.Elapsed.TotalSeconds;
        await Task.Delay(plan.CapacitySettle, ct);
        var after = stack.Api.RssBytes();
        var serverFds = Directory.GetFiles($"/proc/{stack.Api.Pid}/fd").Length;
        Progress.Step($"{run.Ok:N0} connected, {run.Failed} failed in {connectSeconds:F1} s; server RSS after: {after / 1048576.0:F1} MiB, {serverFds} open files");
        await StopAsync(run.Holders);

        long? perConnection = run.Ok > 0 ? (after - before) / run.Ok : null;
        var limit = run.Ok < plan.CapacityConnections
            ? run.Limit ?? run.FirstError ?? "connections did not complete within the time bound"
            : null;
        if (limit is not null) Progress.Note($"Reached {run.Ok:N0} of {plan.CapacityConnections:N0}: {limit}");
        return new CapacityResult(plan.CapacityConnections, run.Ok, run.Failed, before, after, perConnection, Math.Round(connectSeconds, 1), limit);
    }

    private sealed record Held(List<ChildProcess> Holders, int Ok, int Failed, string? FirstError, string? Limit);

    private static async Task<Held> HoldAsync(Stack stack, List<int> shares, CancellationToken ct)
    {
        var bench = typeof(Program).Assembly.Location;
        var holders = new List<ChildProcess>();
        var ready = new List<Task<string>>();
        string? limit = null;
        foreach (var share in shares)
        {
            var holder = ChildProcess.Start("dotnet", [bench, ConnectionHolder.Verb, stack.BaseAddress.ToString(), share.ToString(CultureInfo.InvariantCulture)],
                new Dictionary<string, string?> { ["MEDCHAT_BENCH_KEY"] = stack.SigningKey, ["DOTNET_gcServer"] = "0" }, stdin: true);
            var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            holder.Line += line =>
            {
                if (line.StartsWith("ready ", StringComparison.Ordinal)) done.TrySetResult(line);
                if (line.StartsWith("limit ", StringComparison.Ordinal)) limit = line;
            };
            holders.Add(holder);
            ready.Add(done.Task);
        }
        int ok = 0, failed = 0;
        string? firstError = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ConnectTimeout);
        for (var i = 0; i < ready.Count; i++)
        {
            string line;
            try
            {
                line = await ready[i].WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                firstError ??= $"holder {i} was not ready within {ConnectTimeout.TotalMinutes} min: {holders[i].Output}";
                continue;
            }
            var parts = line.Split(' ', 4);
            ok += int.Parse(parts[1], CultureInfo.InvariantCulture);
            failed += int.Parse(parts[2], CultureInfo.InvariantCulture);
            if (parts.Length > 3) firstError ??= parts[3];
        }
        return new Held(holders, ok, failed, firstError, limit);
    }

    private static async Task StopAsync(List<ChildProcess> holders)
    {
        foreach (var h in holders)
            if (!h.HasExited) await h.WriteLineAsync("stop");
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        foreach (var h in holders)
        {
            try
            {
                await h.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
            }
            await h.DisposeAsync();
        }
    }
}
