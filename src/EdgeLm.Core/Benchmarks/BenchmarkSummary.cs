namespace EdgeLm.Core.Benchmarks;

/// <summary>
/// Statistics per configuration (records.md's BenchmarkSummary): the grouping keys, Runs, then for each figure
/// Mean, StdDev, Median, P5, P95, CiLow, CiHigh (95%, t) and CoefficientOfVariation, named FigureStatistic so a
/// summary is one flat row; Noisy when decode or prefill speed varies by more than 5%.
/// </summary>
public sealed class BenchmarkSummary : IFlatRecord
{
    public const double NoisyCoefficientOfVariation = 0.05;

    /// <summary>Figures summarised, in column order; energy and bandwidth ones only when some run has them.</summary>
    public static readonly IReadOnlyList<string> Figures = new[]
    {
        "DecodeTokensPerSecond", "PrefillTokensPerSecond", "TimeToFirstTokenMs", "InterTokenP95Ms", "LoadMs", "PeakRssBytes",
        "EnergyJoules", "JoulesPerToken", "BandwidthUtilization",
    };

    private static readonly string[] NoiseFigures = { "DecodeTokensPerSecond", "PrefillTokensPerSecond" };

    private readonly List<KeyValuePair<string, object?>> _fields = new();

    public string TypeName => "EdgeLm.BenchmarkSummary";
    public IReadOnlyList<KeyValuePair<string, object?>> Fields => _fields;

    public object? this[string name] => _fields.FirstOrDefault(f => f.Key == name).Value;

    public static IReadOnlyList<BenchmarkSummary> Summarize(IEnumerable<InferenceResult> results, IReadOnlyList<string>? groupBy = null)
    {
        IReadOnlyList<string> keys = ResultFields.Canonical(groupBy is { Count: > 0 } ? groupBy : ResultFields.DefaultKeys);
        InferenceResult[] measured = results.Where(r => !r.Warmup).ToArray();
        string[] figures = Figures.Where(f => measured.Any(r => ResultFields.Number(r, f) is not null)).ToArray();
        var summaries = new List<BenchmarkSummary>();
        foreach (IGrouping<string, InferenceResult> group in measured.GroupBy(r => string.Join("\u001f", keys.Select(k => RecordText.Invariant(ResultFields.Value(r, k))))))
        {
            var summary = new BenchmarkSummary();
            InferenceResult first = group.First();
            foreach (string key in keys)
            {
                summary._fields.Add(new(key, ResultFields.Value(first, key)));
            }

            summary._fields.Add(new("Runs", group.Count()));
            var noisy = new List<string>();
            foreach (string figure in figures)
            {
                Statistics? s = Statistics.Of(group.Select(r => ResultFields.Number(r, figure)).OfType<double>());
                summary._fields.Add(new(figure + "Mean", s?.Mean));
                summary._fields.Add(new(figure + "StdDev", s?.StdDev));
                summary._fields.Add(new(figure + "Median", s?.Median));
                summary._fields.Add(new(figure + "P5", s?.P5));
                summary._fields.Add(new(figure + "P95", s?.P95));
                summary._fields.Add(new(figure + "CiLow", s?.CiLow));
                summary._fields.Add(new(figure + "CiHigh", s?.CiHigh));
                summary._fields.Add(new(figure + "CoefficientOfVariation", s?.CoefficientOfVariation));
                if (NoiseFigures.Contains(figure) && s?.CoefficientOfVariation > NoisyCoefficientOfVariation)
                {
                    noisy.Add(figure);
                }
            }

            summary._fields.Add(new("Noisy", noisy.Count > 0));
            summary._fields.Add(new("NoisyFigures", noisy.Count > 0 ? string.Join(";", noisy) : null));
            summaries.Add(summary);
        }

        return summaries;
    }
}
