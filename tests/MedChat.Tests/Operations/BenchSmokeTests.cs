using System.Diagnostics;
using System.Text.Json;

namespace MedChat.Tests.Operations;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BenchSmokeCollection
{
    public const string Name = "Bench smoke";
}

/// <summary>
/// The benchmark's smoke mode, as CI runs it: the built bench as a child process with its own
/// PostgreSQL and API processes. Proves the harness works; asserts no figures (they are not tests).
/// </summary>
[Collection(BenchSmokeCollection.Name)]
public sealed class BenchSmokeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task BenchSmokeModeRunsEveryPartAndWritesItsJsonOutsideDocs()
    {
        var root = RunScript.RepoRoot();
        var dll = new[] { "Debug", "Release" }
            .Select(c => Path.Combine(root, "benchmarks", "MedChat.Bench", "bin", c, "net10.0", "MedChat.Bench.dll"))
            .FirstOrDefault(File.Exists);
        Assert.True(dll is not null, "The bench is not built: build MedChat.slnx first (./test does).");
        var docsJson = Path.Combine(root, "docs", "benchmarks.json");
        var docsBefore = File.Exists(docsJson) ? File.GetLastWriteTimeUtc(docsJson) : (DateTime?)null;
        var outDir = Path.Combine(Path.GetTempPath(), "medchat-bench-smoke-" + Guid.NewGuid().ToString("N")[..8]);

        try
        {
            var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = root, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { dll!, "--smoke", "--out", outDir }) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var stderr = p.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            bound.CancelAfter(Bound);
            try
            {
                await p.WaitForExitAsync(bound.Token);
            }
            catch (OperationCanceledException)
            {
                // SIGTERM would leave nothing running either, but a hung run must not hang the suite.
                p.Kill(entireProcessTree: true);
                throw;
            }
            var output = await stdout + await stderr;
            Assert.True(p.ExitCode == 0, $"bench --smoke exited {p.ExitCode}:\n{output}");

            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "smoke.json"), TestContext.Current.CancellationToken));
            var r = json.RootElement;
            Assert.Equal("smoke", r.GetProperty("mode").GetString());
            Assert.True(r.GetProperty("machine").GetProperty("cores").GetInt32() > 0);
            Assert.True(r.GetProperty("ceiling").GetProperty("insertsPerSec").GetDouble() > 0);
            foreach (var level in r.GetProperty("rest").EnumerateArray())
                foreach (var key in new[] { "concurrency", "perSec", "p50Ms", "p99Ms", "ratioToCeiling" })
                    Assert.True(level.TryGetProperty(key, out _), $"rest[] lacks {key}");
            Assert.Equal(2, r.GetProperty("rest").GetArrayLength());
            // The hub's sends and the HTTP floor, at the same levels as REST, each level with requests done.
            foreach (var part in new[] { "hub", "httpFloor" })
            {
                Assert.Equal(2, r.GetProperty(part).GetArrayLength());
                foreach (var level in r.GetProperty(part).EnumerateArray())
                    Assert.True(level.GetProperty("perSec").GetDouble() > 0 && level.GetProperty("errors").GetInt64() == 0, $"{part}: {level}");
            }
            // The send's database work alone, as the runtime role and as the superuser: every batch stored its sends.
            var database = r.GetProperty("databaseSends");
            foreach (var part in new[] { "withRls", "withoutRls" })
            {
                Assert.Equal(2, database.GetProperty(part).GetArrayLength());
                foreach (var level in database.GetProperty(part).EnumerateArray())
                    Assert.True(level.GetProperty("perSec").GetDouble() > 0 && level.GetProperty("errors").GetInt64() == 0, $"databaseSends.{part}: {level}");
            }
            foreach (var level in r.GetProperty("fanout").EnumerateArray())
                foreach (var key in new[] { "offeredPerSec", "deliveredPerSec", "p50Ms", "p99Ms", "p999Ms" })
                    Assert.True(level.TryGetProperty(key, out _), $"fanout[] lacks {key}");
            Assert.True(r.GetProperty("fanout").GetArrayLength() > 0);
            Assert.True(r.TryGetProperty("maxPerSecP99Under50Ms", out _));
            Assert.True(r.GetProperty("capacity").GetProperty("connections").GetInt32() > 0);
            Assert.True(r.GetProperty("capacity").TryGetProperty("bytesPerConnection", out _));
            Assert.Equal(100, r.GetProperty("catchup").GetProperty("messages").GetInt32());
            Assert.True(r.TryGetProperty("catchup1000Ms", out _));
            Assert.True(r.TryGetProperty("assistantOverheadP50Ms", out _));

            Assert.Equal(docsBefore, File.Exists(docsJson) ? File.GetLastWriteTimeUtc(docsJson) : null);
        }
        finally
        {
            if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
        }
    }
}
