using System.Diagnostics;
using System.Globalization;
using MedChat.Api.Assistant;

// ./safety: runs the safety gate over the vignette file and reports how well it separates
// emergencies from everything else, with Wilson 95 % intervals, so a rule change is judged on
// numbers rather than on the cases its author happened to try.

if (args is ["--explain", .. var words])
{
    var message = string.Join(' ', words);
    var triage = SafetyGate.Assess(message);
    Console.WriteLine($"normalised: {SafetyText.Normalize(message)}");
    Console.WriteLine($"level:      {Name(triage.Level)} [{string.Join(",", triage.RedFlags)}]");
    return 0;
}

var path = args.Length > 0 ? args[0] : "tests/MedChat.Tests/Assistant/vignettes.tsv";
if (!File.Exists(path))
{
    Console.Error.WriteLine($"Vignette file not found: {path}");
    return 2;
}

var vignettes = new List<(int Line, TriageLevel Expected, string Message)>();
var lineNo = 0;
foreach (var line in File.ReadLines(path))
{
    lineNo++;
    if (line.Length == 0 || line.StartsWith('#')) continue;
    var tab = line.IndexOf('\t', StringComparison.Ordinal);
    if (tab < 0 || !Enum.TryParse<TriageLevel>(line[..tab].Trim(), ignoreCase: true, out var level))
    {
        Console.Error.WriteLine($"{path}:{lineNo}: expected \"routine|urgent|emergency<TAB>message\"");
        return 2;
    }
    vignettes.Add((lineNo, level, line[(tab + 1)..]));
}

var results = vignettes.Select(v => (v.Line, v.Expected, v.Message, Actual: SafetyGate.Assess(v.Message))).ToList();
// Timed on a second pass: the first one pays for JIT-compiling each regex.
const int Passes = 5;
var clock = Stopwatch.StartNew();
for (var i = 0; i < Passes; i++)
    foreach (var v in vignettes) SafetyGate.Assess(v.Message);
clock.Stop();

int tp = 0, fn = 0, fp = 0, tn = 0;
foreach (var r in results)
{
    var expected = r.Expected == TriageLevel.Emergency;
    var actual = r.Actual.Level == TriageLevel.Emergency;
    if (expected && actual) tp++;
    else if (expected) fn++;
    else if (actual) fp++;
    else tn++;
}

var inv = CultureInfo.InvariantCulture;
string Pct(double x) => (100 * x).ToString("0.0", inv) + " %";
string Rate(string name, int hit, int total)
{
    if (total == 0) return $"{name}: n/a (no cases)";
    var (lo, hi) = Wilson(hit, total);
    return $"{name}: {Pct((double)hit / total)} ({hit}/{total}), 95 % CI {Pct(lo)} – {Pct(hi)}";
}

Console.WriteLine($"Safety gate vignettes: {results.Count} ({tp + fn} emergency, {fp + tn} not emergency) from {path}");
Console.WriteLine();
Console.WriteLine("Emergency vs not emergency");
Console.WriteLine("  " + Rate("Sensitivity", tp, tp + fn));
Console.WriteLine("  " + Rate("Specificity", tn, tn + fp));
Console.WriteLine();
Console.WriteLine("  Confusion matrix     predicted emergency   predicted not");
Console.WriteLine($"  actual emergency     {tp,19}   {fn,13}");
Console.WriteLine($"  actual not           {fp,19}   {tn,13}");
Console.WriteLine();
Console.WriteLine("Per level (expected → predicted)");
var levels = Enum.GetValues<TriageLevel>();
Console.WriteLine("  " + "expected".PadRight(12) + string.Concat(levels.Select(l => Name(l).PadLeft(11))) + "   agreement");
foreach (var e in levels)
{
    var row = results.Where(r => r.Expected == e).ToList();
    var cells = string.Concat(levels.Select(p => row.Count(r => r.Actual.Level == p).ToString(inv).PadLeft(11)));
    var agree = row.Count(r => r.Actual.Level == e);
    Console.WriteLine("  " + Name(e).PadRight(12) + cells + "   " + (row.Count == 0 ? "n/a" : $"{Pct((double)agree / row.Count)} ({agree}/{row.Count})"));
}
var exact = results.Count(r => r.Actual.Level == r.Expected);
Console.WriteLine("  " + Rate("Overall agreement", exact, results.Count));
Console.WriteLine();

var wrong = results.Where(r => r.Actual.Level != r.Expected).ToList();
Console.WriteLine(wrong.Count == 0 ? "Misclassified: none" : $"Misclassified ({wrong.Count}):");
foreach (var r in wrong)
{
    var flags = r.Actual.RedFlags.Count == 0 ? "-" : string.Join(",", r.Actual.RedFlags);
    Console.WriteLine($"  line {r.Line}: expected {Name(r.Expected)}, got {Name(r.Actual.Level)} [{flags}]  {r.Message}");
}
Console.WriteLine();
Console.WriteLine($"Mean time per message: {(clock.Elapsed.TotalMilliseconds / Math.Max(1, Passes * results.Count)).ToString("0.000", inv)} ms");
return 0;

static string Name(TriageLevel l) => l.ToString().ToLowerInvariant();

// Wilson score interval (z = 1.96): stays inside [0, 1] and behaves at 0 % and 100 %, unlike the normal approximation.
static (double Low, double High) Wilson(int hit, int n)
{
    const double z = 1.959964;
    var p = (double)hit / n;
    var z2 = z * z;
    var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    var half = z * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
    return (Math.Max(0, centre - half), Math.Min(1, centre + half));
}
