using System.Net.Http.Headers;
using System.Text.Json;
using MedChat.Api.Data;

namespace MedChat.Tests.Operations;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunScriptCollection
{
    public const string Name = "./run";
}

/// <summary>
/// ./run as a developer meets it: it starts, prints working demo tokens and URLs, serves the API, the
/// health checks, OpenAPI and the reference UI, stops its PostgreSQL on SIGTERM, and a second start
/// on the same data folder picks up where the first left off.
/// </summary>
[Collection(RunScriptCollection.Name)]
public sealed class RunScriptTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "medchat-run-" + Guid.NewGuid().ToString("N")[..12]);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunServesWithItsPrintedTokenStopsItsDatabaseOnSigtermAndKeepsTheDataForTheNextRun()
    {
        Directory.CreateDirectory(_dataDir);

        // First run: a fresh data folder.
        string token;
        RunCluster cluster;
        await using (var run = await RunScript.StartAsync(_dataDir, StartTimeout, Ct))
        {
            token = run.PatientToken!;
            // The web app's address comes first, before the API's.
            var lines = run.Output.Split('\n');
            Assert.True(Array.FindIndex(lines, l => l.Contains($"Open:       {run.BaseAddress}", StringComparison.Ordinal)) is var open && open >= 0 &&
                open < Array.FindIndex(lines, l => l.Contains("API:", StringComparison.Ordinal)), $"./run does not print the app's URL first:\n{run.Output}");
            cluster = RunCluster.For(_dataDir);
            Assert.True(File.Exists(cluster.PidFile), $"no running cluster at {cluster.DataDir} while ./run serves");
            Assert.NotEmpty(cluster.ServerProcesses());

            using var http = new HttpClient { BaseAddress = run.BaseAddress };
            await AssertServesAsync(http, token);
            var demo = await DemoConversationsAsync(http, token);
            Assert.Equal(DemoSeed.DemoConversation, Assert.Single(demo));

            await run.TerminateAsync(StopTimeout, Ct);
            AssertStopped(run, cluster);
        }

        // Second run on the same folder: same signing key, same users, the demo seeded once.
        await using (var again = await RunScript.StartAsync(_dataDir, StartTimeout, Ct))
        {
            Assert.Equal(cluster, RunCluster.For(_dataDir));
            using var http = new HttpClient { BaseAddress = again.BaseAddress };
            var me = await MeAsync(http, token);
            Assert.Equal("patient", me.GetProperty("role").GetString());

            Assert.Equal(DemoSeed.DemoConversation, Assert.Single(await DemoConversationsAsync(http, token)));
            using var messages = await GetAsync(http, $"/api/chat/{DemoSeed.DemoConversation}/messages", token);
            var page = JsonDocument.Parse(await messages.Content.ReadAsStringAsync(Ct)).RootElement;
            Assert.Equal([1L, 2L], page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()));

            await again.TerminateAsync(StopTimeout, Ct);
            AssertStopped(again, cluster);
        }
    }

    private static async Task AssertServesAsync(HttpClient http, string token)
    {
        var me = await MeAsync(http, token);
        Assert.Equal("patient", me.GetProperty("role").GetString());
        Assert.Equal("Pat Patient", me.GetProperty("displayName").GetString());
        Assert.Equal(DemoSeed.Users[0].Id, me.GetProperty("id").GetGuid());

        using (var ready = await http.GetAsync("/health/ready", Ct))
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

        using (var openApi = await http.GetAsync("/openapi/v1.json", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
            var doc = JsonDocument.Parse(await openApi.Content.ReadAsStringAsync(Ct)).RootElement;
            Assert.True(doc.GetProperty("paths").TryGetProperty("/api/me", out _), "the OpenAPI document has no /api/me");
        }

        using var scalar = await http.GetAsync("/scalar", Ct);
        Assert.Equal(HttpStatusCode.OK, scalar.StatusCode);
        Assert.Equal("text/html", scalar.Content.Headers.ContentType?.MediaType);

        // The web app, and on the embedded default its demo sign-in.
        using var web = await http.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.OK, web.StatusCode);
        Assert.Contains("<title>MedChat</title>", await web.Content.ReadAsStringAsync(Ct));
        using var demo = await http.GetAsync("/api/dev/demo-users", Ct);
        Assert.Equal(HttpStatusCode.OK, demo.StatusCode);
        Assert.Equal(DemoSeed.Users.Length, JsonDocument.Parse(await demo.Content.ReadAsStringAsync(Ct)).RootElement.GetArrayLength());
    }

    private static async Task<JsonElement> MeAsync(HttpClient http, string token)
    {
        using var response = await GetAsync(http, "/api/me", token);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /api/me with the printed token: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static async Task<List<Guid>> DemoConversationsAsync(HttpClient http, string token)
    {
        using var response = await GetAsync(http, "/api/chat/conversations", token);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /api/chat/conversations: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ToList();
    }

    private static Task<HttpResponseMessage> GetAsync(HttpClient http, string url, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http.SendAsync(request, Ct);
    }

    private static void AssertStopped(RunScript run, RunCluster cluster)
    {
        Assert.True(run.HasExited);
        Assert.True(File.Exists(Path.Combine(cluster.DataDir, "PG_VERSION")), $"the cluster's data is gone from {cluster.DataDir}");
        Assert.False(File.Exists(cluster.PidFile), $"postmaster.pid is still in {cluster.DataDir} after ./run stopped:\n{run.Output}");
        Assert.Empty(cluster.ServerProcesses());
        Assert.False(File.Exists(cluster.Socket), "PostgreSQL's socket is still there");
        Assert.False(RunScript.Listening(run.Port), $"something still listens on port {run.Port}");
    }

    public void Dispose()
    {
        // Whatever happened above, leave no cluster running and no folder behind.
        try
        {
            var cluster = RunCluster.For(_dataDir);
            if (File.Exists(cluster.PidFile)) LocalPostgres.SweepAsync(cluster.Root).GetAwaiter().GetResult();
            if (cluster.Root != _dataDir && Directory.Exists(cluster.Root)) Directory.Delete(cluster.Root, recursive: true);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
        }
        if (Directory.Exists(_dataDir)) Directory.Delete(_dataDir, recursive: true);
    }
}
