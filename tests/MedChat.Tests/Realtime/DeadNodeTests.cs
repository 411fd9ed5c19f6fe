using MedChat.Api.Realtime;
using MedChat.Tests.Messages;
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

    public async ValueTask InitializeAsync()
    {
        await Redis.StartAsync();
        Node = new FastHeartbeatApp { RedisConfiguration = Redis.Configuration };
        await Node.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Node.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

/// <summary>
/// A node that dies leaves heartbeats in Redis that nobody refreshes. The surviving node must then
/// announce its users offline within the heartbeat window. The dead node is played by writing its
/// last heartbeat into Redis exactly as RedisPresenceStore does, then never touching it again.
/// </summary>
public sealed class DeadNodeTests(FastHeartbeatNode cluster) : IClassFixture<FastHeartbeatNode>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

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

        Assert.InRange(DateTime.UtcNow - started, TimeSpan.Zero, TimeSpan.FromSeconds(5)); // heartbeat lifetime 3 s + one sweep
        Assert.NotNull(offline.Single().LastSeenAt);
        var after = await nurseHub.InvokeAsync<IReadOnlyList<PresenceDto>>("GetPresence", c.Id, Ct);
        Assert.False(after.Single(p => p.UserId == patient.Id).Online);
        await Task.Delay(2_500, Ct);
        Assert.Single(events.All<PresenceChanged>("PresenceChanged"), p => p.UserId == patient.Id && !p.Online);
    }
}
