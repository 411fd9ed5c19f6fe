using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MedChat.Api.Telemetry;

/// <summary>
/// MedChat's own instruments (meter and activity source "MedChat"). Tags are ids, levels and
/// outcomes only: never content, names or tokens.
/// </summary>
public sealed class MedChatMetrics : IDisposable
{
    public const string Name = "MedChat";
    public static readonly ActivitySource Source = new(Name);

    private readonly Meter _meter;
    private readonly Counter<long> _messages;
    private readonly Histogram<double> _broadcastDelay;
    private readonly Histogram<double> _assistantLatency;
    private readonly Counter<long> _assistantTokens;
    private readonly Counter<long> _redFlags;
    private readonly Counter<long> _limitsHit;

    public MedChatMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(Name);
        _messages = _meter.CreateCounter<long>("medchat.messages.stored", "{message}", "Messages stored, by sender role.");
        _broadcastDelay = _meter.CreateHistogram<double>("medchat.messages.broadcast_delay", "ms", "From the start of a send to its broadcast.");
        _assistantLatency = _meter.CreateHistogram<double>("medchat.assistant.latency", "ms", "Model answer time.");
        _assistantTokens = _meter.CreateCounter<long>("medchat.assistant.tokens", "{token}", "Model tokens, by kind (prompt, completion).");
        _redFlags = _meter.CreateCounter<long>("medchat.safety.red_flags", "{flag}", "Red flags the safety gate raised, by level.");
        _limitsHit = _meter.CreateCounter<long>("medchat.limits.hit", "{refusal}", "Requests refused by a per-user limit, by limit.");
    }

    /// <summary>A stored message reaching the broadcast: counted by sender role, with the delay since its send was stamped.</summary>
    public void Broadcast(Messages.MessageDto message, DateTime now)
    {
        var role = Data.SnakeCaseEnumConverter<Messages.SenderRole>.Name(message.SenderRole);
        _messages.Add(1, new KeyValuePair<string, object?>("sender_role", role));
        _broadcastDelay.Record(Math.Max(0, (now - message.CreatedAt).TotalMilliseconds), new KeyValuePair<string, object?>("sender_role", role));
    }
    public void Assistant(double latencyMs, long promptTokens, long completionTokens)
    {
        _assistantLatency.Record(latencyMs);
        _assistantTokens.Add(promptTokens, new KeyValuePair<string, object?>("kind", "prompt"));
        _assistantTokens.Add(completionTokens, new KeyValuePair<string, object?>("kind", "completion"));
    }
    public void RedFlags(string level, int count)
    {
        if (count > 0) _redFlags.Add(count, new KeyValuePair<string, object?>("level", level));
    }
    public void LimitHit(string limit) => _limitsHit.Add(1, new KeyValuePair<string, object?>("limit", limit));

    public void Dispose() => _meter.Dispose();
}
