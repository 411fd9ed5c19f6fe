using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MedChat.Api.Assistant;

namespace MedChat.Safety;

/// <summary>
/// Trains the gate's classifier (<see cref="SafetyModel"/>): L2-regularised logistic regression by
/// AdaGrad over the hashed features, emergency against everything else, with a fixed seed and a
/// fixed row order so the same files always give the same model.
/// </summary>
public static class Training
{
    public sealed record Options(int Epochs = 30, double Rate = 0.3, double L2 = 1e-6, double PositiveWeight = 1.0, float RaiseUrgent = 0.5f, float RaiseRoutine = 0.9f, float Veto = 0.01f);

    /// <summary>Every labelled row the classifier learns from: the tuning files, the spent held-out sets and train-*.tsv.</summary>
    public static List<Vignette> Rows(string folder) =>
        [.. Vignettes.TrainingFiles(folder).SelectMany(Vignettes.Read)];

    internal static SafetyModel Fit(IReadOnlyList<Vignette> rows, Options o)
    {
        var data = rows.Select(r =>
        {
            var features = SafetyFeatures.Of(SafetyText.Normalize(r.Message)).ToArray();
            return (Features: features, Scale: SafetyFeatures.Scale(features.Length), Y: r.Expected == TriageLevel.Emergency ? 1.0 : 0.0);
        }).ToArray();

        var w = new double[SafetyModel.Size];
        var g2 = new double[SafetyModel.Size];
        double bias = 0, biasG2 = 0;
        var order = Enumerable.Range(0, data.Length).ToArray();
        var random = new Random(20261130);
        for (var epoch = 0; epoch < o.Epochs; epoch++)
        {
            random.Shuffle(order);
            foreach (var i in order)
            {
                var (features, scale, y) = data[i];
                var z = bias;
                foreach (var f in features) z += w[f] * scale;
                var p = 1 / (1 + Math.Exp(-z));
                var g = (p - y) * (y > 0 ? o.PositiveWeight : 1);
                foreach (var f in features)
                {
                    var grad = g * scale + o.L2 * w[f];
                    g2[f] += grad * grad;
                    w[f] -= o.Rate * grad / Math.Sqrt(g2[f] + 1e-8);
                }
                biasG2 += g * g;
                bias -= o.Rate * g / Math.Sqrt(biasG2 + 1e-8);
            }
        }
        return new SafetyModel([.. w.Select(x => (float)x)], (float)bias, o.RaiseUrgent, o.RaiseRoutine, o.Veto, DataHash(rows, o));
    }

    /// <summary>SHA-256 over the rows and options a model was trained on: a changed row means a stale model.</summary>
    public static byte[] DataHash(IEnumerable<Vignette> rows, Options o)
    {
        // Invariant formatting: the hash must not depend on the machine's culture ("0.3" vs "0,3").
        var sb = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"{o.Epochs} {o.Rate:R} {o.L2:R} {o.PositiveWeight:R} {o.RaiseUrgent:R} {o.RaiseRoutine:R} {o.Veto:R} {SafetyModel.Bits}\n"));
        foreach (var r in rows) sb.Append(r.Expected).Append('\t').Append(r.Message).Append('\n');
        return SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString()));
    }
}
