namespace EdgeLm.Core.Benchmarks;

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

    private readonly List<KeyValuePair<string, object?>> _fields = new();

    // Default grouping keys (ResultFields.DefaultKeys; DeviceName only when asked for): null when not compared by.
    public string? DeviceName { get; private set; }
    public string? ModelName { get; private set; }
    public string? Quantization { get; private set; }
    public int? Threads { get; private set; }
    public int? GpuLayers { get; private set; }
    public int? ContextSize { get; private set; }
    public int? PromptTokens { get; private set; }
    public int? RequestedTokens { get; private set; }
    public int? DepthTokens { get; private set; }

    /// <summary>The figure compared: DecodeTokensPerSecond, PrefillTokensPerSecond or TimeToFirstTokenMs.</summary>
    public string Figure { get; private set; } = string.Empty;
    public int BaselineRuns { get; private set; }
    public int CandidateRuns { get; private set; }
    public double? BaselineMedian { get; private set; }
    public double? CandidateMedian { get; private set; }
    /// <summary>CandidateMedian / BaselineMedian; null when one side has no runs.</summary>
    public double? Ratio { get; private set; }
    public double? RatioCiLow { get; private set; }
    public double? RatioCiHigh { get; private set; }
    /// <summary>faster, slower, no significant difference, only in baseline or only in candidate.</summary>
    public string Verdict { get; private set; } = string.Empty;

    string IFlatRecord.GetTypeName() => "EdgeLm.ResultComparison";

    IReadOnlyList<KeyValuePair<string, object?>> IFlatRecord.GetFields() => _fields;

    /// <summary>A column by name (keys included), or null.</summary>
    public object? this[string name] => _fields.FirstOrDefault(f => f.Key == name).Value;

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
                    comparison.Add(k, ResultFields.Value(sample, k));
                }

                comparison.Add("Figure", figure);
                comparison.Add("BaselineRuns", x.Length);
                comparison.Add("CandidateRuns", y.Length);
                double? baselineMedian = x.Length > 0 ? Median(x) : null, candidateMedian = y.Length > 0 ? Median(y) : null;
                comparison.Add("BaselineMedian", baselineMedian);
                comparison.Add("CandidateMedian", candidateMedian);
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

                comparison.Add("Ratio", ratio);
                comparison.Add("RatioCiLow", low);
                comparison.Add("RatioCiHigh", high);
                comparison.Add("Verdict", verdict);
                comparisons.Add(comparison);
            }
        }

        return comparisons;
    }

    // A column, and the typed property of the same name where there is one.
    private void Add(string name, object? value)
    {
        _fields.Add(new(name, value));
        TypedRecord.Set(this, name, value);
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
        return (Inference.Percentiles.Of(ratios, 2.5), Inference.Percentiles.Of(ratios, 97.5));
    }

    private static double Median(double[] values)
    {
        double[] sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return Inference.Percentiles.Of(sorted, 50);
    }
}
