using System.Globalization;
using MedChat.Api.Assistant;

namespace MedChat.Safety;

/// <summary>./safety --cv and --train: how the classifier is chosen and written.</summary>
internal static class Commands
{
    public const string ModelPath = "src/MedChat.Api/Assistant/SafetyModel.bin";

    /// <summary>
    /// Sets the rules were frozen before (bb2e97f) and never tuned on: only on these is "rules or
    /// classifier" in cross-validation an estimate for unseen wording. On the others the rules were
    /// tuned, so only the classifier's own column means anything there.
    /// </summary>
    private static bool RulesNeverSaw(string file) => file == "spent-heldout-2.tsv" || file.StartsWith("train-", StringComparison.Ordinal);

    private static readonly double[] Vetoes = [0.01, 0.03, 0.1, 0.2];

    public static int TrainOrCrossValidate(string[] args)
    {
        var o = new Training.Options();
        for (var i = 0; i < args.Length - 1; i++)
        {
            var v = args[i + 1];
            o = args[i] switch
            {
                "--epochs" => o with { Epochs = int.Parse(v, CultureInfo.InvariantCulture) },
                "--rate" => o with { Rate = double.Parse(v, CultureInfo.InvariantCulture) },
                "--l2" => o with { L2 = double.Parse(v, CultureInfo.InvariantCulture) },
                "--positive-weight" => o with { PositiveWeight = double.Parse(v, CultureInfo.InvariantCulture) },
                "--raise-urgent" => o with { RaiseUrgent = float.Parse(v, CultureInfo.InvariantCulture) },
                "--raise-routine" => o with { RaiseRoutine = float.Parse(v, CultureInfo.InvariantCulture) },
                "--veto" => o with { Veto = float.Parse(v, CultureInfo.InvariantCulture) },
                _ => o,
            };
        }
        var rows = Training.Rows(Vignettes.Folder);
        if (args.Contains("--train"))
        {
            var model = Training.Fit(rows, o);
            using (var f = File.Create(ModelPath)) model.Write(f);
            var seen = rows.Count(r => (SafetyGate.Assess(r.Message, model).Level == TriageLevel.Emergency) == (r.Expected == TriageLevel.Emergency));
            Console.WriteLine($"{ModelPath}: trained on {rows.Count} rows from {string.Join(", ", Vignettes.TrainingFiles(Vignettes.Folder).Select(Path.GetFileName))}");
            Console.WriteLine($"  {o}; {new FileInfo(ModelPath).Length / 1024} KiB; rules or classifier agree with {seen}/{rows.Count} training rows on emergency vs not");
            return 0;
        }

        if (Array.IndexOf(args, "--canaries") is var c and >= 0 && c + 1 < args.Length)
        {
            // Ordinary messages (one per line) and what a model trained on every row makes of them.
            var model = Training.Fit(rows, o);
            var lines = File.ReadAllLines(args[c + 1]).Where(l => l.Trim().Length > 0).ToList();
            var raised = 0;
            foreach (var l in lines)
            {
                var level = SafetyGate.Assess(l, model).Level;
                if (level == TriageLevel.Emergency) raised++;
                Console.WriteLine($"  {model.Probability(SafetyText.Normalize(l)):0.000} {level,-9} {l}");
            }
            Console.WriteLine($"{raised}/{lines.Count} called emergencies; {o}");
            return 0;
        }

        // Leave one file out: each file is scored by a classifier trained on every other file.
        double[] thresholds = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8];
        // --honest: only the folds where "rules or classifier" estimates unseen wording (faster while choosing options).
        var byFile = rows.GroupBy(r => r.File).Where(g => !args.Contains("--honest") || RulesNeverSaw(g.Key)).ToList();
        var pooled = new Dictionary<(double, bool), Count>();
        var veto = new Dictionary<(double, double), Count>();
        var shipped = new Count();
        Console.WriteLine($"Leave-one-file-out, {o}");
        Console.WriteLine($"  {"file",-28} {"n",5}  rules alone  gate as shipped | classifier alone, then rules or classifier, by threshold");
        foreach (var fold in byFile)
        {
            var model = Training.Fit([.. rows.Where(r => r.File != fold.Key)], o);
            var scored = fold.Select(r =>
            {
                var text = SafetyText.Normalize(r.Message);
                var rules = SafetyGate.Assess(r.Message, null).Level == TriageLevel.Emergency;
                var gate = SafetyGate.Assess(r.Message, model).Level == TriageLevel.Emergency;
                return (Y: r.Expected == TriageLevel.Emergency, Rules: rules, P: model.Probability(text), Gate: gate);
            }).ToList();
            var asShipped = Count.Of(scored.Select(s => (s.Y, s.Gate)));
            if (RulesNeverSaw(fold.Key)) shipped += asShipped;
            var line = $"  {fold.Key,-28} {fold.Count(),5}  {Count.Of(scored.Select(s => (s.Y, s.Rules)))}  gate {asShipped}";
            foreach (var t in thresholds)
            {
                var alone = Count.Of(scored.Select(s => (s.Y, s.P >= t)));
                var both = Count.Of(scored.Select(s => (s.Y, s.Rules || s.P >= t)));
                line += $" | {t:0.0}: {alone} / {both}";
                if (RulesNeverSaw(fold.Key))
                {
                    pooled[(t, false)] = pooled.GetValueOrDefault((t, false)) + alone;
                    pooled[(t, true)] = pooled.GetValueOrDefault((t, true)) + both;
                    foreach (var v in Vetoes)
                        veto[(t, v)] = veto.GetValueOrDefault((t, v)) + Count.Of(scored.Select(s => (s.Y, s.P >= t || (s.Rules && s.P >= v))));
                }
            }
            Console.WriteLine(line + (RulesNeverSaw(fold.Key) ? "   (rules never saw it)" : ""));
        }
        Console.WriteLine();
        Console.WriteLine("Pooled over the sets the rules never saw (sensitivity / specificity):");
        Console.WriteLine($"  the gate as shipped (raise urgent at {o.RaiseUrgent}, routine at {o.RaiseRoutine}, veto {o.Veto}): {shipped}  ({shipped.Tp}/{shipped.Tp + shipped.Fn} emergencies, {shipped.Tn}/{shipped.Tn + shipped.Fp} others)");
        foreach (var t in thresholds)
            Console.WriteLine($"  threshold {t:0.0}: classifier alone {pooled.GetValueOrDefault((t, false))}   rules or classifier {pooled.GetValueOrDefault((t, true))}"
                + string.Concat(Vetoes.Select(v => $"   veto<{v}: {veto.GetValueOrDefault((t, v))}")));
        return 0;
    }

    private readonly record struct Count(int Tp, int Fn, int Fp, int Tn)
    {
        public static Count Of(IEnumerable<(bool Expected, bool Actual)> xs)
        {
            var c = new Count();
            foreach (var (e, a) in xs)
                c = (e, a) switch
                {
                    (true, true) => c with { Tp = c.Tp + 1 },
                    (true, false) => c with { Fn = c.Fn + 1 },
                    (false, true) => c with { Fp = c.Fp + 1 },
                    _ => c with { Tn = c.Tn + 1 },
                };
            return c;
        }

        public static Count operator +(Count a, Count b) => new(a.Tp + b.Tp, a.Fn + b.Fn, a.Fp + b.Fp, a.Tn + b.Tn);

        public override string ToString() =>
            Tp + Fn + Fp + Tn == 0 ? "n/a" : $"{Pct(Tp, Tp + Fn)}/{Pct(Tn, Tn + Fp)}";

        private static string Pct(int a, int n) => n == 0 ? "-" : (100.0 * a / n).ToString("0.0", CultureInfo.InvariantCulture);
    }
}
