using EdgeLm.Core.Benchmarks;

// In namespace EdgeLm like InferenceResult: TypeNames[0] is EdgeLm.ResultComparison, which the format view selects on.
namespace EdgeLm;

/// <summary>
/// Candidate against baseline per configuration and figure: the ratio of medians (candidate / baseline) with a 95%
/// bootstrap confidence interval (2000 resamples, seeded, so the same files give the same answer) and a verdict:
/// faster, slower, or no significant difference (the interval contains 1). For times, lower is faster.
/// Like <see cref="BenchmarkSummary"/>: typed properties for the default keys and every column PowerShell
/// completes, and its flat record's columns (<see cref="IFlatRecord.GetFields"/>) with exactly the keys compared by.
/// </summary>
public sealed class ResultComparison : IFlatRecord
{
    private const int Resamples = 2000;

    /// <summary>Figures compared and whether a higher value is better.</summary>
    public static readonly IReadOnlyList<(string Figure, bool HigherIsBetter)> Figures = new[]
    {
        ("DecodeTokensPerSecond", true), ("PrefillTokensPerSecond", true), ("TimeToFirstTokenMs", false),
    };

    private readonly GroupKeys _keys = new();

    // Default grouping keys (ResultFields.DefaultKeys; DeviceName only when asked for): null when not compared by.
    public string? DeviceName { get; set; }
    public string? ModelName { get; set; }
    public string? Quantization { get; set; }
    public int? Threads { get; set; }
    public int? GpuLayers { get; set; }
    public int? ContextSize { get; set; }
    public int? PromptTokens { get; set; }
    public int? RequestedTokens { get; set; }
    public int? DepthTokens { get; set; }

    /// <summary>The figure compared: DecodeTokensPerSecond, PrefillTokensPerSecond or TimeToFirstTokenMs.</summary>
    public string Figure { get; set; } = string.Empty;
    public int BaselineRuns { get; set; }
    public int CandidateRuns { get; set; }
    public double? BaselineMedian { get; set; }
    public double? CandidateMedian { get; set; }
    /// <summary>CandidateMedian / BaselineMedian; null when one side has no runs.</summary>
    public double? Ratio { get; set; }
    public double? RatioCiLow { get; set; }
    public double? RatioCiHigh { get; set; }
    /// <summary>faster, slower, no significant difference, only in baseline or only in candidate.</summary>
    public string Verdict { get; set; } = string.Empty;

    string IFlatRecord.GetTypeName() => "EdgeLm.ResultComparison";

    /// <summary>The keys compared by, then Figure, the runs and medians of both sides, Ratio with its interval and Verdict.</summary>
    IReadOnlyList<KeyValuePair<string, object?>> IFlatRecord.GetFields() =>
        _keys.Fields(this).Concat(new KeyValuePair<string, object?>[]
        {
            new("Figure", Figure), new("BaselineRuns", BaselineRuns), new("CandidateRuns", CandidateRuns),
            new("BaselineMedian", BaselineMedian), new("CandidateMedian", CandidateMedian),
            new("Ratio", Ratio), new("RatioCiLow", RatioCiLow), new("RatioCiHigh", RatioCiHigh), new("Verdict", Verdict),
        }).ToArray();

    /// <summary>A column by name (keys included), or null.</summary>
    public object? this[string name] => ((IFlatRecord)this).GetFields().FirstOrDefault(f => f.Key == name).Value;

    public static IReadOnlyList<ResultComparison> Compare(IEnumerable<InferenceResult> baseline, IEnumerable<InferenceResult> candidate, IReadOnlyList<string>? groupBy = null)
    {
        IReadOnlyList<string> keys = ResultFields.Canonical(groupBy is { Count: > 0 } ? groupBy : ResultFields.DefaultKeys.Where(k => k != "DeviceName").ToArray());
        string KeyOf(InferenceResult r) => string.Join("\u001f", keys.Select(k => RecordText.Invariant(ResultFields.Value(r, k))));
        var before = baseline.Where(r => !r.Warmup).GroupBy(KeyOf).ToDictionary(g => g.Key, g => g.ToArray());
        var after = candidate.Where(r => !r.Warmup).GroupBy(KeyOf).ToDictionary(g => g.Key, g => g.ToArray());
        var comparisons = new List<ResultComparison>();
        foreach (string key in before.Keys.Concat(after.Keys).Distinct())
        {
            InferenceResult[] b = before.GetValueOrDefault(key) ?? Array.Empty<InferenceResult>();
            InferenceResult[] c = after.GetValueOrDefault(key) ?? Array.Empty<InferenceResult>();
            InferenceResult sample = b.FirstOrDefault() ?? c.First();
            foreach ((string figure, bool higherIsBetter) in Figures)
            {
                double[] x = b.Select(r => ResultFields.Number(r, figure)).OfType<double>().ToArray();
                double[] y = c.Select(r => ResultFields.Number(r, figure)).OfType<double>().ToArray();
                if (x.Length == 0 && y.Length == 0)
                {
                    continue;
                }

                var comparison = new ResultComparison();
                foreach (string k in keys)
                {
                    comparison._keys.Set(comparison, k, ResultFields.Value(sample, k));
                }

                comparison.Figure = figure;
                comparison.BaselineRuns = x.Length;
                comparison.CandidateRuns = y.Length;
                double? baselineMedian = x.Length > 0 ? Median(x) : null, candidateMedian = y.Length > 0 ? Median(y) : null;
                comparison.BaselineMedian = baselineMedian;
                comparison.CandidateMedian = candidateMedian;
                string verdict;
                double? ratio = null, low = null, high = null;
                if (x.Length == 0 || y.Length == 0)
                {
                    verdict = x.Length == 0 ? "only in candidate" : "only in baseline";
                }
                else
                {
                    ratio = candidateMedian / baselineMedian;
                    (low, high) = BootstrapRatio(x, y);
                    bool better = higherIsBetter ? low > 1 : high < 1;
                    bool worse = higherIsBetter ? high < 1 : low > 1;
                    verdict = better ? "faster" : worse ? "slower" : "no significant difference";
                }

                comparison.Ratio = ratio;
                comparison.RatioCiLow = low;
                comparison.RatioCiHigh = high;
                comparison.Verdict = verdict;
                comparisons.Add(comparison);
            }
        }

        return comparisons;
    }

    /// <summary>The 2.5% and 97.5% percentiles of the ratio of medians over resamples of both sides.</summary>
    internal static (double Low, double High) BootstrapRatio(double[] baseline, double[] candidate)
    {
        var random = new Random(20251121);
        var ratios = new double[Resamples];
        var b = new double[baseline.Length];
        var c = new double[candidate.Length];
        for (int i = 0; i < Resamples; i++)
        {
            for (int j = 0; j < b.Length; j++) b[j] = baseline[random.Next(baseline.Length)];
            for (int j = 0; j < c.Length; j++) c[j] = candidate[random.Next(candidate.Length)];
            ratios[i] = Median(c) / Median(b);
        }

        Array.Sort(ratios);
        return (Core.Inference.Percentiles.Of(ratios, 2.5), Core.Inference.Percentiles.Of(ratios, 97.5));
    }

    private static double Median(double[] values)
    {
        double[] sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return Core.Inference.Percentiles.Of(sorted, 50);
    }
}
