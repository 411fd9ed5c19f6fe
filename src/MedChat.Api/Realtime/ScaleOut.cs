using Role = MedChat.Api.Identity.Role;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace MedChat.Api.Realtime;

/// <summary>
/// Many nodes on one Redis: the SignalR backplane, presence with expiring heartbeats, and access
/// re-checks broadcast to every node. When Redis goes away each node keeps serving its own
/// clients (local delivery, local presence), readiness says "Degraded", and clients close any gap
/// with JoinConversation(id, lastSeenSeq) once it is back.
/// </summary>
public static class ScaleOut
{
    public const string Prefix = "medchat:";

    public static void AddMedChatScaleOut(this WebApplicationBuilder builder, IHealthChecksBuilder health)
    {
        var configuration = builder.Configuration["Redis:Configuration"];
        if (string.IsNullOrWhiteSpace(configuration)) return;

        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        // While Redis is unreachable, fail at once and fall back to local delivery instead of queueing.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = 2000;
        options.ClientName = "medchat-" + Environment.MachineName;
        var redis = ConnectionMultiplexer.Connect(options);

        builder.Services.AddSingleton<IConnectionMultiplexer>(redis);
        builder.Services.Configure<RedisOptions>(o =>
        {
            o.Configuration.ChannelPrefix = RedisChannel.Literal(Prefix + "signalr");
            o.ConnectionFactory = _ => Task.FromResult<IConnectionMultiplexer>(redis);
        });
        builder.Services.AddSingleton(typeof(HubLifetimeManager<>), typeof(FallbackHubLifetimeManager<>));
        builder.Services.AddSingleton<InMemoryPresenceStore>();
        builder.Services.AddSingleton<IPresenceStore, RedisPresenceStore>();
        builder.Services.AddSingleton<IAccessNotifier, RedisAccessNotifier>();
        builder.Services.AddHostedService<PresenceHeartbeat>();
        health.AddRedis(redis, name: "redis", failureStatus: HealthStatus.Degraded, tags: ["ready"]);
    }
}

/// <summary>
/// The Redis backplane, with this node's own delivery as the fallback: every connection and group
/// is kept in both managers, and a send that Redis refuses is delivered locally instead.
/// </summary>
public sealed class FallbackHubLifetimeManager<THub> : HubLifetimeManager<THub>, IDisposable where THub : Hub
{
    private readonly RedisHubLifetimeManager<THub> _redis;
    private readonly DefaultHubLifetimeManager<THub> _local;
    private readonly ILogger _log;

    public FallbackHubLifetimeManager(IServiceProvider services, ILogger<FallbackHubLifetimeManager<THub>> log)
    {
        _redis = ActivatorUtilities.CreateInstance<RedisHubLifetimeManager<THub>>(services);
        _local = ActivatorUtilities.CreateInstance<DefaultHubLifetimeManager<THub>>(services);
        _log = log;
    }

    private async Task Both(Func<HubLifetimeManager<THub>, Task> action)
    {
        await action(_local);
        try
        {
            await action(_redis);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _log.LogWarning("Redis unavailable ({ExceptionType}); this node keeps local state only", e.GetType().Name);
        }
    }

    private async Task Send(Func<HubLifetimeManager<THub>, Task> send)
    {
        try
        {
            await send(_redis);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _log.LogWarning("Redis unavailable ({ExceptionType}); delivering to this node's connections only", e.GetType().Name);
            await send(_local);
        }
    }

    public override Task OnConnectedAsync(HubConnectionContext connection) => Both(m => m.OnConnectedAsync(connection));
    public override Task OnDisconnectedAsync(HubConnectionContext connection) => Both(m => m.OnDisconnectedAsync(connection));
    public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken ct = default) => Both(m => m.AddToGroupAsync(connectionId, groupName, ct));
    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken ct = default) => Both(m => m.RemoveFromGroupAsync(connectionId, groupName, ct));
    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken ct = default) => Send(m => m.SendAllAsync(methodName, args, ct));
    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excluded, CancellationToken ct = default) => Send(m => m.SendAllExceptAsync(methodName, args, excluded, ct));
    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken ct = default) => Send(m => m.SendConnectionAsync(connectionId, methodName, args, ct));
    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken ct = default) => Send(m => m.SendConnectionsAsync(connectionIds, methodName, args, ct));
    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken ct = default) => Send(m => m.SendGroupAsync(groupName, methodName, args, ct));
    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken ct = default) => Send(m => m.SendGroupsAsync(groupNames, methodName, args, ct));
    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excluded, CancellationToken ct = default) => Send(m => m.SendGroupExceptAsync(groupName, methodName, args, excluded, ct));
    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken ct = default) => Send(m => m.SendUserAsync(userId, methodName, args, ct));
    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken ct = default) => Send(m => m.SendUsersAsync(userIds, methodName, args, ct));

    public void Dispose() => _redis.Dispose();
}

/// <summary>
/// Presence in Redis: per user a sorted set of connection ids scored by when their heartbeat
/// expires. A node that dies stops refreshing, so its users fall offline within <see cref="Ttl"/>;
/// every surviving node sweeps an index of online users each heartbeat, and the one that finds a user
/// whose heartbeats all expired announces them offline (the index entry can be removed only once).
/// This node's own view is kept too and answers while Redis is away.
/// </summary>
public sealed class RedisPresenceStore(IConnectionMultiplexer redis, InMemoryPresenceStore local, Connections connections,
    IConfiguration configuration, ILogger<RedisPresenceStore> log) : IPresenceStore
{
    /// <summary>Presence__HeartbeatSeconds (default 15); a heartbeat lives three beats.</summary>
    public TimeSpan Heartbeat { get; } = TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("Presence:HeartbeatSeconds", 15.0)));
    public TimeSpan Ttl => Heartbeat * 3;

    private static RedisKey Online(Guid user) => ScaleOut.Prefix + "presence:" + user.ToString("N");
    private static RedisKey LastSeen(Guid user) => ScaleOut.Prefix + "lastseen:" + user.ToString("N");
    /// <summary>Users with a heartbeat, scored by when their newest one expires; member "userId|role".</summary>
    private static readonly RedisKey Index = ScaleOut.Prefix + "presence-index";
    private static RedisValue Member(Guid user, Role role) => user.ToString("N") + "|" + Data.SnakeCaseEnumConverter<Role>.Name(role);

    // A user whose heartbeats all expired: drop them from the index (only one node succeeds) and record last seen.
    private const string SweepScript = """
        if redis.call('ZCOUNT', KEYS[1], ARGV[1], '+inf') > 0 then return 0 end
        if redis.call('ZREM', KEYS[2], ARGV[2]) == 0 then return 0 end
        redis.call('SET', KEYS[3], ARGV[3])
        return 1
        """;

    // Prune expired heartbeats, add this one, and say whether it is now the only one.
    private const string ConnectScript = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        return redis.call('ZCARD', KEYS[1])
        """;

    // Remove this connection; when none is left, record last seen and say so.
    private const string DisconnectScript = """
        local removed = redis.call('ZREM', KEYS[1], ARGV[2])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        if removed == 1 and redis.call('ZCARD', KEYS[1]) == 0 then
          redis.call('SET', KEYS[2], ARGV[3])
          redis.call('ZREM', KEYS[3], ARGV[4] .. '|patient', ARGV[4] .. '|staff', ARGV[4] .. '|admin')
          return 1
        end
        return 0
        """;

    private static long Ms(DateTime t) => new DateTimeOffset(t).ToUnixTimeMilliseconds();

    public async Task<bool> ConnectedAsync(Guid userId, string connectionId, DateTime now)
    {
        var alone = await local.ConnectedAsync(userId, connectionId, now);
        try
        {
            var count = (long)await redis.GetDatabase().ScriptEvaluateAsync(ConnectScript, [Online(userId)],
                [Ms(now), Ms(now + Ttl), connectionId, (long)Ttl.TotalMilliseconds * 2]);
            var role = connections.Get(connectionId)?.Role ?? Role.Patient;
            await redis.GetDatabase().SortedSetAddAsync(Index, Member(userId, role), Ms(now + Ttl), SortedSetWhen.Always);
            return count == 1;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            log.LogWarning("Presence falls back to this node: {ExceptionType}", e.GetType().Name);
            return alone;
        }
    }

    public async Task<bool> DisconnectedAsync(Guid userId, string connectionId, DateTime now)
    {
        var last = await local.DisconnectedAsync(userId, connectionId, now);
        try
        {
            return (long)await redis.GetDatabase().ScriptEvaluateAsync(DisconnectScript, [Online(userId), LastSeen(userId), Index],
                [Ms(now), connectionId, now.ToString("O"), userId.ToString("N")]) == 1;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            log.LogWarning("Presence falls back to this node: {ExceptionType}", e.GetType().Name);
            return last;
        }
    }

    public async Task<IReadOnlyDictionary<Guid, (bool Online, DateTime? LastSeenAt)>> GetAsync(IReadOnlyCollection<Guid> userIds, DateTime now)
    {
        try
        {
            var db = redis.GetDatabase();
            var result = new Dictionary<Guid, (bool, DateTime?)>();
            foreach (var user in userIds.Distinct())
            {
                var live = await db.SortedSetLengthAsync(Online(user), Ms(now), double.PositiveInfinity);
                var seen = await db.StringGetAsync(LastSeen(user));
                result[user] = (live > 0, seen.HasValue ? DateTime.Parse(seen.ToString(), null, System.Globalization.DateTimeStyles.RoundtripKind) : null);
            }
            return result;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            log.LogWarning("Presence falls back to this node: {ExceptionType}", e.GetType().Name);
            return await local.GetAsync(userIds, now);
        }
    }

    /// <summary>Refreshes the heartbeats of this node's connections.</summary>
    public async Task BeatAsync(DateTime now)
    {
        var db = redis.GetDatabase();
        foreach (var (entry, _) in connections.Where(_ => true))
        {
            await db.SortedSetAddAsync(Online(entry.UserId), entry.ConnectionId, Ms(now + Ttl));
            await db.KeyExpireAsync(Online(entry.UserId), Ttl * 2);
            await db.SortedSetAddAsync(Index, Member(entry.UserId, entry.Role), Ms(now + Ttl));
        }
    }

    /// <summary>
    /// Users whose every heartbeat has expired (their node died without saying goodbye), each returned
    /// by exactly one node across the cluster, with the time they were last known online.
    /// </summary>
    public async Task<List<(Guid UserId, Role Role, DateTime LastSeen)>> SweepAsync(DateTime now)
    {
        var db = redis.GetDatabase();
        var gone = new List<(Guid, Role, DateTime)>();
        foreach (var entry in await db.SortedSetRangeByScoreWithScoresAsync(Index, double.NegativeInfinity, Ms(now), take: 500))
        {
            var parts = entry.Element.ToString().Split('|');
            if (parts.Length != 2 || !Guid.TryParseExact(parts[0], "N", out var user)) continue;
            var lastSeen = DateTimeOffset.FromUnixTimeMilliseconds((long)entry.Score).UtcDateTime - Ttl; // its last heartbeat
            if ((long)await db.ScriptEvaluateAsync(SweepScript, [Online(user), Index, LastSeen(user)],
                    [Ms(now), entry.Element, lastSeen.ToString("O")]) == 1)
                gone.Add((user, parts[1] == "patient" ? Role.Patient : parts[1] == "admin" ? Role.Admin : Role.Staff, lastSeen));
        }
        return gone;
    }
}

internal sealed class PresenceHeartbeat(IPresenceStore store, PresenceService presence, TimeProvider time, ILogger<PresenceHeartbeat> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (store is not RedisPresenceStore redis) return;
        using var timer = new PeriodicTimer(redis.Heartbeat, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var now = Web.Clock.UtcNow(time);
                await redis.BeatAsync(now);
                foreach (var (user, role, lastSeen) in await redis.SweepAsync(now))
                    await presence.AnnounceOfflineAsync(user, role, lastSeen);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                log.LogWarning("Presence heartbeat skipped: {ExceptionType}", e.GetType().Name);
            }
        }
    }
}

/// <summary>Access re-checks reach every node through a Redis channel; with Redis away, this node checks its own.</summary>
public sealed class RedisAccessNotifier : IAccessNotifier
{
    private static readonly RedisChannel Channel = RedisChannel.Literal(ScaleOut.Prefix + "access");
    private readonly IConnectionMultiplexer _redis;
    private readonly AccessGuard _guard;

    public RedisAccessNotifier(IConnectionMultiplexer redis, AccessGuard guard, ILogger<RedisAccessNotifier> log)
    {
        _redis = redis;
        _guard = guard;
        redis.GetSubscriber().Subscribe(Channel, (channel, value) =>
        {
            var text = value.ToString();
            if (text.Length < 3 || !Guid.TryParse(text[2..], out var id)) return;
            var work = text[0] == 'c' ? guard.RecheckConversationAsync(id) : guard.RecheckUserAsync(id);
            _ = work.ContinueWith(t => log.LogWarning(t.Exception, "Access re-check failed"), TaskContinuationOptions.OnlyOnFaulted);
        });
    }

    public Task ConversationChangedAsync(Guid conversationId) => PublishOrLocal("c:" + conversationId, () => _guard.RecheckConversationAsync(conversationId));

    public Task RoleChangedAsync(Guid userId) => PublishOrLocal("u:" + userId, () => _guard.RecheckUserAsync(userId));

    private async Task PublishOrLocal(string message, Func<Task> local)
    {
        try
        {
            await _redis.GetSubscriber().PublishAsync(Channel, message);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            await local();
        }
    }
}
