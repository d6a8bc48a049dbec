namespace EdgeLm.Core.Report;

/// <summary>
/// The speed-energy plane with each device's Pareto front and S_t, and speed against memory: which configurations
/// are worth considering at all (Measure-EdgeResult's fronts, drawn).
/// </summary>
internal static class TradeoffSection
{
    public static void Write(ReportContext context, HtmlDocument html)
    {
        html.Heading(2, "Trade-offs", "tradeoffs");
        Plane(context, html, "speed-energy", "energy per token, J/token", s => s.JoulesPerTokenMedian, s => s.ParetoSpeedEnergy,
            s => $"{ReportText.Number(s.JoulesPerTokenMedian)} J/token ({s.EnergyBasis}), S_t {ReportText.Number(s.EnergyThroughputTradeoffMedian)} J·s/token²",
            "The speed-energy plane: each configuration's median decode speed against its median energy per generated token (net of the idle baseline " +
            "when one was measured, else gross: see the environment). Ringed and joined: each device's Pareto front, where no configuration is both " +
            "faster and more frugal. S_t = J/token ÷ tokens/s (the study's throughput-energy trade-off, the per-token energy-delay product) is in " +
            "each point's tooltip and the table below; lower is better.",
            "Energy was not measured (Invoke-EdgeBenchmark -MeasureEnergy, edgelm bench --energy): no speed-energy plane.");
        Plane(context, html, "speed-memory", "peak memory, GB", s => s.PeakRssBytesMedian / 1e9, s => s.ParetoSpeedMemory,
            s => $"peak memory {ReportText.Bytes(s.PeakRssBytesMedian)}",
            "Speed against peak memory: median decode speed and median peak resident memory per configuration; ringed and joined: each device's Pareto front.",
            "No run recorded both decode speed and peak memory: no speed-memory plane.");
    }

    private static void Plane(ReportContext context, HtmlDocument html, string id, string yAxis, Func<BenchmarkSummary, double?> cost,
        Func<BenchmarkSummary, bool?> onFront, Func<BenchmarkSummary, string> detail, string caption, string missing)
    {
        var series = new List<ScatterSeries>();
        for (int d = 0; d < context.Devices.Count; d++)
        {
            string device = context.Devices[d];
            BenchmarkSummary[] points = context.Summaries.Where(s => s.DeviceName == device && s.DecodeTokensPerSecondMedian is not null && cost(s) is double c && double.IsFinite(c)).ToArray();
            if (points.Length == 0)
            {
                continue;
            }

            series.Add(new ScatterSeries(context.Devices.Count > 1 ? device : "configurations",
                points.Select(s => new ScatterPoint(s.DecodeTokensPerSecondMedian!.Value, cost(s)!.Value,
                    $"{context.Label(s)} on {device}: {ReportText.Number(s.DecodeTokensPerSecondMedian)} tokens/s, {detail(s)}{(onFront(s) == true ? "; on the Pareto front" : string.Empty)}")).ToArray(), d));
            ScatterPoint[] front = points.Where(s => onFront(s) == true).OrderBy(s => s.DecodeTokensPerSecondMedian)
                .Select(s => new ScatterPoint(s.DecodeTokensPerSecondMedian!.Value, cost(s)!.Value, string.Empty)).ToArray();
            if (front.Length > 0)
            {
                series.Add(new ScatterSeries($"Pareto front{(context.Devices.Count > 1 ? " · " + device : string.Empty)}", front, d, Line: true, Hollow: true));
            }
        }

        if (series.Count == 0)
        {
            html.Paragraph(missing, "missing");
            return;
        }

        html.Figure(new ScatterChart { Id = id, Description = $"Decode speed against {yAxis}", XAxis = "Decode speed, tokens/s", YAxis = yAxis, Series = series }.Render(), caption);
    }
}
