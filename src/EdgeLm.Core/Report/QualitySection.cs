namespace EdgeLm.Core.Report;

/// <summary>
/// Quality next to speed, when measured: KL divergence from the reference against decode speed (per reference), the
/// perplexity figures per model, and the prompt suites' pass rates. Figures come from the runs (a plan's quality
/// section) or from QualityResult and PromptSuiteSummary records given beside them, joined by the model file's hash.
/// </summary>
internal static class QualitySection
{
    public static void Write(ReportContext context, HtmlDocument html)
    {
        html.Heading(2, "Quality", "quality");
        (BenchmarkSummary Summary, Figures Figures)[] rows = context.Summaries.Select(s => (s, FiguresOf(context, s))).Where(r => r.Item2.Any).ToArray();
        // Quality belongs to a model, not to its thread counts: one table row per model and device.
        (BenchmarkSummary Summary, Figures Figures)[] models = rows.DistinctBy(r => (r.Summary.DeviceName, r.Summary.ModelName, r.Summary.Quantization)).ToArray();
        if (rows.Length == 0 && context.Request.Prompts.Count == 0)
        {
            html.Paragraph("Quality was not measured: give a plan a 'quality' section, or add Measure-EdgeQuality's records (edgelm report --quality q.jsonl) " +
                "and Test-EdgePrompt -Summary's.", "missing");
            return;
        }

        var series = new List<ScatterSeries>();
        foreach (IGrouping<string, (BenchmarkSummary Summary, Figures Figures)> reference in rows
                     .Where(r => r.Figures.Kld is not null && r.Summary.DecodeTokensPerSecondMedian is not null).GroupBy(r => r.Figures.Reference ?? "reference"))
        {
            series.Add(new ScatterSeries($"against {reference.Key}", reference.Select(r => new ScatterPoint(r.Summary.DecodeTokensPerSecondMedian!.Value, r.Figures.Kld!.Value,
                $"{context.Label(r.Summary)} on {r.Summary.DeviceName}: {ReportText.Number(r.Summary.DecodeTokensPerSecondMedian)} tokens/s, KL divergence {ReportText.Number(r.Figures.Kld)}, same top token {ReportText.Number(r.Figures.SameTop)}%")).ToArray(),
                series.Count));
        }

        if (series.Count > 0)
        {
            html.Figure(new ScatterChart
            {
                Id = "quality", Description = "Decode speed against KL divergence from the reference", XAxis = "Decode speed, tokens/s",
                YAxis = "KL divergence from the reference, nats", Series = series,
            }.Render(),
                "What a faster quantization costs in answers: median decode speed against the mean KL divergence of each model's next-token distributions " +
                "from its reference's over the quality text (llama-perplexity's KLD, computed as it does), one series per reference; lower is closer to the " +
                "reference, which itself sits at 0 by definition.");
        }

        if (rows.Length > 0)
        {
            html.Table(new[] { "Device", "Model", "Perplexity", "± ", "PPL ratio", "KLD", "Same top %", "Reference", "Random weights" },
                models.Select(r => (IReadOnlyList<string>)new[]
                {
                    r.Summary.DeviceName ?? string.Empty, $"{r.Summary.ModelName} {r.Summary.Quantization}", ReportText.Number(r.Figures.Perplexity), ReportText.Number(r.Figures.PerplexityUncertainty),
                    ReportText.Number(r.Figures.Ratio), ReportText.Number(r.Figures.Kld), ReportText.Number(r.Figures.SameTop), r.Figures.Reference ?? string.Empty,
                    r.Figures.Synthetic == true ? "yes: perplexity means nothing" : "no",
                }),
                new HashSet<int> { 2, 3, 4, 5, 6 },
                "Perplexity over the quality text (compare only rows of the same text and context), its ratio to the reference's, KL divergence and the share of positions where the top token is the reference's.");
        }

        PromptSuiteSummary[] prompts = context.Request.Prompts.ToArray();
        if (prompts.Length > 0)
        {
            html.Figure(new BarChart
            {
                Id = "prompts", Description = "Prompt suite pass rate per model", Axis = "Prompts passed, %",
                Rows = prompts.Select(p => new BarRow($"{p.ModelName} {p.Quantization} ({p.Suite})",
                    new BarValue?[] { new(100 * p.PassRate, null, null, $"{p.ModelName} {p.Quantization}: {p.Passed} of {p.Prompts} prompts passed{(p.ChangedOutputs is int changed ? $", {changed} answers changed from the reference model's" : string.Empty)}") })).ToArray(),
            }.Render(),
                "The prompt suites' pass rates (Test-EdgePrompt: greedy answers checked for content, format and length)" +
                (prompts.Any(p => p.SyntheticWeights) ? "; a synthetic model's answers are noise, so its pass rate says nothing about quality." : "."));
        }
    }

    private sealed record Figures(double? Perplexity, double? PerplexityUncertainty, double? Ratio, double? Kld, double? SameTop, string? Reference, bool? Synthetic)
    {
        public bool Any => Perplexity is not null || Kld is not null;
    }

    /// <summary>A configuration's quality: what its runs carry, else a QualityResult of the same model file (by hash), the latest.</summary>
    private static Figures FiguresOf(ReportContext context, BenchmarkSummary summary)
    {
        if (summary.Perplexity is not null)
        {
            return new Figures(summary.Perplexity, summary.PerplexityUncertainty, summary.PerplexityRatio, summary.KlDivergenceMean, summary.SameTopPercent,
                summary.QualityReference, summary.SyntheticWeights);
        }

        string? sha = context.Runs.FirstOrDefault(r => r.DeviceName == summary.DeviceName && r.ModelName == summary.ModelName && r.Quantization == summary.Quantization)?.ModelSha256;
        QualityResult? measured = context.Request.Quality.Where(q => sha is { Length: > 0 } && q.ModelSha256 == sha).OrderBy(q => q.Timestamp, StringComparer.Ordinal).LastOrDefault();
        return measured is null
            ? new Figures(null, null, null, null, null, null, null)
            : new Figures(measured.Perplexity, measured.PerplexityUncertainty, measured.PerplexityRatio, measured.KlDivergenceMean, measured.SameTopPercent,
                measured.ReferenceModelName is null ? null : $"{measured.ReferenceModelName} {measured.ReferenceQuantization}", measured.SyntheticWeights);
    }
}
