using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Core.Report;

/// <summary>Time to first token over the runs, and the inter-token latency percentiles, per configuration and device.</summary>
internal static class LatencySection
{
    public static void Write(ReportContext context, HtmlDocument html)
    {
        html.Heading(2, "Latency", "latency");
        var first = new List<RangeRow>();
        var between = new List<RangeRow>();
        foreach (string configuration in context.Configurations)
        {
            foreach (string device in context.Devices)
            {
                InferenceResult[] runs = context.Runs.Where(r => r.DeviceName == device && context.Label(r) == configuration).ToArray();
                if (runs.Length == 0)
                {
                    continue;
                }

                string label = context.Devices.Count > 1 ? $"{configuration} · {device}" : configuration;
                double[] ttft = runs.Select(r => r.TimeToFirstTokenMs).Order().ToArray();
                first.Add(new RangeRow(label, context.DeviceIndex(device), ttft[0], Percentiles.Of(ttft, 25), Percentiles.Of(ttft, 50), Percentiles.Of(ttft, 75), ttft[^1],
                    $"{label}: time to first token over {ttft.Length} runs: min {ReportText.Number(ttft[0])}, median {ReportText.Number(Percentiles.Of(ttft, 50))}, max {ReportText.Number(ttft[^1])} ms"));
                double? p50 = Median(runs.Select(r => r.InterTokenP50Ms)), p95 = Median(runs.Select(r => r.InterTokenP95Ms));
                double? p99 = Median(runs.Select(r => r.InterTokenP99Ms)), max = Median(runs.Select(r => r.InterTokenMaxMs));
                if (p50 is double median && max is double highest)
                {
                    var ticks = new List<(double, string)>();
                    if (p95 is double a) ticks.Add((a, "95"));
                    if (p99 is double b) ticks.Add((b, "99"));
                    between.Add(new RangeRow(label, context.DeviceIndex(device), median, null, median, null, highest,
                        $"{label}: inter-token latency, medians over {runs.Length} runs: P50 {ReportText.Number(p50)}, P95 {ReportText.Number(p95)}, P99 {ReportText.Number(p99)}, max {ReportText.Number(max)} ms", ticks));
                }
            }
        }

        if (first.Count > 0)
        {
            html.Figure(new RangeChart { Id = "ttft", Description = "Time to first token per configuration", Axis = "Time to first token, ms", Series = context.Devices, Rows = first }.Render(),
                "Time to first token: from the request to the first generated token (prompt processing included), over the runs: the line spans the fastest to the slowest run, the box the middle half, the thick tick the median. Lower is better.");
        }

        if (between.Count > 0)
        {
            html.Figure(new RangeChart { Id = "itl", Description = "Inter-token latency per configuration", Axis = "Inter-token latency, ms", Series = context.Devices, Rows = between }.Render(),
                "Inter-token latency: the time between consecutive generated tokens, as each run's percentiles (medians over the runs): the thick tick is P50, the ticks marked 95 and 99 are P95 and P99, the line ends at the slowest token. A long tail means stalls a reader notices.");
        }
        else
        {
            html.Paragraph("Inter-token latency: no run generated more than one token.", "missing");
        }
    }

    private static double? Median(IEnumerable<double?> values) => Statistics.Of(values.OfType<double>())?.Median;
}
