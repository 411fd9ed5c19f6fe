using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace MedChat.Bench;

/// <summary>
/// The table on the console, and the files: docs/benchmarks.{md,json} and docs/benchmarks-fanout.svg
/// for the full run; DIR/smoke.{json,md} and DIR/smoke-fanout.svg for the smoke run, which never
/// writes docs/.
/// </summary>
internal static class Report
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task WriteAsync(BenchPlan plan, BenchResults r)
    {
        PrintTables(r);
        var root = Stack.RepoRoot();
        var docs = Path.GetFullPath(Path.Combine(root, "docs"));
        string dir, name;
        if (plan.Smoke)
        {
            dir = Path.GetFullPath(plan.OutDir ?? Path.Combine(root, "bench-results"));
            if (dir.TrimEnd('/') == docs) throw new InvalidOperationException("The smoke run never writes docs/; choose another --out.");
            name = "smoke";
        }
        else
        {
            dir = Path.GetFullPath(plan.OutDir ?? docs);
            name = "benchmarks";
        }
        Directory.CreateDirectory(dir);
        var json = Path.Combine(dir, name + ".json");
        var svg = Path.Combine(dir, name + "-fanout.svg");
        var md = Path.Combine(dir, name + ".md");
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(r, BenchResults.Json) + "\n");
        if (r.Fanout is { Count: > 0 }) await File.WriteAllTextAsync(svg, Chart.Svg(r.Fanout));
        var analysis = Path.Combine(root, "benchmarks", "MedChat.Bench", "analysis.md");
        await File.WriteAllTextAsync(md, Markdown(r, Path.GetFileName(svg), plan.Smoke || !File.Exists(analysis) ? null : await File.ReadAllTextAsync(analysis)));
        Progress.Step($"Wrote {Path.GetRelativePath(root, json)}, {Path.GetRelativePath(root, md)}" + (r.Fanout is { Count: > 0 } ? $", {Path.GetRelativePath(root, svg)}" : ""));
    }

    public static async Task RenderAsync()
    {
        var json = Path.Combine(Stack.RepoRoot(), "docs", "benchmarks.json");
        var results = JsonSerializer.Deserialize<BenchResults>(await File.ReadAllTextAsync(json), BenchResults.Json)
                      ?? throw new InvalidOperationException($"{json} is empty");
        await WriteAsync(new BenchPlan(), results);
    }

    private static IEnumerable<int> Levels(BenchResults r) =>
        (r.Ceiling?.Levels.Select(l => l.Concurrency) ?? []).Union(r.Rest?.Select(l => l.Concurrency) ?? []).Union(r.Hub?.Select(l => l.Concurrency) ?? []);

    private static IEnumerable<(int Concurrency, string Shape, Level? Ceiling, RestLevel? Rls, RestLevel? NoRls)> DatabaseRows(BenchResults r, DatabaseSendResult d) =>
        d.WithRls.Select(l => l.Concurrency).Union(d.WithoutRls.Select(l => l.Concurrency)).Select(c =>
        {
            var (connections, batch) = DatabaseSends.Shape(c);
            return (c, $"{connections} × {batch}", r.Ceiling?.Levels.FirstOrDefault(l => l.Concurrency == c),
                d.WithRls.FirstOrDefault(l => l.Concurrency == c), d.WithoutRls.FirstOrDefault(l => l.Concurrency == c));
        });

    private static string Pct(double? ratio) => ratio is { } x ? (x * 100).ToString("F0", Inv) + " %" : "—";

    private static string F(double? v, string format = "F1") => v is { } x ? x.ToString(format, Inv) : "—";

    private static void PrintTables(BenchResults r)
    {
        var t = new Table().Title("Sends per second: database ceiling vs REST and hub").AddColumns("concurrency", "ceiling inserts/s", "ceiling p99 ms",
            "REST sends/s", "p50 ms", "p99 ms", "ratio", "hub sends/s", "p50 ms", "p99 ms", "ratio", "HTTP floor req/s");
        foreach (var c in Levels(r))
        {
            var db = r.Ceiling?.Levels.FirstOrDefault(l => l.Concurrency == c);
            var rest = r.Rest?.FirstOrDefault(l => l.Concurrency == c);
            var hub = r.Hub?.FirstOrDefault(l => l.Concurrency == c);
            t.AddRow(c.ToString(Inv), F(db?.PerSec, "F0"), F(db?.P99Ms, "F2"), F(rest?.PerSec, "F0"), F(rest?.P50Ms, "F2"), F(rest?.P99Ms, "F2"), Pct(rest?.RatioToCeiling),
                F(hub?.PerSec, "F0"), F(hub?.P50Ms, "F2"), F(hub?.P99Ms, "F2"), Pct(hub?.RatioToCeiling),
                F(r.HttpFloor?.FirstOrDefault(l => l.Concurrency == c)?.PerSec, "F0"));
        }
        AnsiConsole.Write(t);
        if (r.DatabaseSends is { } d)
        {
            var dt = new Table().Title("The send's database work alone: medchat_send batched as the API's writers batch it").AddColumns("concurrency",
                "connections × sends per batch", "ceiling inserts/s", "with RLS sends/s", "batch p99 ms", "ratio", "without RLS sends/s", "ratio");
            foreach (var (c, shape, db, rls, none) in DatabaseRows(r, d))
                dt.AddRow(c.ToString(Inv), shape, F(db?.PerSec, "F0"), F(rls?.PerSec, "F0"), F(rls?.P99Ms, "F2"), Pct(rls?.RatioToCeiling), F(none?.PerSec, "F0"), Pct(none?.RatioToCeiling));
            AnsiConsole.Write(dt);
        }
        if (r.Fanout is { } fanout)
        {
            var f = new Table().Title("Fan-out: send to receive at the other participant").AddColumns("offered/s", "delivered/s", "p50 ms", "p99 ms", "p99.9 ms", "not sent");
            foreach (var l in fanout) f.AddRow(l.OfferedPerSec.ToString(Inv), F(l.DeliveredPerSec, "F0"), F(l.P50Ms, "F2"), F(l.P99Ms, "F2"), F(l.P999Ms, "F2"), (l.Lost + l.NotOffered).ToString(Inv));
            AnsiConsole.Write(f);
        }
        if (r.FanoutTwoNodes is { } two)
        {
            var f = new Table().Title("Fan-out on two nodes (patients on one, staff on the other, Redis between)").AddColumns("offered/s", "delivered/s", "p50 ms", "p99 ms", "p99.9 ms", "not sent");
            foreach (var l in two) f.AddRow(l.OfferedPerSec.ToString(Inv), F(l.DeliveredPerSec, "F0"), F(l.P50Ms, "F2"), F(l.P99Ms, "F2"), F(l.P999Ms, "F2"), (l.Lost + l.NotOffered).ToString(Inv));
            AnsiConsole.Write(f);
        }
        var s = new Table().Title("Summary").AddColumns("measure", "value");
        foreach (var (k, v) in Summary(r)) s.AddRow(k, v);
        AnsiConsole.Write(s);
    }

    private static IEnumerable<(string, string)> Summary(BenchResults r)
    {
        yield return ("highest fan-out load with p99 < 50 ms", r.MaxPerSecP99Under50Ms is { } m ? $"{m} msg/s" : "—");
        if (r.Capacity is { } c)
            yield return ("idle hub connections held", $"{c.Connections:N0} of {c.Target:N0}" + (c.BytesPerConnection is { } b ? $", {b / 1024.0:F1} KB each" : ""));
        if (r.Catchup is { } cu) yield return ($"catch-up of {cu.Messages:N0} messages", $"{F(cu.Ms)} ms ({cu.Pages} pages)");
        if (r.Assistant is { } a)
            yield return ("assistant overhead p50 (TTFT)", a.Available ? $"{F(a.OverheadP50Ms, "F2")} ms" : $"not measured: {a.Detail}");
    }

    public static IEnumerable<(string Target, string Goal, string Measured, bool? Met)> Targets(BenchResults r)
    {
        var rest32 = r.Rest?.FirstOrDefault(l => l.Concurrency == 32);
        yield return ("REST sends at concurrency 32", "≥ 50 % of the database ceiling", rest32?.RatioToCeiling is { } ratio ? $"{ratio * 100:F0} %" : "—", rest32?.RatioToCeiling is { } x ? x >= 0.5 : null);
        var f1000 = r.Fanout?.FirstOrDefault(l => l.OfferedPerSec == 1000);
        yield return ("fan-out at 1,000 msg/s", "p99 < 50 ms", f1000 is null ? "—" : $"p99 {F(f1000.P99Ms, "F1")} ms", f1000 is null ? null : f1000.P99Ms < 50 && f1000.Lost == 0);
        var cap = r.Capacity;
        yield return ("idle hub connections", "10,000 at ≤ 64 KB each",
            cap is null ? "—" : $"{cap.Connections:N0} at {(cap.BytesPerConnection is { } b ? (b / 1024.0).ToString("F1", Inv) + " KB" : "—")}",
            cap is null ? null : cap.Connections >= 10_000 && cap.BytesPerConnection <= 64 * 1024);
        yield return ("assistant overhead p50", "< 10 ms", r.AssistantOverheadP50Ms is { } o ? $"{o:F2} ms" : "not measured", r.AssistantOverheadP50Ms is { } y ? y < 10 : null);
    }

    private static string Markdown(BenchResults r, string svgName, string? analysis)
    {
        var m = r.Machine;
        var sb = new StringBuilder();
        sb.AppendLine(Inv, $"""
            # Benchmarks

            Generated by `./bench` ({r.Mode} run, {r.StartedAt:yyyy-MM-dd HH:mm} UTC, {r.DurationSeconds:F0} s). Do not edit by hand: the
            numbers, the chart and the JSON are rewritten by every full run; the notes at the end come from
            `benchmarks/MedChat.Bench/analysis.md`.

            ## Machine

            | | |
            | --- | --- |
            | CPU | {m.CpuModel} |
            | cores | {m.Cores} (shared by PostgreSQL, the API and the load generator) |
            | memory | {m.MemoryBytes / 1073741824.0:F1} GiB |
            | OS | {m.Os} |
            | .NET | {m.Dotnet} |
            | PostgreSQL | {m.Postgres} (durable: fsync and synchronous_commit on) |
            | Redis backplane | {(m.Redis ? "yes" : "no (single node)")} |

            ## How it is measured

            - One process each: the bench (load generator), the API (`dotnet MedChat.Api.dll`, Release, on a
              loopback port), PostgreSQL (a fresh durable cluster in a temp folder), and for capacity the
              bench's own child processes holding connections. All on the same two cores, so read the
              **ratios** (REST against the database ceiling) before the absolutes.
            - **Ceiling**: single-row `INSERT`s into `bench_inserts`, each its own autocommit statement,
              straight to the same cluster over Npgsql, at the same concurrency levels as the REST sends.
            - **Database sends**: the send's database work alone, no API in front of it: `medchat_send` calls
              straight to the cluster in NpgsqlBatches of (concurrency ÷ 4) sends on 4 connections, one commit
              per batch, as the API's send writers run them; once as the runtime role (row-level security binds,
              as in the API) and once as the superuser (RLS bypassed). The most any send path could reach here.
            - **REST sends**: `POST /api/chat/{"{id}"}/messages` through the typed client; {r.RestWorkload}.
              Throughput counts 201s that completed inside the measured window (after a warm-up); every 201 is
              checked against the rows stored.
            - **Hub sends**: the hub's `SendMessage`, closed loop, at the same levels: each worker is its own patient
              with its own hub connection and conversation, awaiting each send's result (the stored message).
            - **HTTP floor**: the send's own request (same route, token, JSON body) with an empty content, answered
              400 problem+json before the database or the hub: what any REST send could reach on these cores.
            - **Fan-out**: {r.FanoutSends}. Latency runs from each send's scheduled time to its
              arrival at the other participant's hub connection, so queueing shows. HdrHistogram percentiles.
            - **Capacity**: a freshly restarted API; idle hub connections (WebSockets, one new patient each)
              opened by child processes of the bench; memory per connection = growth of the server's VmRSS
              (`/proc/<pid>/status`) divided by the connections, after a warm-up of 100 connections.
            - **Catch-up**: a new hub connection calls `JoinConversation(id, lastSeq)` and pages while `hasMore`.
            - **Assistant**: time to the first `delta` of `POST /api/chat` (event stream) minus the fake
              model server's own time to first chunk, asked directly; p50 of 30 requests after an unmeasured pass of 30.

            ## Targets

            | target | goal | measured | met |
            | --- | --- | --- | --- |
            """);
        foreach (var (target, goal, measured, met) in Targets(r))
            sb.AppendLine(Inv, $"| {target} | {goal} | {measured} | {(met is null ? "not measured" : met.Value ? "yes" : "**no**")} |");

        sb.AppendLine().AppendLine("## Sends: database ceiling, REST and hub").AppendLine()
            .AppendLine("| concurrency | ceiling inserts/s | ceiling p50 / p99 ms | REST stored msgs/s | REST p50 / p99 ms | REST ratio to ceiling | hub stored msgs/s | hub p50 / p99 ms | hub ratio to ceiling | HTTP floor requests/s |")
            .AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var c in Levels(r))
        {
            var db = r.Ceiling?.Levels.FirstOrDefault(l => l.Concurrency == c);
            var rest = r.Rest?.FirstOrDefault(l => l.Concurrency == c);
            var hub = r.Hub?.FirstOrDefault(l => l.Concurrency == c);
            sb.AppendLine(Inv, $"| {c} | {F(db?.PerSec, "F0")} | {F(db?.P50Ms, "F2")} / {F(db?.P99Ms, "F2")} | {F(rest?.PerSec, "F0")} | {F(rest?.P50Ms, "F2")} / {F(rest?.P99Ms, "F2")} | {Pct(rest?.RatioToCeiling)} | {F(hub?.PerSec, "F0")} | {F(hub?.P50Ms, "F2")} / {F(hub?.P99Ms, "F2")} | {Pct(hub?.RatioToCeiling)} | {F(r.HttpFloor?.FirstOrDefault(l => l.Concurrency == c)?.PerSec, "F0")} |");
        }
        if (r.Ceiling is { } ceiling) sb.AppendLine().AppendLine(Inv, $"Database ceiling (best level): **{ceiling.InsertsPerSec:F0} inserts/s**.");
        if (r.DatabaseSends is { } d)
        {
            sb.AppendLine().AppendLine("## The send's database work alone").AppendLine()
              .AppendLine("| concurrency | connections × sends per batch | ceiling inserts/s | with RLS: sends/s | batch p50 / p99 ms | ratio to ceiling | without RLS: sends/s | ratio to ceiling |")
              .AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var (c, shape, db, rls, none) in DatabaseRows(r, d))
                sb.AppendLine(Inv, $"| {c} | {shape} | {F(db?.PerSec, "F0")} | {F(rls?.PerSec, "F0")} | {F(rls?.P50Ms, "F2")} / {F(rls?.P99Ms, "F2")} | {Pct(rls?.RatioToCeiling)} | {F(none?.PerSec, "F0")} | {Pct(none?.RatioToCeiling)} |");
        }

        sb.AppendLine().AppendLine("## Fan-out").AppendLine();
        if (r.Fanout is { } fanout)
        {
            sb.AppendLine("| offered msg/s | delivered msg/s | p50 ms | p99 ms | p99.9 ms | sent | refused or unreceived | not offered |")
              .AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var l in fanout)
                sb.AppendLine(Inv, $"| {l.OfferedPerSec} | {F(l.DeliveredPerSec, "F0")} | {F(l.P50Ms, "F2")} | {F(l.P99Ms, "F2")} | {F(l.P999Ms, "F2")} | {l.Sent} | {l.Lost} | {l.NotOffered} |");
            sb.AppendLine().AppendLine(Inv, $"Highest offered load with p99 under 50 ms: **{(r.MaxPerSecP99Under50Ms is { } mx ? mx + " msg/s" : "none of the levels")}**.")
              .AppendLine().AppendLine(Inv, $"![Fan-out latency versus offered load]({svgName})");
        }
        else sb.AppendLine("Not run.");

        if (r.FanoutTwoNodes is { } two)
        {
            sb.AppendLine().AppendLine("### Two nodes beside one").AppendLine()
              .AppendLine("The same fan-out with a second API process on the same PostgreSQL and Redis: patients connect to")
              .AppendLine("node 1, staff to node 2, so every message crosses the Redis backplane. Both nodes share the same")
              .AppendLine("cores here, so this shows what the backplane costs, not the capacity a second machine adds.").AppendLine()
              .AppendLine("| offered msg/s | one node p50 / p99 ms | two nodes delivered msg/s | two nodes p50 ms | two nodes p99 ms | two nodes p99.9 ms | refused or unreceived | not offered |")
              .AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var l in two)
            {
                var one = r.Fanout?.FirstOrDefault(x => x.OfferedPerSec == l.OfferedPerSec);
                sb.AppendLine(Inv, $"| {l.OfferedPerSec} | {F(one?.P50Ms, "F2")} / {F(one?.P99Ms, "F2")} | {F(l.DeliveredPerSec, "F0")} | {F(l.P50Ms, "F2")} | {F(l.P99Ms, "F2")} | {F(l.P999Ms, "F2")} | {l.Lost} | {l.NotOffered} |");
            }
            sb.AppendLine().AppendLine(Inv, $"Highest offered load with p99 under 50 ms on two nodes: **{(r.TwoNodesMaxPerSecP99Under50Ms is { } mx2 ? mx2 + " msg/s" : "none of the levels")}**.");
        }

        sb.AppendLine().AppendLine("## Capacity, catch-up, assistant").AppendLine().AppendLine("| measure | value |").AppendLine("| --- | --- |");
        if (r.Capacity is { } cap)
        {
            sb.AppendLine(Inv, $"| idle hub connections held | {cap.Connections:N0} of {cap.Target:N0} ({cap.Failed} failed), opened in {cap.ConnectSeconds:F1} s |");
            sb.AppendLine(Inv, $"| server RSS before / after | {cap.RssBeforeBytes / 1048576.0:F1} MiB / {cap.RssAfterBytes / 1048576.0:F1} MiB |");
            sb.AppendLine(Inv, $"| server memory per connection | {(cap.BytesPerConnection is { } b ? $"{b:N0} bytes ({b / 1024.0:F1} KB)" : "—")} |");
            if (cap.Limit is not null) sb.AppendLine(Inv, $"| what stopped it | {cap.Limit} |");
        }
        if (r.Catchup is { } cu)
            sb.AppendLine(Inv, $"| catch-up of {cu.Messages:N0} missed messages | {F(cu.Ms)} ms median (best {F(cu.MinMs)} ms), {cu.Pages} pages; hub connect {F(cu.ConnectMs)} ms |");
        if (r.Assistant is { } a)
        {
            if (a.Available)
                sb.AppendLine(Inv, $"| assistant time to first token, p50 | through MedChat {F(a.MedchatTtftP50Ms, "F2")} ms, model alone {F(a.ModelTtftP50Ms, "F2")} ms: overhead **{F(a.OverheadP50Ms, "F2")} ms** ({a.Requests} requests; MedChat p99 {F(a.MedchatTtftP99Ms, "F2")} ms) |");
            else sb.AppendLine(Inv, $"| assistant overhead | not measured: {a.Detail} (the route is being built on another branch) |");
        }
        sb.AppendLine().AppendLine("Raw figures: [benchmarks.json](benchmarks.json).");
        if (analysis is not null) sb.AppendLine().Append(analysis.TrimEnd()).AppendLine();
        return sb.ToString();
    }
}
