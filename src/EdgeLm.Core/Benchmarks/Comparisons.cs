namespace EdgeLm.Core.Benchmarks;

/// <summary>Baseline against candidate per configuration and figure, with a bootstrap interval on the ratio of medians.</summary>
public static class Comparisons
{
    // Bootstrap resamples: enough for stable 95% bounds on a ratio of medians.
    private const int Resamples = 2000;

    public static IReadOnlyList<ResultComparison> Compare(IEnumerable<InferenceResult> baseline, IEnumerable<InferenceResult> candidate, IReadOnlyList<string>? groupBy = null)
    {
        // The device is what usually differs between baseline and candidate: not a key unless asked for.
        IReadOnlyList<string> keys = ResultFields.Canonical(groupBy is { Count: > 0 }
            ? groupBy
            : ResultFields.DefaultKeys.Where(k => k != nameof(InferenceResult.DeviceName)).ToArray());
        string KeyOf(InferenceResult r) => string.Join("\u001f", keys.Select(k => RecordText.Invariant(ResultFields.Value(r, k))));
        var before = baseline.Where(r => !r.Warmup).GroupBy(KeyOf).ToDictionary(g => g.Key, g => g.ToArray());
        var after = candidate.Where(r => !r.Warmup).GroupBy(KeyOf).ToDictionary(g => g.Key, g => g.ToArray());
        var comparisons = new List<ResultComparison>();
        foreach (string key in before.Keys.Concat(after.Keys).Distinct())
        {
            InferenceResult[] b = before.GetValueOrDefault(key) ?? Array.Empty<InferenceResult>();
            InferenceResult[] c = after.GetValueOrDefault(key) ?? Array.Empty<InferenceResult>();
            InferenceResult sample = b.FirstOrDefault() ?? c.First();
            foreach ((string figure, bool higherIsBetter) in ResultComparison.Figures)
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
                    comparison.Keys.Set(comparison, k, ResultFields.Value(sample, k));
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
        return (Percentiles.Of(ratios, 2.5), Percentiles.Of(ratios, 97.5));
    }

    private static double Median(double[] values)
    {
        double[] sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return Percentiles.Of(sorted, 50);
    }
}
