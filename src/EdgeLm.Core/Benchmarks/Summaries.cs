namespace EdgeLm.Core.Benchmarks;

/// <summary>
/// Statistics per configuration: results grouped by keys, each figure summarised (records.md's BenchmarkSummary),
/// and the Pareto fronts marked among the summaries made together.
/// </summary>
public static class Summaries
{
    private static readonly string[] NoiseFigures =
    {
        nameof(InferenceResult.DecodeTokensPerSecond), nameof(InferenceResult.PrefillTokensPerSecond),
    };

    public static IReadOnlyList<BenchmarkSummary> Summarize(IEnumerable<InferenceResult> results, IReadOnlyList<string>? groupBy = null)
    {
        IReadOnlyList<string> keys = ResultFields.Canonical(groupBy is { Count: > 0 } ? groupBy : ResultFields.DefaultKeys);
        InferenceResult[] measured = results.Where(r => !r.Warmup).ToArray();
        string[] figures = BenchmarkSummary.Figures.Where(f => measured.Any(r => ResultFields.Number(r, f) is not null)).ToArray();
        bool quality = measured.Any(r => r.Perplexity is not null);
        var summaries = new List<BenchmarkSummary>();
        foreach (IGrouping<string, InferenceResult> group in measured.GroupBy(r => string.Join("\u001f", keys.Select(k => RecordText.Invariant(ResultFields.Value(r, k))))))
        {
            var summary = new BenchmarkSummary { FigureColumns = figures, QualityColumns = quality };
            InferenceResult first = group.First();
            foreach (string key in keys)
            {
                summary.Keys.Set(summary, key, ResultFields.Value(first, key));
            }

            summary.Runs = group.Count();
            summary.ContendedRuns = group.Any(r => r.Contended is not null) ? group.Count(r => r.Contended == true) : null;
            var noisy = new List<string>();
            foreach (string figure in figures)
            {
                Statistics? s = Statistics.Of(group.Select(r => ResultFields.Number(r, figure)).OfType<double>());
                double?[] values = { s?.Mean, s?.StdDev, s?.Median, s?.P5, s?.P95, s?.CiLow, s?.CiHigh, s?.CoefficientOfVariation };
                for (int i = 0; i < values.Length; i++)
                {
                    TypedRecord.Set(summary, figure + BenchmarkSummary.StatisticNames[i], values[i]);
                }

                if (NoiseFigures.Contains(figure) && s?.CoefficientOfVariation > BenchmarkSummary.NoisyCoefficientOfVariation)
                {
                    noisy.Add(figure);
                }
            }

            summary.Noisy = noisy.Count > 0;
            summary.NoisyFigures = noisy.Count > 0 ? string.Join(";", noisy) : null;
            string[] bases = group.Select(r => r.EnergyBasis).OfType<string>().Distinct().ToArray();
            summary.EnergyBasis = bases.Length switch { 0 => null, 1 => bases[0], _ => "mixed" };
            foreach (string figure in BenchmarkSummary.QualityFigures)
            {
                TypedRecord.Set(summary, figure, Same(group, figure));
            }

            summaries.Add(summary);
        }

        ParetoFront.Mark(summaries);
        return summaries;
    }

    /// <summary>
    /// A figure measured once per model (quality), as the runs carry it: a group holding different values (several
    /// models, or several measurements) has none, rather than one of them.
    /// </summary>
    internal static object? Same(IEnumerable<InferenceResult> runs, string figure)
    {
        object?[] values = runs.Select(r => ResultFields.Value(r, figure)).Distinct().Take(2).ToArray();
        return values.Length == 1 ? values[0] : null;
    }
}
