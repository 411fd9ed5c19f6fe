using System.IO.Compression;

namespace MedChat.Api.Assistant;

/// <summary>
/// The gate's second layer: a small linear text classifier (logistic regression over hashed
/// words, word pairs and character n-grams of the normalised text) that reads emergencies in
/// wording no rule names. It is trained offline by <c>./safety --train</c> on the labelled sets in
/// tests/MedChat.Tests/Assistant and shipped as an embedded resource, so it is deterministic, needs
/// no model server and no download, and scores a message in microseconds. It raises messages to
/// emergency and may lower a rule's emergency only to urgent, when near certain (SafetyGate.Classify,
/// docs/safety.md).
/// </summary>
internal sealed class SafetyModel
{
    public const string ResourceName = "MedChat.Api.Assistant.SafetyModel.bin";
    private const uint Magic = 0x4D43534D; // "MCSM"
    private const int Version = 2;

    /// <summary>Hashed feature space: 2^20 buckets, so collisions between the ~10^5 features seen are rare.</summary>
    public const int Bits = 20;
    public const int Size = 1 << Bits;

    private readonly float[] _weights;

    public SafetyModel(float[] weights, float bias, float raiseUrgent, float raiseRoutine, float veto, byte[] dataHash)
    {
        if (weights.Length != Size) throw new ArgumentException($"expected {Size} weights", nameof(weights));
        _weights = weights;
        Bias = bias;
        RaiseUrgent = raiseUrgent;
        RaiseRoutine = raiseRoutine;
        Veto = veto;
        DataHash = dataHash;
    }

    public float Bias { get; }

    /// <summary>Probability at or above which the model raises a message the rules called urgent.</summary>
    public float RaiseUrgent { get; }

    /// <summary>
    /// Probability at or above which it raises a message in which the rules heard no alarm at all:
    /// higher, because the words alone must then carry the whole case, and everyday chat ("my cough
    /// will not go away") shares words with emergencies ("spots that do not go away under a glass").
    /// </summary>
    public float RaiseRoutine { get; }

    /// <summary>
    /// Probability below which the model overrules a rule's emergency (to urgent): only when it is
    /// near certain the words are an idiom, a denial, a question about a symptom or a past event.
    /// </summary>
    public float Veto { get; }

    /// <summary>SHA-256 of the training rows, so a test can tell when the shipped model is stale.</summary>
    public byte[] DataHash { get; }

    public ReadOnlySpan<float> Weights => _weights;

    /// <summary>The shipped model, read once from the assembly; null only if the build left it out.</summary>
    public static SafetyModel? Shipped => LazyShipped.Value;

    private static readonly Lazy<SafetyModel?> LazyShipped = new(() =>
    {
        using var stream = typeof(SafetyModel).Assembly.GetManifestResourceStream(ResourceName);
        return stream is null ? null : Read(stream);
    });

    /// <summary>
    /// True when every sentence on its own, and the whole message, score below the veto: a long
    /// message of harmless detail must not drown the one sentence that is an emergency.
    /// </summary>
    public bool SurelyNotAnEmergency(string normalized)
    {
        if (Probability(normalized) >= Veto) return false;
        foreach (var sentence in normalized.Split(SentenceEnds, StringSplitOptions.RemoveEmptyEntries))
            if (Probability(sentence) >= Veto) return false;
        return true;
    }

    private static readonly char[] SentenceEnds = ['.', '!', '?', ';', '\n'];

    /// <summary>Probability that the (normalised) text describes an emergency.</summary>
    public double Probability(string normalized)
    {
        var z = (double)Bias;
        var features = SafetyFeatures.Of(normalized);
        var scale = SafetyFeatures.Scale(features.Count);
        foreach (var f in features) z += _weights[f] * scale;
        return 1 / (1 + Math.Exp(-z));
    }

    // File: gzip of [magic, version, bits, bias, raise-urgent, raise-routine, veto, 32-byte data hash, count, count × (index, weight)],
    // little-endian; only non-zero weights are stored.
    public void Write(Stream output)
    {
        using var gz = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true);
        using var w = new BinaryWriter(gz);
        w.Write(Magic); w.Write(Version); w.Write(Bits); w.Write(Bias); w.Write(RaiseUrgent); w.Write(RaiseRoutine); w.Write(Veto);
        w.Write(DataHash);
        var nonZero = 0;
        foreach (var x in _weights) if (x != 0) nonZero++;
        w.Write(nonZero);
        for (var i = 0; i < _weights.Length; i++)
            if (_weights[i] != 0) { w.Write(i); w.Write(_weights[i]); }
    }

    public static SafetyModel Read(Stream input)
    {
        using var gz = new GZipStream(input, CompressionMode.Decompress);
        using var r = new BinaryReader(gz);
        if (r.ReadUInt32() != Magic || r.ReadInt32() != Version || r.ReadInt32() != Bits)
            throw new InvalidDataException("not a MedChat safety model of this version");
        var bias = r.ReadSingle();
        var raiseUrgent = r.ReadSingle();
        var raiseRoutine = r.ReadSingle();
        var veto = r.ReadSingle();
        var hash = r.ReadBytes(32);
        var weights = new float[Size];
        var count = r.ReadInt32();
        for (var k = 0; k < count; k++)
        {
            var i = r.ReadInt32();
            weights[i] = r.ReadSingle();
        }
        return new SafetyModel(weights, bias, raiseUrgent, raiseRoutine, veto, hash);
    }
}

/// <summary>
/// What the classifier sees of a normalised message: words (marked when a "no/not/never/without"
/// governs them in the same clause), adjacent word pairs, ordered pairs a few words apart (so
/// "arm … sweaty" counts wherever the filler falls), and character 3–5-grams of each word (so a
/// misspelling still shares most of its grams with the word). Hashed with FNV-1a, which is stable
/// across processes, unlike string.GetHashCode.
/// </summary>
internal static class SafetyFeatures
{
    private const int PairWindow = 4;
    private const int NegationReach = 3;

    public static List<int> Of(string normalized)
    {
        var features = new List<int>(256);
        var clause = new List<string>(32);
        var negated = new List<bool>(32);
        var reach = 0;
        var start = 0;
        for (var i = 0; i <= normalized.Length; i++)
        {
            var end = i == normalized.Length || !char.IsAsciiLetterOrDigit(normalized[i]);
            if (!end) continue;
            if (i > start)
            {
                var word = normalized[start..i];
                // The rules' denial words; "can not breathe" is an inability, not a denial.
                var isNeg = word is "no" or "never" or "without" or "nor" or "none" or "denies" or "denied" or "deny" or "denying"
                    || (word == "not" && (clause.Count == 0 || clause[^1] is not ("can" or "could")));
                clause.Add(word);
                negated.Add(reach > 0 && !isNeg);
                reach = isNeg ? NegationReach : Math.Max(0, reach - 1);
            }
            start = i + 1;
            if (i < normalized.Length && normalized[i] is '.' or ',' or ';' or ':' or '!' or '?')
            {
                AddClause(clause, negated, features);
                clause.Clear();
                negated.Clear();
                reach = 0;
            }
        }
        AddClause(clause, negated, features);
        return features;
    }

    /// <summary>Features are binary and the sum is scaled by 1/√n^½ so long messages neither drown nor shout.</summary>
    public static double Scale(int count) => count == 0 ? 0 : 1 / Math.Sqrt(Math.Sqrt(count));

    private static void AddClause(List<string> words, List<bool> negated, List<int> features)
    {
        for (var i = 0; i < words.Count; i++)
        {
            var w = words[i];
            // A denied word's spelling pieces are its own too, so "not suicidal" shares nothing with "suicidal".
            var gram = negated[i] ? "nc:" : "c:";
            features.Add(Hash(negated[i] ? "n:" : "w:", w));
            if (i + 1 < words.Count) features.Add(Hash("b:", w, words[i + 1]));
            for (var j = i + 2; j < words.Count && j <= i + PairWindow; j++) features.Add(Hash("p:", w, words[j]));
            if (w.Length >= 3)
            {
                var padded = "<" + w + ">";
                for (var n = 3; n <= 5; n++)
                    for (var k = 0; k + n <= padded.Length; k++)
                        features.Add(Hash(gram, padded.AsSpan(k, n)));
            }
        }
    }

    private const uint Offset = 2166136261;
    private const uint Prime = 16777619;

    private static int Hash(string kind, ReadOnlySpan<char> a, ReadOnlySpan<char> b = default)
    {
        var h = Offset;
        foreach (var c in kind) h = (h ^ c) * Prime;
        foreach (var c in a) h = (h ^ c) * Prime;
        if (!b.IsEmpty)
        {
            h = (h ^ ' ') * Prime;
            foreach (var c in b) h = (h ^ c) * Prime;
        }
        return (int)(h & (SafetyModel.Size - 1));
    }
}
