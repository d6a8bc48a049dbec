namespace EdgeLm.Core.Report;

/// <summary>
/// Every configuration in one table (only the columns that differ between rows; the rest said once below it), and
/// the warnings a reader must see before trusting a figure: noisy speeds, shared CPUs, estimated energy, throttling.
/// </summary>
internal static class ConfigurationSection
{
    public static void Write(ReportContext context, HtmlDocument html)
    {
        html.Heading(2, "Every configuration", "configurations");
        (string Name, bool Numeric, Func<BenchmarkSummary, string> Value)[] columns =
        {
            ("Device", false, s => s.DeviceName ?? string.Empty),
            ("Configuration", false, context.Label),
            ("Runs", true, s => s.Runs.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Decode tokens/s", true, s => ReportText.Number(s.DecodeTokensPerSecondMedian)),
            ("Prefill tokens/s", true, s => ReportText.Number(s.PrefillTokensPerSecondMedian)),
            ("TTFT ms", true, s => ReportText.Number(s.TimeToFirstTokenMsMedian)),
            ("Inter-token P95 ms", true, s => ReportText.Number(s.InterTokenP95MsMedian)),
            ("Load ms", true, s => ReportText.Number(s.LoadMsMedian)),
            ("Peak memory", true, s => ReportText.Bytes(s.PeakRssBytesMedian)),
            ("J/token", true, s => ReportText.Number(s.JoulesPerTokenMedian)),
            ("S_t J·s/token²", true, s => ReportText.Number(s.EnergyThroughputTradeoffMedian)),
            ("KLD", true, s => ReportText.Number(s.KlDivergenceMean)),
            ("Warnings", false, s => string.Join("; ", Warnings(context, s))),
        };
        BenchmarkSummary[] summaries = context.Summaries.ToArray();
        var shown = columns.Where(c => c.Name is "Configuration" or "Warnings" || summaries.Select(c.Value).Distinct().Count() > 1).ToArray();
        var same = columns.Except(shown).Where(c => summaries.Length > 0 && c.Value(summaries[0]).Length > 0).ToArray();
        html.Table(shown.Select(c => c.Name).ToArray(), summaries.Select(s => (IReadOnlyList<string>)shown.Select(c => c.Value(s)).ToArray()),
            shown.Select((c, i) => (c, i)).Where(x => x.c.Numeric).Select(x => x.i).ToHashSet(),
            "Medians over each configuration's measured runs (warm-ups left out); docs/records.md defines every column.");
        if (same.Length > 0)
        {
            html.Paragraph("The same in every row: " + string.Join("; ", same.Select(c => $"{c.Name} {c.Value(summaries[0])}")) + ".");
        }

        string[] warnings = summaries.SelectMany(s => Warnings(context, s).Select(w => $"{context.Label(s)} on {s.DeviceName}: {w}")).ToArray();
        html.Heading(3, "Warnings");
        if (warnings.Length == 0)
        {
            html.Paragraph("None: no configuration was noisy, contended, throttled or measured with estimated energy.");
        }

        foreach (string warning in warnings)
        {
            html.Note(warning);
        }
    }

    private static IEnumerable<string> Warnings(ReportContext context, BenchmarkSummary summary)
    {
        InferenceResult[] runs = context.Runs.Where(r => r.DeviceName == summary.DeviceName && context.Label(r) == context.Label(summary)).ToArray();
        if (summary.Noisy)
        {
            yield return $"noisy ({summary.NoisyFigures?.Replace(";", ", ")} vary by more than 5%)";
        }

        if (summary.ContendedRuns is > 0)
        {
            yield return $"{summary.ContendedRuns} of {summary.Runs} runs shared the CPU";
        }

        if (runs.Any(r => r.EnergyMethod == "estimated-model" || r.EnergyScope == "estimate"))
        {
            yield return "energy estimated by a model, not measured";
        }

        if (runs.Any(r => r.Throttled == true))
        {
            yield return $"{runs.Count(r => r.Throttled == true)} runs throttled";
        }
    }
}
