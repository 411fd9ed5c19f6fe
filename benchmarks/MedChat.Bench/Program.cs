using Spectre.Console;

namespace MedChat.Bench;

/// <summary>
/// <c>./bench</c>: starts its own PostgreSQL, API process (and Redis when asked), measures, and
/// writes the report. <c>hold …</c> is the same executable as a child that holds idle hub
/// connections, so each process stays under the open-files limit.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == ConnectionHolder.Verb) return await ConnectionHolder.RunAsync(args[1..]);
        if (args is ["--render"])
        {
            // Re-renders docs/benchmarks.md and the chart from docs/benchmarks.json (after editing the notes), measuring nothing.
            await Report.RenderAsync();
            return 0;
        }

        // Logs and CI capture the output: keep table rows on one line each.
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 160;
        BenchPlan plan;
        try
        {
            plan = BenchPlan.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            await Console.Error.WriteLineAsync(BenchPlan.Usage);
            return 2;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // First Ctrl-C: stop measuring and tear the stack down cleanly.
            e.Cancel = true;
            stop.Cancel();
        };
        try
        {
            var results = await BenchRun.RunAsync(plan, stop.Token);
            await Report.WriteAsync(plan, results);
            foreach (var f in BenchRun.Failures) AnsiConsole.MarkupLineInterpolated($"[red]Part failed:[/] {f}");
            return BenchRun.Failures.Count == 0 ? 0 : 1;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            AnsiConsole.MarkupLine("[yellow]Stopped.[/]");
            return 130;
        }
        catch (Exception e)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]Benchmark failed:[/] {e}");
            return 1;
        }
    }
}
