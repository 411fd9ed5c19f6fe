using System.Text.Json;
using System.Text.Json.Serialization;

namespace MedChat.Bench;

// What one run measured; serialised as docs/benchmarks.json (camelCase; null where a part did not run).

internal sealed record MachineInfo(string CpuModel, int Cores, long MemoryBytes, string Os, string Dotnet, string? Postgres, bool Redis);

internal sealed record Level(int Concurrency, double PerSec, double? P50Ms, double? P99Ms, long Count, long Errors);

internal sealed record CeilingResult(double InsertsPerSec, List<Level> Levels);

/// <summary>The send's database work alone (medchat_send batched as the API's writers batch it), with and without row-level security.</summary>
internal sealed record DatabaseSendResult(int Writers, List<RestLevel> WithRls, List<RestLevel> WithoutRls);

internal sealed record RestLevel(int Concurrency, double PerSec, double? P50Ms, double? P99Ms, double? RatioToCeiling, long Count, long Errors);

internal sealed record FanoutLevel(int OfferedPerSec, double DeliveredPerSec, double? P50Ms, double? P99Ms, double? P999Ms, long Sent, long Received, long Lost, long NotOffered);

internal sealed record CapacityResult(int Target, int Connections, int Failed, long RssBeforeBytes, long RssAfterBytes, long? BytesPerConnection, double ConnectSeconds, string? Limit);

internal sealed record CatchupResult(int Messages, double? Ms, double? MinMs, double ConnectMs, int Pages);

internal sealed record AssistantResult(bool Available, string? Detail, int Requests, double? MedchatTtftP50Ms, double? ModelTtftP50Ms, double? MedchatTtftP99Ms, double? OverheadP50Ms);

internal sealed record BenchResults
{
    public required string Mode { get; init; }
    public required DateTime StartedAt { get; init; }
    public required double DurationSeconds { get; init; }
    public required MachineInfo Machine { get; init; }
    public string? FanoutSends { get; init; }
    public string? RestWorkload { get; init; }
    public CeilingResult? Ceiling { get; init; }
    /// <summary>The most any send path could reach here: the send's database work with no API in front of it.</summary>
    public DatabaseSendResult? DatabaseSends { get; init; }
    public List<RestLevel>? Rest { get; init; }
    /// <summary>The same sends through the hub's SendMessage (closed loop, one patient connection per worker).</summary>
    public List<RestLevel>? Hub { get; init; }
    /// <summary>The send's own request answered 400 before the database: the most any REST send could do here.</summary>
    public List<RestLevel>? HttpFloor { get; init; }
    public List<FanoutLevel>? Fanout { get; init; }
    public int? MaxPerSecP99Under50Ms { get; init; }
    /// <summary>The same fan-out with staff on a second node (--redis only): what a second server buys.</summary>
    public List<FanoutLevel>? FanoutTwoNodes { get; init; }
    public int? TwoNodesMaxPerSecP99Under50Ms { get; init; }
    public CapacityResult? Capacity { get; init; }
    public CatchupResult? Catchup { get; init; }
    public double? Catchup1000Ms { get; init; }
    public AssistantResult? Assistant { get; init; }
    public double? AssistantOverheadP50Ms { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}
