using MedChat.Api.Assistant;

namespace MedChat.Safety;

/// <summary>One labelled message: the level a clinician expects and the patient's words.</summary>
public sealed record Vignette(string File, int Line, TriageLevel Expected, string Message);

/// <summary>
/// The vignette files the gate is measured with (expected_level&lt;TAB&gt;message, # comments).
/// The tuning set is vignettes.tsv and tuning-*.tsv; held-out sets are heldout-*.tsv, written by
/// someone who had not read the rules and never tuned on. Shared by ./safety and the tests, so the
/// numbers ./safety prints are read exactly as the tests read them.
/// </summary>
public static class Vignettes
{
    public const string Folder = "tests/MedChat.Tests/Assistant";

    public static List<Vignette> Read(string path)
    {
        var rows = new List<Vignette>();
        var lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#')) continue;
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab < 0 || !Enum.TryParse<TriageLevel>(line[..tab].Trim(), ignoreCase: true, out var level) || !Enum.IsDefined(level))
                throw new FormatException($"{path}:{lineNo}: expected \"routine|urgent|emergency<TAB>message\"");
            rows.Add(new Vignette(Path.GetFileName(path), lineNo, level, line[(tab + 1)..].Trim()));
        }
        return rows;
    }

    /// <summary>The tuning files in a folder: vignettes.tsv first, then tuning-*.tsv by name.</summary>
    public static IEnumerable<string> TuningFiles(string folder) =>
        new[] { Path.Combine(folder, "vignettes.tsv") }.Where(File.Exists)
            .Concat(Directory.EnumerateFiles(folder, "tuning-*.tsv").Order(StringComparer.Ordinal));

    /// <summary>The held-out files in a folder, by name (heldout-1.tsv, heldout-2.tsv…).</summary>
    public static IEnumerable<string> HeldOutFiles(string folder) =>
        Directory.EnumerateFiles(folder, "heldout-*.tsv").Order(StringComparer.Ordinal);

    /// <summary>Spent held-out sets (spent-*.tsv): their unseen-wording figure was recorded, then they were tuned on.</summary>
    public static IEnumerable<string> SpentFiles(string folder) =>
        Directory.EnumerateFiles(folder, "spent-*.tsv").Order(StringComparer.Ordinal);

    /// <summary>Sets written only to train the gate's classifier (train-*.tsv): scored emergency vs not, not level by level.</summary>
    public static IEnumerable<string> TrainFiles(string folder) =>
        Directory.EnumerateFiles(folder, "train-*.tsv").Order(StringComparer.Ordinal);

    /// <summary>Everything the classifier learns from: tuning, spent and train sets, never an unspent held-out set.</summary>
    public static IEnumerable<string> TrainingFiles(string folder) =>
        TuningFiles(folder).Concat(SpentFiles(folder)).Concat(TrainFiles(folder));

    public static bool IsHeldOut(string path) => Path.GetFileName(path).StartsWith("heldout-", StringComparison.Ordinal);
}
