// In namespace EdgeLm like InferenceResult, so that PowerShell's type name (TypeNames[0], which the format
// view selects on) is EdgeLm.BenchmarkSummary for the object itself, however it was made.
namespace EdgeLm;

/// <summary>
/// Statistics per configuration (records.md's BenchmarkSummary): the grouping keys, Runs, then for each figure
/// Mean, StdDev, Median, P5, P95, CiLow, CiHigh (95%, t) and CoefficientOfVariation, named FigureStatistic so a
/// summary is one flat row; Noisy when decode or prefill speed varies by more than 5%; the energy basis and the
/// Pareto fronts (speed against energy, speed against memory) among the summaries made together.
/// <para>
/// Its properties are the default grouping keys and every figure's statistics, typed, so that PowerShell
/// completes, sorts and exports them (a key it was not grouped by, or a figure no run measured, is null). Its
/// columns (<see cref="IFlatRecord.GetFields"/>) are exactly what it has: the keys it was grouped by (any
/// InferenceResult property) and the figures some run measured; the CLI and Export-EdgeResult write those.
/// </para>
/// </summary>
public sealed class BenchmarkSummary : IFlatRecord
{
    public const double NoisyCoefficientOfVariation = 0.05;

    /// <summary>Figures summarised, in column order; energy and bandwidth ones only when some run has them.</summary>
    public static readonly IReadOnlyList<string> Figures = new[]
    {
        nameof(InferenceResult.DecodeTokensPerSecond), nameof(InferenceResult.PrefillTokensPerSecond),
        nameof(InferenceResult.TimeToFirstTokenMs), nameof(InferenceResult.InterTokenP95Ms),
        nameof(InferenceResult.LoadMs), nameof(InferenceResult.PeakRssBytes),
        nameof(InferenceResult.EnergyJoules), nameof(InferenceResult.JoulesPerToken),
        nameof(InferenceResult.TokensPerJoule), nameof(InferenceResult.EnergyThroughputTradeoff),
        nameof(InferenceResult.BandwidthUtilization),
    };

    /// <summary>The statistics of each figure, in column order (a column is Figure + Statistic).</summary>
    public static readonly IReadOnlyList<string> StatisticNames = new[] { "Mean", "StdDev", "Median", "P5", "P95", "CiLow", "CiHigh", "CoefficientOfVariation" };

    internal readonly GroupKeys Keys = new();
    internal string[]? FigureColumns;
    /// <summary>Whether the quality columns are written: some run of the call carried quality figures (null: this summary has them).</summary>
    internal bool? QualityColumns;

    // Default grouping keys (ResultFields.DefaultKeys): null when not grouped by.
    public string? DeviceName { get; set; }
    public string? ModelName { get; set; }
    public string? Quantization { get; set; }
    public int? Threads { get; set; }
    public int? GpuLayers { get; set; }
    public int? ContextSize { get; set; }
    public int? PromptTokens { get; set; }
    public int? RequestedTokens { get; set; }
    public int? DepthTokens { get; set; }

    /// <summary>Measured runs (warm-ups never count).</summary>
    public int Runs { get; set; }

    /// <summary>Measured runs that shared the CPU with another load (InferenceResult.Contended); null when no run says.</summary>
    public int? ContendedRuns { get; set; }

    // Figure statistics: null when no run of this configuration has the figure.
    public double? DecodeTokensPerSecondMean { get; set; }
    public double? DecodeTokensPerSecondStdDev { get; set; }
    public double? DecodeTokensPerSecondMedian { get; set; }
    public double? DecodeTokensPerSecondP5 { get; set; }
    public double? DecodeTokensPerSecondP95 { get; set; }
    public double? DecodeTokensPerSecondCiLow { get; set; }
    public double? DecodeTokensPerSecondCiHigh { get; set; }
    public double? DecodeTokensPerSecondCoefficientOfVariation { get; set; }

    public double? PrefillTokensPerSecondMean { get; set; }
    public double? PrefillTokensPerSecondStdDev { get; set; }
    public double? PrefillTokensPerSecondMedian { get; set; }
    public double? PrefillTokensPerSecondP5 { get; set; }
    public double? PrefillTokensPerSecondP95 { get; set; }
    public double? PrefillTokensPerSecondCiLow { get; set; }
    public double? PrefillTokensPerSecondCiHigh { get; set; }
    public double? PrefillTokensPerSecondCoefficientOfVariation { get; set; }

    public double? TimeToFirstTokenMsMean { get; set; }
    public double? TimeToFirstTokenMsStdDev { get; set; }
    public double? TimeToFirstTokenMsMedian { get; set; }
    public double? TimeToFirstTokenMsP5 { get; set; }
    public double? TimeToFirstTokenMsP95 { get; set; }
    public double? TimeToFirstTokenMsCiLow { get; set; }
    public double? TimeToFirstTokenMsCiHigh { get; set; }
    public double? TimeToFirstTokenMsCoefficientOfVariation { get; set; }

    public double? InterTokenP95MsMean { get; set; }
    public double? InterTokenP95MsStdDev { get; set; }
    public double? InterTokenP95MsMedian { get; set; }
    public double? InterTokenP95MsP5 { get; set; }
    public double? InterTokenP95MsP95 { get; set; }
    public double? InterTokenP95MsCiLow { get; set; }
    public double? InterTokenP95MsCiHigh { get; set; }
    public double? InterTokenP95MsCoefficientOfVariation { get; set; }

    public double? LoadMsMean { get; set; }
    public double? LoadMsStdDev { get; set; }
    public double? LoadMsMedian { get; set; }
    public double? LoadMsP5 { get; set; }
    public double? LoadMsP95 { get; set; }
    public double? LoadMsCiLow { get; set; }
    public double? LoadMsCiHigh { get; set; }
    public double? LoadMsCoefficientOfVariation { get; set; }

    public double? PeakRssBytesMean { get; set; }
    public double? PeakRssBytesStdDev { get; set; }
    public double? PeakRssBytesMedian { get; set; }
    public double? PeakRssBytesP5 { get; set; }
    public double? PeakRssBytesP95 { get; set; }
    public double? PeakRssBytesCiLow { get; set; }
    public double? PeakRssBytesCiHigh { get; set; }
    public double? PeakRssBytesCoefficientOfVariation { get; set; }

    public double? EnergyJoulesMean { get; set; }
    public double? EnergyJoulesStdDev { get; set; }
    public double? EnergyJoulesMedian { get; set; }
    public double? EnergyJoulesP5 { get; set; }
    public double? EnergyJoulesP95 { get; set; }
    public double? EnergyJoulesCiLow { get; set; }
    public double? EnergyJoulesCiHigh { get; set; }
    public double? EnergyJoulesCoefficientOfVariation { get; set; }

    public double? JoulesPerTokenMean { get; set; }
    public double? JoulesPerTokenStdDev { get; set; }
    public double? JoulesPerTokenMedian { get; set; }
    public double? JoulesPerTokenP5 { get; set; }
    public double? JoulesPerTokenP95 { get; set; }
    public double? JoulesPerTokenCiLow { get; set; }
    public double? JoulesPerTokenCiHigh { get; set; }
    public double? JoulesPerTokenCoefficientOfVariation { get; set; }

    public double? TokensPerJouleMean { get; set; }
    public double? TokensPerJouleStdDev { get; set; }
    public double? TokensPerJouleMedian { get; set; }
    public double? TokensPerJouleP5 { get; set; }
    public double? TokensPerJouleP95 { get; set; }
    public double? TokensPerJouleCiLow { get; set; }
    public double? TokensPerJouleCiHigh { get; set; }
    public double? TokensPerJouleCoefficientOfVariation { get; set; }

    public double? EnergyThroughputTradeoffMean { get; set; }
    public double? EnergyThroughputTradeoffStdDev { get; set; }
    public double? EnergyThroughputTradeoffMedian { get; set; }
    public double? EnergyThroughputTradeoffP5 { get; set; }
    public double? EnergyThroughputTradeoffP95 { get; set; }
    public double? EnergyThroughputTradeoffCiLow { get; set; }
    public double? EnergyThroughputTradeoffCiHigh { get; set; }
    public double? EnergyThroughputTradeoffCoefficientOfVariation { get; set; }
    public double? BandwidthUtilizationMean { get; set; }
    public double? BandwidthUtilizationStdDev { get; set; }
    public double? BandwidthUtilizationMedian { get; set; }
    public double? BandwidthUtilizationP5 { get; set; }
    public double? BandwidthUtilizationP95 { get; set; }
    public double? BandwidthUtilizationCiLow { get; set; }
    public double? BandwidthUtilizationCiHigh { get; set; }
    public double? BandwidthUtilizationCoefficientOfVariation { get; set; }

    /// <summary>True when decode or prefill speed varies by more than 5% (coefficient of variation).</summary>
    public bool Noisy { get; set; }

    /// <summary>The figures that made the summary noisy, ';'-joined.</summary>
    public string? NoisyFigures { get; set; }

    /// <summary>net, gross (no idle baseline: the energy per token includes idle power) or mixed; null without energy.</summary>
    public string? EnergyBasis { get; set; }

    /// <summary>
    /// On the Pareto front of decode speed against energy per token (medians) among the summaries made together:
    /// no other configuration is at least as fast and as frugal and better in one. Null without both figures.
    /// </summary>
    public bool? ParetoSpeedEnergy { get; set; }

    /// <summary>The configurations that dominate this one on speed and energy, '; '-joined; null on the front.</summary>
    public string? SpeedEnergyDominatedBy { get; set; }

    /// <summary>On the Pareto front of decode speed against peak memory (medians); null without both figures.</summary>
    public bool? ParetoSpeedMemory { get; set; }

    /// <summary>The configurations that dominate this one on speed and memory, '; '-joined; null on the front.</summary>
    public string? SpeedMemoryDominatedBy { get; set; }

    // Quality (a plan's quality section): the runs' model's figures, the same on each of its runs; null when the runs
    // carry none, or carry different ones (a group of several models).
    public bool? SyntheticWeights { get; set; }
    public string? QualityReference { get; set; }
    public double? Perplexity { get; set; }
    public double? PerplexityUncertainty { get; set; }
    public double? PerplexityRatio { get; set; }
    public double? KlDivergenceMean { get; set; }
    public double? KlDivergenceP99 { get; set; }
    public double? DeltaPRmsPercent { get; set; }
    public double? SameTopPercent { get; set; }

    /// <summary>On the Pareto front of decode speed (median) against KL divergence from the reference (mean); null without both.</summary>
    public bool? ParetoSpeedQuality { get; set; }

    /// <summary>The configurations that dominate this one on speed and quality, '; '-joined; null on the front.</summary>
    public string? SpeedQualityDominatedBy { get; set; }

    /// <summary>The quality columns, in order (InferenceResult's names).</summary>
    internal static readonly IReadOnlyList<string> QualityFigures = new[]
    {
        nameof(SyntheticWeights), nameof(QualityReference), nameof(Perplexity), nameof(PerplexityUncertainty), nameof(PerplexityRatio),
        nameof(KlDivergenceMean), nameof(KlDivergenceP99), nameof(DeltaPRmsPercent), nameof(SameTopPercent),
    };

    /// <summary>A column by name (keys included), or null.</summary>
    public object? this[string name] => ((IFlatRecord)this).GetFields().FirstOrDefault(f => f.Key == name).Value;

    string IFlatRecord.GetTypeName() => "EdgeLm.BenchmarkSummary";

    /// <summary>
    /// The keys, Runs, the statistics of each figure some run measured, Noisy and NoisyFigures. A summary made
    /// by hand (not by Summaries.Summarize) has the default keys and the figures it has values for.
    /// </summary>
    IReadOnlyList<KeyValuePair<string, object?>> IFlatRecord.GetFields()
    {
        var fields = Keys.Fields(this).ToList();
        fields.Add(new("Runs", Runs));
        fields.Add(new("ContendedRuns", ContendedRuns));
        IReadOnlyList<string> figures = FigureColumns ?? Figures.Where(f => StatisticNames.Any(s => TypedRecord.Get(this, f + s) is not null)).ToArray();
        foreach (string figure in figures)
        {
            fields.AddRange(StatisticNames.Select(s => new KeyValuePair<string, object?>(figure + s, TypedRecord.Get(this, figure + s))));
        }

        fields.Add(new("Noisy", Noisy));
        fields.Add(new("NoisyFigures", NoisyFigures));
        // Like the figures, the energy and front columns exist when their figures do, the same for every row of one call.
        bool speed = figures.Contains(nameof(InferenceResult.DecodeTokensPerSecond));
        if (figures.Contains(nameof(InferenceResult.JoulesPerToken)))
        {
            fields.Add(new("EnergyBasis", EnergyBasis));
            if (speed)
            {
                fields.Add(new("ParetoSpeedEnergy", ParetoSpeedEnergy));
                fields.Add(new("SpeedEnergyDominatedBy", SpeedEnergyDominatedBy));
            }
        }

        if (speed && figures.Contains(nameof(InferenceResult.PeakRssBytes)))
        {
            fields.Add(new("ParetoSpeedMemory", ParetoSpeedMemory));
            fields.Add(new("SpeedMemoryDominatedBy", SpeedMemoryDominatedBy));
        }

        if (QualityColumns ?? Perplexity is not null)
        {
            fields.AddRange(QualityFigures.Select(q => new KeyValuePair<string, object?>(q, TypedRecord.Get(this, q))));
            if (speed)
            {
                fields.Add(new("ParetoSpeedQuality", ParetoSpeedQuality));
                fields.Add(new("SpeedQualityDominatedBy", SpeedQualityDominatedBy));
            }
        }

        return fields;
    }
}
