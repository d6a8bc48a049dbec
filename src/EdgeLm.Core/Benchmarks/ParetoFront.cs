namespace EdgeLm.Core.Benchmarks;

/// <summary>
/// Marks the summaries on the Pareto front of decode speed (higher is better) against a cost (lower is better: energy
/// per token and peak memory by their medians, KL divergence from the quality reference by its mean), and names for
/// every other one the configurations that dominate it: at least as fast and as cheap, and strictly better in one
/// (for quality, among the summaries with the same reference). Summaries without both figures are left out (null), never counted as dominated.
/// </summary>
internal static class ParetoFront
{
    public static void Mark(IReadOnlyList<BenchmarkSummary> summaries)
    {
        Mark(summaries, s => s.JoulesPerTokenMedian, (s, front, by) => { s.ParetoSpeedEnergy = front; s.SpeedEnergyDominatedBy = by; });
        Mark(summaries, s => s.PeakRssBytesMedian, (s, front, by) => { s.ParetoSpeedMemory = front; s.SpeedMemoryDominatedBy = by; });
        // Quality's cost is the KL divergence from the reference: the one quality figure comparable across quantizations
        // (perplexity of a random-weight model means nothing, and differs in meaning between tokenizers). It compares
        // only against the same reference, so the front is drawn among the quantizations of one model at a time.
        foreach (IGrouping<string?, BenchmarkSummary> model in summaries.GroupBy(s => s.QualityReference))
        {
            Mark(model.ToArray(), s => model.Key is null ? null : s.KlDivergenceMean, (s, front, by) => { s.ParetoSpeedQuality = front; s.SpeedQualityDominatedBy = by; });
        }
    }

    private static void Mark(IReadOnlyList<BenchmarkSummary> summaries, Func<BenchmarkSummary, double?> cost, Action<BenchmarkSummary, bool?, string?> set)
    {
        var points = summaries
            .Select(s => (Summary: s, Speed: s.DecodeTokensPerSecondMedian, Cost: cost(s)))
            .Where(p => p.Speed is double speed && double.IsFinite(speed) && p.Cost is double c && double.IsFinite(c))
            .Select(p => (p.Summary, Speed: p.Speed!.Value, Cost: p.Cost!.Value))
            .ToArray();
        foreach (BenchmarkSummary summary in summaries)
        {
            set(summary, null, null);
        }

        foreach (var point in points)
        {
            string[] dominators = points
                .Where(other => other.Speed >= point.Speed && other.Cost <= point.Cost && (other.Speed > point.Speed || other.Cost < point.Cost))
                .Select(other => Label(other.Summary))
                .ToArray();
            set(point.Summary, dominators.Length == 0, dominators.Length == 0 ? null : string.Join("; ", dominators));
        }
    }

    /// <summary>A configuration by the keys it was grouped by: "synthetic-tiny Q4_0 t=4 ngl=0 ctx=512 p=128 n=128 d=0".</summary>
    internal static string Label(BenchmarkSummary summary)
    {
        var parts = new List<string>();
        foreach ((string key, object? value) in summary.Keys.Fields(summary))
        {
            if (value is null)
            {
                continue;
            }

            string text = RecordText.Invariant(value);
            parts.Add(key switch
            {
                nameof(BenchmarkSummary.DeviceName) or nameof(BenchmarkSummary.ModelName) or nameof(BenchmarkSummary.Quantization) => text,
                nameof(BenchmarkSummary.Threads) => "t=" + text,
                nameof(BenchmarkSummary.GpuLayers) => "ngl=" + text,
                nameof(BenchmarkSummary.ContextSize) => "ctx=" + text,
                nameof(BenchmarkSummary.PromptTokens) => "p=" + text,
                nameof(BenchmarkSummary.RequestedTokens) => "n=" + text,
                nameof(BenchmarkSummary.DepthTokens) => "d=" + text,
                _ => key + "=" + text,
            });
        }

        return string.Join(' ', parts);
    }
}
