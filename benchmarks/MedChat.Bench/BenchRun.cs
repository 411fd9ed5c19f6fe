using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MedChat.Bench;

/// <summary>One run: start the stack, measure each part in turn, stop the stack. A part that fails is reported and left null.</summary>
internal static class BenchRun
{
    public static List<string> Failures { get; } = [];

    public static async Task<BenchResults> RunAsync(BenchPlan plan, CancellationToken ct)
    {
        var started = DateTime.UtcNow;
        var sw = Stopwatch.StartNew();
        Progress.Phase(plan.Smoke ? "MedChat benchmark (smoke)" : "MedChat benchmark");
        await using var stack = await Stack.StartAsync(plan, ct);
        var machine = await MachineAsync(stack, plan);

        var ceiling = await PartAsync(plan, "ceiling", () => Ceiling.RunAsync(stack, plan, ct), ct);
        var dbsend = await PartAsync(plan, "dbsend", () => DatabaseSends.RunAsync(stack, plan, ceiling, ct), ct);
        var rest = await PartAsync(plan, "rest", () => RestSends.RunAsync(stack, plan, ceiling, ct), ct);
        var hub = await PartAsync(plan, "hub", () => HubSends.RunAsync(stack, plan, ceiling, ct), ct);
        var floor = await PartAsync(plan, "floor", () => HttpFloor.RunAsync(stack, plan, ceiling, ct), ct);
        var fanout = await PartAsync(plan, "fanout", () => FanOut.RunAsync(stack, plan, ct), ct);
        // Scale-out: the same fan-out with a second node (needs --redis; skipped without it).
        var fanout2 = plan.Redis
            ? await PartAsync(plan, "fanout2", async () => await FanOut.RunAsync(stack, plan, ct, await stack.StartSecondNodeAsync(ct)), ct)
            : null;
        await stack.StopSecondNodeAsync();
        var catchup = await PartAsync(plan, "catchup", () => CatchUp.RunAsync(stack, plan, ct), ct);
        var assistant = await PartAsync(plan, "assistant", () => Assistant.RunAsync(stack, plan, ct), ct);
        // Last: it restarts the API so the memory per connection is measured on a fresh heap.
        var capacity = await PartAsync(plan, "capacity", () => Capacity.RunAsync(stack, plan, ct), ct);

        return new BenchResults
        {
            Mode = plan.Smoke ? "smoke" : "full",
            StartedAt = started,
            DurationSeconds = Math.Round(sw.Elapsed.TotalSeconds, 1),
            Machine = machine,
            RestWorkload = RestSends.Workload,
            FanoutSends = FanOut.Sends,
            Ceiling = ceiling,
            DatabaseSends = dbsend,
            Rest = rest,
            Hub = hub,
            HttpFloor = floor,
            Fanout = fanout,
            MaxPerSecP99Under50Ms = MaxUnder50(fanout),
            FanoutTwoNodes = fanout2,
            TwoNodesMaxPerSecP99Under50Ms = MaxUnder50(fanout2),
            Capacity = capacity,
            Catchup = catchup,
            Catchup1000Ms = catchup is { Messages: 1000 } ? catchup.Ms : null,
            Assistant = assistant,
            AssistantOverheadP50Ms = assistant?.OverheadP50Ms,
        };
    }

    private static int? MaxUnder50(List<FanoutLevel>? levels) =>
        levels?.Where(l => l.P99Ms < 50 && l.Lost == 0 && l.NotOffered == 0).Select(l => (int?)l.OfferedPerSec).Max();

    private static async Task<T?> PartAsync<T>(BenchPlan plan, string part, Func<Task<T>> run, CancellationToken ct) where T : class
    {
        if (!plan.Runs(part)) return null;
        try
        {
            return await run();
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            Failures.Add($"{part}: {e.GetType().Name}: {e.Message}");
            Progress.Note($"{part} failed: {e}");
            return null;
        }
    }

    private static async Task<MachineInfo> MachineAsync(Stack stack, BenchPlan plan)
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var memKb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"')
            : null;
        os = $"{os ?? RuntimeInformation.OSDescription} (kernel {Environment.OSVersion.Version})";
        return new MachineInfo(cpu, Environment.ProcessorCount, long.Parse(memKb, System.Globalization.CultureInfo.InvariantCulture) * 1024, os,
            RuntimeInformation.FrameworkDescription, await stack.PostgresVersionAsync(), plan.Redis);
    }
}
