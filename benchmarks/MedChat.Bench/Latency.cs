using System.Diagnostics;
using HdrHistogram;

namespace MedChat.Bench;

/// <summary>Latencies in microseconds (HdrHistogram, 3 significant digits, up to 5 minutes); safe to record from many threads.</summary>
internal sealed class Latency
{
    private readonly LongHistogram _h = new(300_000_000, 3);
    private readonly Lock _gate = new();

    public long Count
    {
        get
        {
            lock (_gate) return _h.TotalCount;
        }
    }

    public void RecordTicks(long stopwatchTicks)
    {
        var micros = Math.Max(0, stopwatchTicks * 1_000_000 / Stopwatch.Frequency);
        lock (_gate) _h.RecordValue(Math.Min(micros, _h.HighestTrackableValue));
    }

    public double? PercentileMs(double p)
    {
        lock (_gate) return _h.TotalCount == 0 ? null : Math.Round(_h.GetValueAtPercentile(p) / 1000.0, 3);
    }
}
