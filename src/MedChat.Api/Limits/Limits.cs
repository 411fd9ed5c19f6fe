using System.Collections.Concurrent;
using MedChat.Api.Assistant;
using MedChat.Api.Web;
using StackExchange.Redis;

namespace MedChat.Api.Limits;

/// <summary>Per-user limits (per client address without a valid token), per minute. Settings: Limits__*.</summary>
public sealed class LimitOptions
{
    /// <summary>Messages a user sends through REST, the hub and /api/chat together.</summary>
    public int SendsPerMinute { get; set; } = 60;
    /// <summary>Every request and hub call.</summary>
    public int RequestsPerMinute { get; set; } = 1200;
    /// <summary>Typing events per user beyond this are dropped silently (never an error).</summary>
    public int TypingPerMinute { get; set; } = 120;
}

/// <summary>
/// The outcome of counting one hit: allowed or not, what is left in the window, and how long until the
/// oldest counted hit leaves it (when refused, the wait before a retry can succeed).
/// </summary>
public readonly record struct LimitDecision(bool Allowed, int Limit, int Remaining, TimeSpan Reset)
{
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(Reset.TotalSeconds));
    public int ResetSeconds => Math.Max(0, (int)Math.Ceiling(Reset.TotalSeconds));
}

/// <summary>
/// A sliding one-minute window shared by every connection of a user: at most <c>limit</c> allowed hits
/// in any 60 seconds (refused hits do not count). In memory on one node; in Redis (one script call
/// per hit, on Redis's clock) when Redis is configured, so the limit holds across nodes.
/// </summary>
public interface ILimitCounter
{
    ValueTask<LimitDecision> HitAsync(string key, int limit);
}

public sealed class MemoryLimitCounter(TimeProvider time) : ILimitCounter
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Queue<long>> _hits = new();

    public ValueTask<LimitDecision> HitAsync(string key, int limit)
    {
        var now = time.GetUtcNow().UtcTicks;
        if (_hits.Count > 50_000) Sweep(now);
        var hits = _hits.GetOrAdd(key, _ => new Queue<long>());
        lock (hits)
        {
            while (hits.Count > 0 && hits.Peek() <= now - Window.Ticks) hits.Dequeue();
            var allowed = hits.Count < limit;
            if (allowed) hits.Enqueue(now);
            return ValueTask.FromResult(new LimitDecision(allowed, limit, limit - hits.Count, TimeSpan.FromTicks(hits.Peek() + Window.Ticks - now)));
        }
    }

    /// <summary>Forgets keys with no hit in the window, so many one-off client addresses cannot grow memory without bound.</summary>
    private void Sweep(long now)
    {
        foreach (var (key, hits) in _hits)
            lock (hits)
                if (hits.Count == 0 || hits.Max() <= now - Window.Ticks) _hits.TryRemove(key, out _);
    }
}

/// <summary>A sorted set of hit times per key; if Redis is unreachable, this node counts alone.</summary>
public sealed class RedisLimitCounter(IConnectionMultiplexer redis, MemoryLimitCounter local, ILogger<RedisLimitCounter> log) : ILimitCounter
{
    private const string Script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local window = tonumber(ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
        local allowed = 0
        if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
          redis.call('ZADD', KEYS[1], now, now .. ':' .. ARGV[3])
          redis.call('PEXPIRE', KEYS[1], window)
          allowed = 1
        end
        local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        return { allowed, redis.call('ZCARD', KEYS[1]), math.max(0, tonumber(oldest[2]) + window - now) }
        """;

    public async ValueTask<LimitDecision> HitAsync(string key, int limit)
    {
        try
        {
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Script,
                [new RedisKey($"{Realtime.ScaleOut.Prefix}limit:{key}")],
                [(long)MemoryLimitCounter.Window.TotalMilliseconds, limit, Guid.NewGuid().ToString("N")]))!;
            return new LimitDecision((long)result[0] == 1, limit, limit - (int)(long)result[1], TimeSpan.FromMilliseconds((long)result[2]));
        }
        catch (RedisException e)
        {
            log.LogWarning("Limits fall back to this node's own count: {ExceptionType}", e.GetType().Name);
            return await local.HitAsync(key, limit);
        }
    }
}

/// <summary>
/// The limits, called at the entry points with one line each: the request middleware, the hub
/// filter, and the start of every send. Scoped: a request (or hub call) over the request limit is
/// remembered here, so a send can still go through when the safety gate calls it an emergency.
/// </summary>
public sealed class UserLimits(ILimitCounter counter, LimitOptions options, Telemetry.MedChatMetrics metrics)
{
    private LimitDecision? _requestRefused;

    /// <summary>Counts a request or hub call; false (and remembered) when over the limit.</summary>
    public async ValueTask<LimitDecision> RequestAsync(string who)
    {
        var decision = await counter.HitAsync("req:" + who, options.RequestsPerMinute);
        if (!decision.Allowed) _requestRefused = decision;
        return decision;
    }

    /// <summary>Typing events beyond the limit are dropped (false), never an error.</summary>
    public async ValueTask<bool> TypingAsync(Guid userId) =>
        _requestRefused is null && (await counter.HitAsync("typing:" + userId, options.TypingPerMinute)).Allowed;

    /// <summary>
    /// Counts one message sent by the user, whatever the route; throws a 429 when over the send limit
    /// or the request limit. A message the safety gate calls an emergency is never refused. The gate
    /// is asked only when a send would be refused: it costs a fraction of a millisecond, and this runs
    /// on every send.
    /// </summary>
    public async Task SendAsync(Guid userId, string? content)
    {
        if (_requestRefused is { } refused)
        {
            if (IsEmergency(content)) return;
            throw TooMany("requests", options.RequestsPerMinute, refused);
        }
        var decision = await counter.HitAsync("send:" + userId, options.SendsPerMinute);
        if (!decision.Allowed && !IsEmergency(content)) throw TooMany("messages", options.SendsPerMinute, decision);
    }

    private static bool IsEmergency(string? content) =>
        content is not null && SafetyGate.Assess(content).Level == TriageLevel.Emergency;

    public TooManyRequestsException TooMany(string what, int limit, LimitDecision decision)
    {
        metrics.LimitHit(what);
        return new TooManyRequestsException(
            $"At most {limit} {what} per minute per user; retry after {decision.RetryAfterSeconds} s.", TimeSpan.FromSeconds(decision.RetryAfterSeconds));
    }
}
