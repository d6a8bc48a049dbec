using System.Reflection;

namespace EdgeLm.Core.Benchmarks;

/// <summary>
/// Statistics per configuration (records.md's BenchmarkSummary): the grouping keys, Runs, then for each figure
/// Mean, StdDev, Median, P5, P95, CiLow, CiHigh (95%, t) and CoefficientOfVariation, named FigureStatistic so a
/// summary is one flat row; Noisy when decode or prefill speed varies by more than 5%.
/// <para>
/// Two views of one summary. Its properties are the default grouping keys and every figure's statistics, typed, so
/// PowerShell completes and sorts them (a key it was not grouped by, or a figure no run measured, is null).
/// Its columns (<see cref="IFlatRecord.GetFields"/>) are exactly what it has: the keys it was grouped by (any
/// InferenceResult property) and the figures some run measured; the CLI and Export-EdgeResult write those.
/// </para>
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

    /// <summary>The statistics of each figure, in column order (a column is Figure + Statistic).</summary>
    public static readonly IReadOnlyList<string> StatisticNames = new[] { "Mean", "StdDev", "Median", "P5", "P95", "CiLow", "CiHigh", "CoefficientOfVariation" };

    private static readonly string[] NoiseFigures = { "DecodeTokensPerSecond", "PrefillTokensPerSecond" };

    private readonly List<KeyValuePair<string, object?>> _fields = new();

    // Default grouping keys (ResultFields.DefaultKeys): null when this summary is not grouped by them.
    public string? DeviceName { get; private set; }
    public string? ModelName { get; private set; }
    public string? Quantization { get; private set; }
    public int? Threads { get; private set; }
    public int? GpuLayers { get; private set; }
    public int? ContextSize { get; private set; }
    public int? PromptTokens { get; private set; }
    public int? RequestedTokens { get; private set; }
    public int? DepthTokens { get; private set; }

    /// <summary>Measured runs (warm-ups never count).</summary>
    public int Runs { get; private set; }

    // Figure statistics: null when no run of this configuration has the figure.
    public double? DecodeTokensPerSecondMean { get; private set; }
    public double? DecodeTokensPerSecondStdDev { get; private set; }
    public double? DecodeTokensPerSecondMedian { get; private set; }
    public double? DecodeTokensPerSecondP5 { get; private set; }
    public double? DecodeTokensPerSecondP95 { get; private set; }
    public double? DecodeTokensPerSecondCiLow { get; private set; }
    public double? DecodeTokensPerSecondCiHigh { get; private set; }
    public double? DecodeTokensPerSecondCoefficientOfVariation { get; private set; }

    public double? PrefillTokensPerSecondMean { get; private set; }
    public double? PrefillTokensPerSecondStdDev { get; private set; }
    public double? PrefillTokensPerSecondMedian { get; private set; }
    public double? PrefillTokensPerSecondP5 { get; private set; }
    public double? PrefillTokensPerSecondP95 { get; private set; }
    public double? PrefillTokensPerSecondCiLow { get; private set; }
    public double? PrefillTokensPerSecondCiHigh { get; private set; }
    public double? PrefillTokensPerSecondCoefficientOfVariation { get; private set; }

    public double? TimeToFirstTokenMsMean { get; private set; }
    public double? TimeToFirstTokenMsStdDev { get; private set; }
    public double? TimeToFirstTokenMsMedian { get; private set; }
    public double? TimeToFirstTokenMsP5 { get; private set; }
    public double? TimeToFirstTokenMsP95 { get; private set; }
    public double? TimeToFirstTokenMsCiLow { get; private set; }
    public double? TimeToFirstTokenMsCiHigh { get; private set; }
    public double? TimeToFirstTokenMsCoefficientOfVariation { get; private set; }

    public double? InterTokenP95MsMean { get; private set; }
    public double? InterTokenP95MsStdDev { get; private set; }
    public double? InterTokenP95MsMedian { get; private set; }
    public double? InterTokenP95MsP5 { get; private set; }
    public double? InterTokenP95MsP95 { get; private set; }
    public double? InterTokenP95MsCiLow { get; private set; }
    public double? InterTokenP95MsCiHigh { get; private set; }
    public double? InterTokenP95MsCoefficientOfVariation { get; private set; }

    public double? LoadMsMean { get; private set; }
    public double? LoadMsStdDev { get; private set; }
    public double? LoadMsMedian { get; private set; }
    public double? LoadMsP5 { get; private set; }
    public double? LoadMsP95 { get; private set; }
    public double? LoadMsCiLow { get; private set; }
    public double? LoadMsCiHigh { get; private set; }
    public double? LoadMsCoefficientOfVariation { get; private set; }

    public double? PeakRssBytesMean { get; private set; }
    public double? PeakRssBytesStdDev { get; private set; }
    public double? PeakRssBytesMedian { get; private set; }
    public double? PeakRssBytesP5 { get; private set; }
    public double? PeakRssBytesP95 { get; private set; }
    public double? PeakRssBytesCiLow { get; private set; }
    public double? PeakRssBytesCiHigh { get; private set; }
    public double? PeakRssBytesCoefficientOfVariation { get; private set; }

    public double? EnergyJoulesMean { get; private set; }
    public double? EnergyJoulesStdDev { get; private set; }
    public double? EnergyJoulesMedian { get; private set; }
    public double? EnergyJoulesP5 { get; private set; }
    public double? EnergyJoulesP95 { get; private set; }
    public double? EnergyJoulesCiLow { get; private set; }
    public double? EnergyJoulesCiHigh { get; private set; }
    public double? EnergyJoulesCoefficientOfVariation { get; private set; }

    public double? JoulesPerTokenMean { get; private set; }
    public double? JoulesPerTokenStdDev { get; private set; }
    public double? JoulesPerTokenMedian { get; private set; }
    public double? JoulesPerTokenP5 { get; private set; }
    public double? JoulesPerTokenP95 { get; private set; }
    public double? JoulesPerTokenCiLow { get; private set; }
    public double? JoulesPerTokenCiHigh { get; private set; }
    public double? JoulesPerTokenCoefficientOfVariation { get; private set; }

    public double? BandwidthUtilizationMean { get; private set; }
    public double? BandwidthUtilizationStdDev { get; private set; }
    public double? BandwidthUtilizationMedian { get; private set; }
    public double? BandwidthUtilizationP5 { get; private set; }
    public double? BandwidthUtilizationP95 { get; private set; }
    public double? BandwidthUtilizationCiLow { get; private set; }
    public double? BandwidthUtilizationCiHigh { get; private set; }
    public double? BandwidthUtilizationCoefficientOfVariation { get; private set; }

    /// <summary>True when decode or prefill speed varies by more than 5% (coefficient of variation).</summary>
    public bool Noisy { get; private set; }

    /// <summary>The figures that made the summary noisy, ';'-joined.</summary>
    public string? NoisyFigures { get; private set; }

    string IFlatRecord.GetTypeName() => "EdgeLm.BenchmarkSummary";

    IReadOnlyList<KeyValuePair<string, object?>> IFlatRecord.GetFields() => _fields;

    /// <summary>A column by name (keys included), or null.</summary>
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
                summary.Add(key, ResultFields.Value(first, key));
            }

            summary.Add("Runs", group.Count());
            var noisy = new List<string>();
            foreach (string figure in figures)
            {
                Statistics? s = Statistics.Of(group.Select(r => ResultFields.Number(r, figure)).OfType<double>());
                summary.Add(figure + "Mean", s?.Mean);
                summary.Add(figure + "StdDev", s?.StdDev);
                summary.Add(figure + "Median", s?.Median);
                summary.Add(figure + "P5", s?.P5);
                summary.Add(figure + "P95", s?.P95);
                summary.Add(figure + "CiLow", s?.CiLow);
                summary.Add(figure + "CiHigh", s?.CiHigh);
                summary.Add(figure + "CoefficientOfVariation", s?.CoefficientOfVariation);
                if (NoiseFigures.Contains(figure) && s?.CoefficientOfVariation > NoisyCoefficientOfVariation)
                {
                    noisy.Add(figure);
                }
            }

            summary.Add("Noisy", noisy.Count > 0);
            summary.Add("NoisyFigures", noisy.Count > 0 ? string.Join(";", noisy) : null);
            summaries.Add(summary);
        }

        return summaries;
    }

    // A column, and the typed property of the same name where there is one.
    private void Add(string name, object? value)
    {
        _fields.Add(new(name, value));
        TypedRecord.Set(this, name, value);
    }
}

/// <summary>Sets a flat record's typed property from one of its columns (a column without a property stays a column only).</summary>
internal static class TypedRecord
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Type, string), PropertyInfo?> Properties = new();

    public static void Set(object record, string name, object? value)
    {
        PropertyInfo? property = Properties.GetOrAdd((record.GetType(), name), k => k.Item1.GetProperty(k.Item2, BindingFlags.Public | BindingFlags.Instance));
        if (property is not null && property.GetIndexParameters().Length == 0)
        {
            property.SetValue(record, value);
        }
    }
}
