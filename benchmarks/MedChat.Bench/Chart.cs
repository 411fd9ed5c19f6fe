using System.Globalization;
using System.Text;

namespace MedChat.Bench;

/// <summary>Latency (log scale) against offered load, as a self-contained SVG: p50, p99, p99.9 and the 50 ms line.</summary>
internal static class Chart
{
    private const int W = 720, H = 420, Left = 70, Right = 150, Top = 40, Bottom = 60;

    public static string Svg(IReadOnlyList<FanoutLevel> levels)
    {
        var inv = CultureInfo.InvariantCulture;
        var values = levels.SelectMany(l => new[] { l.P50Ms, l.P99Ms, l.P999Ms }).OfType<double>().Where(v => v > 0).Append(50).ToList();
        var lo = Math.Pow(10, Math.Floor(Math.Log10(values.Min())));
        var hi = Math.Pow(10, Math.Ceiling(Math.Log10(values.Max())));
        if (hi <= lo) hi = lo * 10;
        var plotW = W - Left - Right;
        var plotH = H - Top - Bottom;
        double X(int i) => Left + (levels.Count == 1 ? plotW / 2.0 : i * plotW / (double)(levels.Count - 1));
        double Y(double ms) => Top + plotH * (1 - (Math.Log10(Math.Max(ms, lo)) - Math.Log10(lo)) / (Math.Log10(hi) - Math.Log10(lo)));

        var sb = new StringBuilder();
        sb.AppendLine(inv, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">""");
        sb.AppendLine(inv, $"""<rect width="{W}" height="{H}" fill="white"/>""");
        sb.AppendLine(inv, $"""<text x="{W / 2}" y="22" text-anchor="middle" font-size="15">Fan-out: send-to-receive latency vs offered load</text>""");
        for (var d = lo; d <= hi * 1.0001; d *= 10)
        {
            sb.AppendLine(inv, $"""<line x1="{Left}" x2="{Left + plotW}" y1="{Y(d):F1}" y2="{Y(d):F1}" stroke="#ddd"/>""");
            sb.AppendLine(inv, $"""<text x="{Left - 8}" y="{Y(d) + 4:F1}" text-anchor="end">{d.ToString("0.###", inv)}</text>""");
        }
        sb.AppendLine(inv, $"""<line x1="{Left}" x2="{Left + plotW}" y1="{Y(50):F1}" y2="{Y(50):F1}" stroke="#c00" stroke-dasharray="6 4"/>""");
        sb.AppendLine(inv, $"""<text x="{Left + plotW + 6}" y="{Y(50) + 4:F1}" fill="#c00">50 ms target</text>""");
        for (var i = 0; i < levels.Count; i++)
        {
            sb.AppendLine(inv, $"""<line x1="{X(i):F1}" x2="{X(i):F1}" y1="{Top}" y2="{Top + plotH}" stroke="#f0f0f0"/>""");
            sb.AppendLine(inv, $"""<text x="{X(i):F1}" y="{Top + plotH + 18}" text-anchor="middle">{levels[i].OfferedPerSec}</text>""");
        }
        sb.AppendLine(inv, $"""<rect x="{Left}" y="{Top}" width="{plotW}" height="{plotH}" fill="none" stroke="#888"/>""");
        sb.AppendLine(inv, $"""<text x="{Left + plotW / 2}" y="{H - 18}" text-anchor="middle">offered load (messages per second, open loop)</text>""");
        sb.AppendLine(inv, $"""<text transform="translate(18 {Top + plotH / 2}) rotate(-90)" text-anchor="middle">latency (ms, log scale)</text>""");

        var series = new (string Name, string Color, Func<FanoutLevel, double?> Pick)[]
        {
            ("p50", "#1f77b4", l => l.P50Ms), ("p99", "#ff7f0e", l => l.P99Ms), ("p99.9", "#2ca02c", l => l.P999Ms),
        };
        for (var s = 0; s < series.Length; s++)
        {
            var (name, color, pick) = series[s];
            var points = levels.Select((l, i) => (i, v: pick(l))).Where(p => p.v is > 0).Select(p => $"{X(p.i):F1},{Y(p.v!.Value):F1}").ToList();
            if (points.Count > 0) sb.AppendLine(inv, $"""<polyline points="{string.Join(' ', points)}" fill="none" stroke="{color}" stroke-width="2"/>""");
            foreach (var p in points)
            {
                var xy = p.Split(',');
                sb.AppendLine(inv, $"""<circle cx="{xy[0]}" cy="{xy[1]}" r="3" fill="{color}"/>""");
            }
            var ly = Top + 10 + s * 20;
            sb.AppendLine(inv, $"""<line x1="{Left + plotW + 10}" x2="{Left + plotW + 34}" y1="{ly}" y2="{ly}" stroke="{color}" stroke-width="2"/>""");
            sb.AppendLine(inv, $"""<text x="{Left + plotW + 40}" y="{ly + 4}">{name}</text>""");
        }
        sb.AppendLine("</svg>");
        return sb.ToString();
    }
}
