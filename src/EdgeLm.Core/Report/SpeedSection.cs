namespace EdgeLm.Core.Report;

/// <summary>Decode and prefill speed per configuration, one bar per device, with 95% confidence intervals.</summary>
internal static class SpeedSection
{
    public static void Write(ReportContext context, HtmlDocument html)
    {
        html.Heading(2, "Speed", "speed");
        Chart(context, html, "decode", "Decode speed", "tokens/s", s => (s.DecodeTokensPerSecondMedian, s.DecodeTokensPerSecondCiLow, s.DecodeTokensPerSecondCiHigh),
            "Decode: generated tokens per second of decoding (after the first token, llama.cpp's own token count), median over the runs");
        Chart(context, html, "prefill", "Prefill speed", "tokens/s", s => (s.PrefillTokensPerSecondMedian, s.PrefillTokensPerSecondCiLow, s.PrefillTokensPerSecondCiHigh),
            "Prefill: prompt tokens per second of prompt processing, median over the runs");
    }

    private static void Chart(ReportContext context, HtmlDocument html, string id, string title, string unit,
        Func<BenchmarkSummary, (double? Median, double? Low, double? High)> figure, string what)
    {
        var rows = new List<BarRow>();
        foreach (string configuration in context.Configurations)
        {
            var values = new List<BarValue?>();
            foreach (string device in context.Devices)
            {
                BenchmarkSummary? summary = context.Summary(configuration, device);
                (double? median, double? low, double? high) = summary is null ? (null, null, null) : figure(summary);
                // A speed is never below zero; a t interval over few noisy runs can reach below it.
                low = low is double l ? Math.Max(0, l) : null;
                values.Add(median is double m
                    ? new BarValue(m, low, high, $"{configuration} on {device}: {ReportText.Number(m)} {unit} (95% CI {ReportText.Number(low)} to {ReportText.Number(high)}, {summary!.Runs} runs)")
                    : null);
            }

            if (values.Any(v => v is not null))
            {
                rows.Add(new BarRow(configuration, values));
            }
        }

        if (rows.Count == 0)
        {
            html.Paragraph($"{title}: no run measured it.", "missing");
            return;
        }

        var chart = new BarChart { Id = id, Description = $"{title} per configuration", Axis = $"{title}, {unit}", Series = context.Devices, Rows = rows };
        html.Figure(chart.Render(), $"{what}; whiskers: the 95% confidence interval of the mean (Student's t). " +
            "One bar per device; higher is faster. Every figure is in docs/records.md.");
    }
}
