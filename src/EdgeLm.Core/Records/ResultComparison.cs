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
    /// <summary>Figures compared and whether a higher value is better.</summary>
    public static readonly IReadOnlyList<(string Figure, bool HigherIsBetter)> Figures = new[]
    {
        (nameof(InferenceResult.DecodeTokensPerSecond), true),
        (nameof(InferenceResult.PrefillTokensPerSecond), true),
        (nameof(InferenceResult.TimeToFirstTokenMs), false),
    };

    internal readonly GroupKeys Keys = new();

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
        Keys.Fields(this).Concat(new KeyValuePair<string, object?>[]
        {
            new("Figure", Figure), new("BaselineRuns", BaselineRuns), new("CandidateRuns", CandidateRuns),
            new("BaselineMedian", BaselineMedian), new("CandidateMedian", CandidateMedian),
            new("Ratio", Ratio), new("RatioCiLow", RatioCiLow), new("RatioCiHigh", RatioCiHigh), new("Verdict", Verdict),
        }).ToArray();

    /// <summary>A column by name (keys included), or null.</summary>
    public object? this[string name] => ((IFlatRecord)this).GetFields().FirstOrDefault(f => f.Key == name).Value;
}
