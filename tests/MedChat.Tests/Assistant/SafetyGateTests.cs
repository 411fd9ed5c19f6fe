using System.Runtime.CompilerServices;
using MedChat.Api.Assistant;
using MedChat.Safety;

namespace MedChat.Tests.Assistant;

/// <summary>
/// The deterministic safety gate: every vignette in vignettes.tsv as its own row, the suite-level
/// sensitivity/specificity targets, and focused cases for negation, typos, third persons and
/// totality. No database or HTTP: the gate is a pure function.
/// </summary>
public sealed class SafetyGateTests
{
    /// <summary>Each tuning row; where it comes from is an argument so a message in two files is two cases.</summary>
    public static IEnumerable<TheoryDataRow<string, TriageLevel, string>> Vignettes() =>
        VignetteFile.Read().Select(v => new TheoryDataRow<string, TriageLevel, string>($"{v.File}:{v.Line}", v.Expected, v.Message));

    [Theory]
    [MemberData(nameof(Vignettes))]
    public void EachVignetteGetsItsExpectedLevel(string where, TriageLevel expected, string message)
    {
        var triage = SafetyGate.Assess(message);

        Assert.True(expected == triage.Level, $"{where}: expected {expected}, got {triage.Level} [{string.Join(",", triage.RedFlags)}] for: {message}");
    }

    [Fact]
    public void TheSuiteMeetsTheSensitivityAndSpecificityTargets()
    {
        var all = VignetteFile.Read();
        var emergencies = all.Where(v => v.Expected == TriageLevel.Emergency).ToList();
        var others = all.Where(v => v.Expected != TriageLevel.Emergency).ToList();

        var sensitivity = emergencies.Count(v => SafetyGate.Assess(v.Message).Level == TriageLevel.Emergency) / (double)emergencies.Count;
        var specificity = others.Count(v => SafetyGate.Assess(v.Message).Level != TriageLevel.Emergency) / (double)others.Count;

        Assert.True(all.Count >= 150, $"only {all.Count} vignettes");
        Assert.True(emergencies.Count >= 50 && others.Count >= 50, "both classes need real weight");
        Assert.True(sensitivity >= 0.99, $"sensitivity {sensitivity:P1}");
        Assert.True(specificity >= 0.90, $"specificity {specificity:P1}");
    }

    /// <summary>
    /// Held-out sets are measured, never tuned on: no test asks their rows to pass (that would be
    /// tuning on them). This only checks that ./safety can read every one it will report.
    /// </summary>
    [Fact]
    public void EveryHeldOutSetIsReadableByTheReport()
    {
        // Held-out 1 is spent (tuned on in round 2) and held-out 2 is written after the freeze, so between
        // the two the spent sets are what ./safety reports besides the tuning set; both kinds must read.
        var files = MedChat.Safety.Vignettes.HeldOutFiles(VignetteFile.Folder())
            .Concat(MedChat.Safety.Vignettes.SpentFiles(VignetteFile.Folder())).ToList();

        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var rows = MedChat.Safety.Vignettes.Read(file);
            Assert.True(rows.Count >= 150, $"{file}: {rows.Count} rows");
            Assert.Contains(rows, r => r.Expected == TriageLevel.Emergency);
            Assert.Contains(rows, r => r.Expected != TriageLevel.Emergency);
        }
    }

    [Theory]
    [InlineData("no chest pain")]
    [InlineData("I have no chest pain now")]
    [InlineData("not short of breath and no chest pain")]
    [InlineData("denies suicidal thoughts")]
    [InlineData("I'm not suicidal")]
    [InlineData("she doesn't have a stiff neck or a fever")]
    [InlineData("my baby has a cold, no fever")]
    [InlineData("never had a seizure")]
    [InlineData("without any bleeding")]
    [InlineData("he isn't having chest pains")]
    public void ADeniedSymptomIsNotAnEmergency(string message) =>
        Assert.Equal(TriageLevel.Routine, SafetyGate.Assess(message).Level);

    [Theory]
    [InlineData("no fever, but I have chest pain", "chest_pain")]
    [InlineData("not dizzy. my face is drooping", "stroke_signs")]
    [InlineData("I don't have a cough; I can't breathe", "breathing_difficulty")]
    [InlineData("no rash however his neck is stiff and he has a fever", "meningitis_signs")]
    [InlineData("I'm not sure but I think it's chest pain", "chest_pain")]
    [InlineData("I don't know what's happening, my chest hurts", "chest_pain")]
    [InlineData("I can't walk without chest pain", "chest_pain")]
    [InlineData("I've never felt chest pain like this", "chest_pain")]
    public void ADenialEndsWithItsClause(string message, string flag)
    {
        var triage = SafetyGate.Assess(message);

        Assert.Equal(TriageLevel.Emergency, triage.Level);
        Assert.Contains(flag, triage.RedFlags);
    }

    [Theory]
    [InlineData("chest pian", "chest_pain")]
    [InlineData("cant breath", "breathing_difficulty")]
    [InlineData("can’t breathe", "breathing_difficulty")]
    [InlineData("CANNOT BREATHE", "breathing_difficulty")]
    [InlineData("my son had a siezure", "seizure")]
    [InlineData("feeling sucidal", "suicidal_intent")]
    [InlineData("she's unconcious", "unconscious")]
    [InlineData("I'm 7 weeks pregant and bleding", "pregnancy_bleeding")]
    [InlineData("cant breth", "breathing_difficulty")]
    [InlineData("chest hurst", "chest_pain")]
    [InlineData("MY DAD IS UNRESPONSVE", "unconscious")]
    [InlineData("she is having a seizrue", "seizure")]
    [InlineData("my son is unconcsious", "unconscious")]
    public void TyposAndApostrophesStillMatch(string message, string flag)
    {
        var triage = SafetyGate.Assess(message);

        Assert.Equal(TriageLevel.Emergency, triage.Level);
        Assert.Contains(flag, triage.RedFlags);
    }

    [Theory]
    [InlineData("my dad has chest pain", "chest_pain")]
    [InlineData("my mum's face is drooping", "stroke_signs")]
    [InlineData("my son says he wants to kill himself", "suicidal_intent")]
    [InlineData("my baby has a temperature of 38.1", "infant_fever")]
    [InlineData("my 7 week old has a fever", "infant_fever")]
    [InlineData("my wife is pregnant and bleeding", "pregnancy_bleeding")]
    [InlineData("my friend took too many pills", "overdose")]
    public void SomeoneElsesSymptomsCountToo(string message, string flag)
    {
        var triage = SafetyGate.Assess(message);

        Assert.Equal(TriageLevel.Emergency, triage.Level);
        Assert.Contains(flag, triage.RedFlags);
    }

    [Fact]
    public void RedFlagsNameEveryReasonWithEmergencyFirst()
    {
        var triage = SafetyGate.Assess("I banged my head and now I have chest pain and I'm pregnant and bleeding");

        Assert.Equal(TriageLevel.Emergency, triage.Level);
        Assert.Contains("chest_pain", triage.RedFlags);
        Assert.Contains("pregnancy_bleeding", triage.RedFlags);
        Assert.Contains("head_injury", triage.RedFlags);
        Assert.True(triage.RedFlags.ToList().IndexOf("head_injury") > triage.RedFlags.ToList().IndexOf("chest_pain"));
        Assert.Equal(triage.RedFlags.Count, triage.RedFlags.Distinct().Count());
        Assert.All(triage.RedFlags, f => Assert.Matches("^[a-z]+(_[a-z]+)*$", f));
    }

    [Fact]
    public void ARoutineMessageHasNoRedFlags()
    {
        var triage = SafetyGate.Assess("Can I take ibuprofen with my blood pressure tablets?");

        Assert.Equal(TriageLevel.Routine, triage.Level);
        Assert.Empty(triage.RedFlags);
    }

    [Theory]
    [InlineData("I want to kill myself")]
    [InlineData("heartburn after pizza")]
    [InlineData("vomiting for 3 days and can't keep fluids down")]
    [InlineData("")]
    public void TheSourceIsAlwaysRules(string message) => Assert.Equal("rules", SafetyGate.Assess(message).Source);

    [Fact]
    public void TheGateIsTotal()
    {
        string[] odd =
        [
            "", " ", "\t\n\r", "\0\0\0", "\uD800", "abc\uDC00def", "\uD83D\uDE00 chest pain \uD83D\uDE00",
            "ＣＨＥＳＴ ＰＡＩＮ", "ｃａｎ’ｔ ｂｒｅａｔｈｅ", "chest\u00A0pain", "çhést páin", "胸痛", "ألم في الصدر", "🤒🤒🤒",
            new string('a', 200_000), string.Concat(Enumerable.Repeat("no chest pain, ", 20_000)),
            string.Concat(Enumerable.Repeat("38.5 ", 10_000)), string.Concat(Enumerable.Repeat("9", 100_000)),
            string.Concat(Enumerable.Repeat("can not ", 10_000)), new string('.', 50_000), "'''''''''", "°°°°",
        ];

        foreach (var message in odd)
        {
            var triage = SafetyGate.Assess(message);
            Assert.NotNull(triage.RedFlags);
            Assert.Equal("rules", triage.Source);
        }
        Assert.Equal(TriageLevel.Routine, SafetyGate.Assess(null!).Level);
        Assert.Equal(TriageLevel.Emergency, SafetyGate.Assess("ＣＨＥＳＴ ＰＡＩＮ").Level);
        Assert.Equal(TriageLevel.Emergency, SafetyGate.Assess("\uD83D\uDE00 chest pain \uD83D\uDE00").Level);
    }

    [Fact]
    public void AHugeMessageIsStillJudgedQuickly()
    {
        var message = string.Concat(Enumerable.Repeat("I have had a bit of a cough and some aches, nothing major. ", 2_000)) + "Now I can't breathe.";
        SafetyGate.Assess(message);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var triage = SafetyGate.Assess(message);

        Assert.Equal(TriageLevel.Emergency, triage.Level);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task TheGateIsThreadSafe()
    {
        var all = VignetteFile.Read();
        var expected = all.Select(v => SafetyGate.Assess(v.Message).Level).ToArray();

        var runs = Enumerable.Range(0, 8).Select(_ => Task.Run(() => all.Select(v => SafetyGate.Assess(v.Message).Level).ToArray(), TestContext.Current.CancellationToken));
        var results = await Task.WhenAll(runs);

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void EmergencyGuidanceTellsThePatientToCallNowAndSaysStaffKnow()
    {
        var text = SafetyGate.EmergencyGuidance(SafetyGate.Assess("my dad has chest pain and I want to kill myself"));

        Assert.Contains("your local emergency number (for example 911, 112 or 999)", text);
        Assert.Contains("alerted", text);
        Assert.Contains("not a diagnosis", text);
        Assert.Contains("Chest pain:", text);
        Assert.Contains("988", text);
    }

    [Fact]
    public void UrgentGuidanceAsksForSameDayCare()
    {
        var triage = SafetyGate.Assess("vomiting for 3 days and can't keep fluids down");

        Assert.Equal(TriageLevel.Urgent, triage.Level);
        var text = SafetyGate.UrgentGuidance(triage);
        Assert.Contains("today", text);
        Assert.Contains("(for example 911, 112 or 999)", text);
    }

    /// <summary>
    /// The classifier shipped in the API is the one the committed sets and code produce: retraining
    /// gives the same weights, so nobody can ship a model trained on anything else (or forget to
    /// retrain after a set changes), and the held-out sets are provably not in it.
    /// </summary>
    [Fact]
    public void TheShippedClassifierIsWhatTheCommittedSetsTrain()
    {
        var shipped = SafetyModel.Shipped;
        Assert.NotNull(shipped);
        var options = new Training.Options();
        var rows = Training.Rows(VignetteFile.Folder());

        Assert.True(Training.DataHash(rows, options).AsSpan().SequenceEqual(shipped.DataHash),
            "the shipped classifier was trained on other rows or options: run ./safety --train and commit SafetyModel.bin");
        Assert.DoesNotContain(rows, r => r.File.StartsWith("heldout-", StringComparison.Ordinal));
        var retrained = Training.Fit(rows, options);
        Assert.Equal(shipped.RaiseUrgent, retrained.RaiseUrgent);
        Assert.Equal(shipped.RaiseRoutine, retrained.RaiseRoutine);
        Assert.Equal(shipped.Veto, retrained.Veto);
        Assert.Equal(shipped.Bias, retrained.Bias, 1e-4f);
        var largest = 0f;
        for (var i = 0; i < SafetyModel.Size; i++) largest = Math.Max(largest, Math.Abs(shipped.Weights[i] - retrained.Weights[i]));
        Assert.True(largest < 1e-4f, $"weights differ by up to {largest}");
    }

    /// <summary>
    /// Emergencies from the classifier's training sets that no rule reads (the rules alone leave them
    /// routine or urgent): the gate as shipped calls them emergencies, under the classifier's flag,
    /// so a patient who words one this way is sent to emergency care and the queue.
    /// </summary>
    [Fact]
    public void TheClassifierRaisesEmergenciesTheRulesDoNotRead()
    {
        var missedByRules = TrainRows().Where(v => v.Expected == TriageLevel.Emergency
            && SafetyGate.Assess(v.Message, null).Level != TriageLevel.Emergency).ToList();

        Assert.True(missedByRules.Count >= 50, $"only {missedByRules.Count} rows the rules miss");
        Assert.All(missedByRules, v =>
        {
            var triage = SafetyGate.Assess(v.Message);
            Assert.True(triage.Level == TriageLevel.Emergency, $"{v.File}:{v.Line}: {triage.Level} for: {v.Message}");
            Assert.Equal(SafetyGate.ClassifierFlag, triage.RedFlags[0]);
            Assert.Contains("Call your local emergency number", SafetyGate.EmergencyGuidance(triage));
        });
    }

    /// <summary>
    /// False alarms of the rules on the training sets' non-emergencies (idioms, denials, questions
    /// about a symptom): the classifier's veto lowers most of them to urgent, never to routine, and
    /// the gate keeps at least 90 % specificity on those sets as a whole.
    /// </summary>
    [Fact]
    public void TheClassifierOverrulesTheRulesOnlyDownToUrgent()
    {
        var others = TrainRows().Where(v => v.Expected != TriageLevel.Emergency).ToList();
        var ruleAlarms = others.Where(v => SafetyGate.Assess(v.Message, null).Level == TriageLevel.Emergency).ToList();

        Assert.NotEmpty(ruleAlarms);
        var vetoed = ruleAlarms.Where(v => SafetyGate.Assess(v.Message).Level != TriageLevel.Emergency).ToList();
        Assert.True(vetoed.Count * 2 > ruleAlarms.Count, $"{vetoed.Count} of {ruleAlarms.Count} rule false alarms overruled");
        Assert.All(vetoed, v => Assert.Equal(TriageLevel.Urgent, SafetyGate.Assess(v.Message).Level));
        var specificity = others.Count(v => SafetyGate.Assess(v.Message).Level != TriageLevel.Emergency) / (double)others.Count;
        Assert.True(specificity >= 0.9, $"specificity {specificity:P1}");
    }

    private static List<Vignette> TrainRows() =>
        [.. MedChat.Safety.Vignettes.TrainFiles(VignetteFile.Folder()).SelectMany(MedChat.Safety.Vignettes.Read)];

    /// <summary>The tuning set (vignettes.tsv and tuning-*.tsv), read by the same code as ./safety.</summary>
    private static class VignetteFile
    {
        private static readonly Lazy<List<Vignette>> Rows = new(() => [.. MedChat.Safety.Vignettes.TuningFiles(Folder()).SelectMany(MedChat.Safety.Vignettes.Read)]);

        public static List<Vignette> Read() => Rows.Value;

        /// <summary>The folder of this source file, found from the build output or, failing that, from the compiler's path.</summary>
        public static string Folder([CallerFilePath] string sourceFile = "")
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "MedChat.Tests", "Assistant");
                if (File.Exists(Path.Combine(candidate, "vignettes.tsv"))) return candidate;
            }
            return Path.GetDirectoryName(sourceFile)!;
        }
    }
}
