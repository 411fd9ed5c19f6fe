using System.Diagnostics;
using System.Globalization;
using MedChat.Api.Assistant;
using MedChat.Safety;

// ./safety: runs the safety gate over the tuning set and every held-out set and reports how well it
// separates emergencies from everything else, with Wilson 95 % intervals, so a rule change is judged
// on numbers rather than on the cases its author happened to try.
//
//   ./safety                      tuning set (vignettes.tsv + tuning-*.tsv) and each heldout-*.tsv
//   ./safety --misses             also list the held-out sets' misclassified messages
//   ./safety FILE…                only these files, each as its own set
//   ./safety --explain "message"  how one message is read
//   ./safety --cv                 leave-one-file-out cross-validation of the classifier (docs/safety.md)
//   ./safety --train              retrain the classifier and write src/MedChat.Api/Assistant/SafetyModel.bin
//
// A held-out set's misses are hidden by default: reading them while changing rules would turn the
// held-out set into a tuning set, and its figure would stop estimating unseen wording.

if (args is ["--explain", .. var words])
{
    var message = string.Join(' ', words);
    var triage = SafetyGate.Assess(message);
    Console.WriteLine($"normalised: {SafetyText.Normalize(message)}");
    Console.WriteLine($"level:      {Name(triage.Level)} [{string.Join(",", triage.RedFlags)}]");
    Console.WriteLine($"rules:      {Name(SafetyGate.Assess(message, null).Level)}");
    if (SafetyModel.Shipped is { } model)
        Console.WriteLine($"classifier: p(emergency) {model.Probability(SafetyText.Normalize(message)).ToString("0.000", CultureInfo.InvariantCulture)} (raises an urgent at {model.RaiseUrgent}, a routine at {model.RaiseRoutine}, overrules below {model.Veto}; bias {model.Bias})");
    return 0;
}

if (args.Contains("--train") || args.Contains("--cv"))
    return Commands.TrainOrCrossValidate(args);

var showHeldOutMisses = args.Contains("--misses");
var files = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
var sets = new List<(string Name, List<Vignette> Rows, bool HeldOut)>();
try
{
    if (files.Count > 0)
    {
        foreach (var f in files)
        {
            if (!File.Exists(f)) { Console.Error.WriteLine($"Vignette file not found: {f}"); return 2; }
            sets.Add((Path.GetFileName(f), Vignettes.Read(f), Vignettes.IsHeldOut(f)));
        }
    }
    else
    {
        var tuning = Vignettes.TuningFiles(Vignettes.Folder).ToList();
        sets.Add(("tuning (" + string.Join(" + ", tuning.Select(Path.GetFileName)) + ")", [.. tuning.SelectMany(Vignettes.Read)], false));
        // Spent held-out sets: their figure was recorded, then they were read and tuned on (docs/safety.md).
        foreach (var f in Vignettes.SpentFiles(Vignettes.Folder))
            sets.Add(("spent " + Path.GetFileName(f), Vignettes.Read(f), false));
        // The classifier's own training sets: the gate fits them, so these say only that it learned them.
        var train = Vignettes.TrainFiles(Vignettes.Folder).ToList();
        if (train.Count > 0)
            sets.Add(("train (" + string.Join(" + ", train.Select(Path.GetFileName)) + ")", [.. train.SelectMany(Vignettes.Read)], false));
        foreach (var f in Vignettes.HeldOutFiles(Vignettes.Folder))
            sets.Add(("held-out " + Path.GetFileNameWithoutExtension(f)["heldout-".Length..] + " (" + Path.GetFileName(f) + ")", Vignettes.Read(f), true));
    }
}
catch (FormatException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var inv = CultureInfo.InvariantCulture;
var scored = sets.Select(s => (s.Name, s.HeldOut, Results: s.Rows.Select(v => (Row: v, Actual: SafetyGate.Assess(v.Message))).ToList())).ToList();

Console.WriteLine("Safety gate (rules and classifier, no language model): emergency vs not emergency, Wilson 95 % intervals;");
Console.WriteLine("the rules alone on the line below each set");
Console.WriteLine();
Console.WriteLine($"  {"set",-44} {"n",5} {"emerg",6} {"not",5}   {"sensitivity",-33} {"specificity",-33}");
foreach (var s in scored)
{
    var c = Count(s.Results);
    Console.WriteLine($"  {s.Name,-44} {s.Results.Count,5} {c.Tp + c.Fn,6} {c.Fp + c.Tn,5}   {Short(c.Tp, c.Tp + c.Fn),-33} {Short(c.Tn, c.Tn + c.Fp),-33}");
    var r = Count([.. s.Results.Select(x => (x.Row, SafetyGate.Assess(x.Row.Message, null)))]);
    Console.WriteLine($"  {"  rules alone",-44} {"",5} {"",6} {"",5}   {Short(r.Tp, r.Tp + r.Fn),-33} {Short(r.Tn, r.Tn + r.Fp),-33}");
}
if (files.Count == 0 && !scored.Any(s => s.HeldOut))
    Console.WriteLine($"  {"held-out (none unspent)",-44} {"every held-out set has been read; after the next freeze, write a fresh one (docs/safety.md)",-60}");
Console.WriteLine();

foreach (var s in scored)
{
    var (tp, fn, fp, tn) = Count(s.Results);
    Console.WriteLine($"== {s.Name}: {s.Results.Count} messages ({tp + fn} emergency, {fp + tn} not emergency)");
    Console.WriteLine("  " + Rate("Sensitivity", tp, tp + fn));
    Console.WriteLine("  " + Rate("Specificity", tn, tn + fp));
    Console.WriteLine("  Confusion matrix     predicted emergency   predicted not");
    Console.WriteLine($"  actual emergency     {tp,19}   {fn,13}");
    Console.WriteLine($"  actual not           {fp,19}   {tn,13}");
    Console.WriteLine("  Per level (expected → predicted)");
    var levels = Enum.GetValues<TriageLevel>();
    Console.WriteLine("    " + "expected".PadRight(12) + string.Concat(levels.Select(l => Name(l).PadLeft(11))) + "   agreement");
    foreach (var e in levels)
    {
        var row = s.Results.Where(r => r.Row.Expected == e).ToList();
        var cells = string.Concat(levels.Select(p => row.Count(r => r.Actual.Level == p).ToString(inv).PadLeft(11)));
        var agree = row.Count(r => r.Actual.Level == e);
        Console.WriteLine("    " + Name(e).PadRight(12) + cells + "   " + (row.Count == 0 ? "n/a" : $"{Pct((double)agree / row.Count)} ({agree}/{row.Count})"));
    }
    var exact = s.Results.Count(r => r.Actual.Level == r.Row.Expected);
    Console.WriteLine("  " + Rate("Overall agreement", exact, s.Results.Count));
    var wrong = s.Results.Where(r => r.Actual.Level != r.Row.Expected).ToList();
    if (s.HeldOut && !showHeldOutMisses)
        Console.WriteLine($"  Misclassified: {wrong.Count} (hidden for a held-out set; ./safety --misses lists them, once the rules are frozen)");
    else
    {
        Console.WriteLine(wrong.Count == 0 ? "  Misclassified: none" : $"  Misclassified ({wrong.Count}):");
        foreach (var r in wrong)
        {
            var flags = r.Actual.RedFlags.Count == 0 ? "-" : string.Join(",", r.Actual.RedFlags);
            Console.WriteLine($"    {r.Row.File}:{r.Row.Line}: expected {Name(r.Row.Expected)}, got {Name(r.Actual.Level)} [{flags}]  {r.Row.Message}");
        }
    }
    Console.WriteLine();
}

// Timed over several passes after the first: the first one pays for JIT-compiling each regex.
var all = scored.SelectMany(s => s.Results.Select(r => r.Row.Message)).ToList();
const int Passes = 5;
var clock = Stopwatch.StartNew();
for (var i = 0; i < Passes; i++)
    foreach (var m in all) SafetyGate.Assess(m);
clock.Stop();
Console.WriteLine($"Mean time per message: {(clock.Elapsed.TotalMilliseconds / Math.Max(1, Passes * all.Count)).ToString("0.000", inv)} ms");
// Per-message percentiles: the gate runs on every send, so the typical message matters more than the mean.
var times = new List<double>(all.Count);
foreach (var m in all)
{
    var t = Stopwatch.GetTimestamp();
    SafetyGate.Assess(m);
    times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
}
times.Sort();
if (times.Count > 0)
    Console.WriteLine($"Per message: p50 {times[times.Count / 2].ToString("0.000", inv)} ms, p95 {times[(int)(times.Count * 0.95)].ToString("0.000", inv)} ms, max {times[^1].ToString("0.000", inv)} ms over {times.Count} messages");
return 0;

static (int Tp, int Fn, int Fp, int Tn) Count(List<(Vignette Row, Triage Actual)> results)
{
    int tp = 0, fn = 0, fp = 0, tn = 0;
    foreach (var r in results)
    {
        var expected = r.Row.Expected == TriageLevel.Emergency;
        var actual = r.Actual.Level == TriageLevel.Emergency;
        if (expected && actual) tp++;
        else if (expected) fn++;
        else if (actual) fp++;
        else tn++;
    }
    return (tp, fn, fp, tn);
}

static string Pct(double x) => (100 * x).ToString("0.0", CultureInfo.InvariantCulture) + " %";

static string Rate(string name, int hit, int total)
{
    if (total == 0) return $"{name}: n/a (no cases)";
    var (lo, hi) = Wilson(hit, total);
    return $"{name}: {Pct((double)hit / total)} ({hit}/{total}), 95 % CI {Pct(lo)} – {Pct(hi)}";
}

static string Short(int hit, int total)
{
    if (total == 0) return "n/a";
    var (lo, hi) = Wilson(hit, total);
    return $"{Pct((double)hit / total)} ({hit}/{total}) {Pct(lo)}–{Pct(hi)}";
}

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
