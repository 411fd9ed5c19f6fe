using System.Diagnostics;
using MedChat.Api.Realtime;
using MedChat.Api.Web;
using MedChat.Tests.Messages;
using MedChat.Tests.Operations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using ConnectionMultiplexer = StackExchange.Redis.ConnectionMultiplexer;

namespace MedChat.Tests.Realtime;

/// <summary>A node with a one-second heartbeat (heartbeats live three seconds).</summary>
public sealed class FastHeartbeatApp : MedChatApp
{
    protected override void Configure(IWebHostBuilder builder) => builder.UseSetting("Presence:HeartbeatSeconds", "1");
}

public sealed class FastHeartbeatNode : IAsyncLifetime
{
    public TestRedis Redis { get; } = new();
    public MedChatApp Node { get; private set; } = null!;
    public string Database { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        await Redis.StartAsync();
        Database = await TestCluster.Instance.CreateDatabaseAsync();
        Node = new FastHeartbeatApp { ExistingDatabase = Database, RedisConfiguration = Redis.Configuration };
        await Node.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Node.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

/// <summary>
/// A node that dies (killed, no goodbye) leaves heartbeats in Redis that nobody refreshes. The surviving node must then
/// announce its users offline within the heartbeat window. The dead node is played by writing its
/// last heartbeat into Redis exactly as RedisPresenceStore does, then never touching it again.
/// </summary>
public sealed class DeadNodeTests(FastHeartbeatNode cluster) : IClassFixture<FastHeartbeatNode>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// With a 1 s heartbeat: a heartbeat lives 3 s and the survivor sweeps every second, so offline
    /// is due 4 s after the last heartbeat; 3 s more allows for timers delayed on a loaded 2-core
    /// machine (a full CI run once took 5.3 s). Still far inside the 45 s a default-heartbeat
    /// window would take, so a presence that only expired on some other clock would fail here.
    /// </summary>
    private static readonly TimeSpan WithinTheHeartbeatWindow = TimeSpan.FromSeconds(7);

    [Fact]
    public async Task UsersOfANodeThatDiedAreShownOfflineWithinTheHeartbeatWindow()
    {
        var node = cluster.Node;
        await node.ResetAsync();
        var patient = await node.UserAsync();
        var nurse = await node.UserAsync(Role.Staff);
        var c = await node.StartHeldConversationAsync(patient, nurse);
        await using var nurseHub = node.Hub(nurse);
        var events = new HubRecorder(nurseHub);
        await nurseHub.StartReadyAsync(Ct);

        // The patient's only connection lived on the dead node: its last heartbeat, and the index entry.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.Configuration);
        var db = redis.GetDatabase();
        var expires = DateTimeOffset.UtcNow.AddSeconds(3).ToUnixTimeMilliseconds();
        await db.SortedSetAddAsync(ScaleOut.Prefix + "presence:" + patient.Id.ToString("N"), "dead-node-connection", expires);
        await db.SortedSetAddAsync(ScaleOut.Prefix + "presence-index", patient.Id.ToString("N") + "|patient", expires);
        var online = await nurseHub.InvokeAsync<IReadOnlyList<PresenceDto>>("GetPresence", c.Id, Ct);
        Assert.True(online.Single(p => p.UserId == patient.Id).Online);

        var started = DateTime.UtcNow;
        var offline = await events.WaitForAsync<PresenceChanged>("PresenceChanged", match: p => p.UserId == patient.Id && !p.Online, timeoutMs: 8_000);

        Assert.InRange(DateTime.UtcNow - started, TimeSpan.Zero, WithinTheHeartbeatWindow);
        Assert.NotNull(offline.Single().LastSeenAt);
        var after = await nurseHub.InvokeAsync<IReadOnlyList<PresenceDto>>("GetPresence", c.Id, Ct);
        Assert.False(after.Single(p => p.UserId == patient.Id).Online);
        await Task.Delay(2_500, Ct);
        Assert.Single(events.All<PresenceChanged>("PresenceChanged"), p => p.UserId == patient.Id && !p.Online);
    }

    [Fact]
    public async Task WhenANodeProcessIsKilledItsUsersAreShownOfflineOnTheOtherNode()
    {
        var survivor = cluster.Node;
        await survivor.ResetAsync();
        var patient = await survivor.UserAsync();
        var nurse = await survivor.UserAsync(Role.Staff);
        var c = await survivor.StartHeldConversationAsync(patient, nurse);
        await using var nurseHub = survivor.Hub(nurse);
        var events = new HubRecorder(nurseHub);
        await nurseHub.StartReadyAsync(Ct);

        using var doomed = await StartNodeProcessAsync();
        await using var patientHub = new HubConnectionBuilder()
            .WithUrl(new Uri(doomed.Address, "/hubs/chat"), o =>
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(patient.Token);
                o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            })
            .AddJsonProtocol(o => Json.Configure(o.PayloadSerializerOptions)).Build();
        await patientHub.StartAsync(Ct);
        await events.WaitForAsync<PresenceChanged>("PresenceChanged", match: p => p.UserId == patient.Id && p.Online);

        doomed.Process.Kill(entireProcessTree: true);
        await doomed.Process.WaitForExitAsync(Ct);
        var started = DateTime.UtcNow;
        await events.WaitForAsync<PresenceChanged>("PresenceChanged", match: p => p.UserId == patient.Id && !p.Online, timeoutMs: 8_000);

        Assert.InRange(DateTime.UtcNow - started, TimeSpan.Zero, WithinTheHeartbeatWindow);
    }

    private sealed record NodeProcess(Process Process, Uri Address, string DataDir) : IDisposable
    {
        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            Process.Dispose();
            try
            {
                Directory.Delete(DataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>A second API node as its own process (prebuilt Debug output), on the same database and Redis.</summary>
    private async Task<NodeProcess> StartNodeProcessAsync()
    {
        var root = RunScript.RepoRoot();
        var port = RunScript.FreePort();
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = root, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(root, "src", "MedChat.Api", "bin", "Debug", "net10.0", "MedChat.Api.dll"));
        foreach (var key in psi.Environment.Keys.Where(k => k.Contains("__", StringComparison.Ordinal)).ToList()) psi.Environment.Remove(key);
        psi.Environment["ConnectionStrings__Postgres"] = cluster.Database;
        psi.Environment["Auth__SigningKey"] = MedChatApp.SigningKey;
        psi.Environment["Redis__Configuration"] = cluster.Redis.Configuration;
        psi.Environment["Presence__HeartbeatSeconds"] = "1";
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        var dataDir = Directory.CreateTempSubdirectory("medchat-node-").FullName;
        psi.Environment["MEDCHAT_DATA_DIR"] = dataDir;
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new NodeProcess(process, new Uri($"http://127.0.0.1:{port}"), dataDir);
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await http.GetAsync(new Uri(node.Address, "/health/live"), Ct)).IsSuccessStatusCode) return node;
            }
            catch (HttpRequestException)
            {
            }
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                node.Dispose();
                Assert.Fail("The second node did not start.");
            }
            await Task.Delay(200, Ct);
        }
    }
}
