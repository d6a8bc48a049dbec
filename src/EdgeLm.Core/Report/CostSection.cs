using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Core.Report;

/// <summary>
/// Dollars per million generated tokens on each device against the cloud price table, and the break-even volume
/// (Measure-EdgeCost's figures, with its defaults: every input is in its record and docs/records.md).
/// </summary>
internal static class CostSection
{
    private static readonly string[] DefaultCloudModels = { "gpt-4o-mini", "gemini-2.5-flash", "claude-haiku-4-5" };

    public static void Write(ReportContext context, HtmlDocument html)
    {
        html.Heading(2, "Cost", "cost");
        var settings = new CostSettings
        {
            Board = context.Request.Board,
            BoardPriceUsd = context.Request.BoardPriceUsd,
            CloudModel = context.Request.CloudModel is { Count: > 0 } chosen ? chosen : DefaultCloudModels,
            RequestsPerDay = 1000,
        };
        var estimates = new List<CostEstimate>();
        foreach (string device in context.Devices)
        {
            try
            {
                estimates.AddRange(Costs.Estimate(context.Runs.Where(r => r.DeviceName == device), settings));
            }
            catch (EdgeLmException e)
            {
                html.Note($"{device}: no cost: {e.Message}.");
            }
        }

        CostEstimate[] priced = estimates.Where(e => e.DeviceUsdPerMillionOutputTokens is not null).ToArray();
        if (priced.Length == 0)
        {
            html.Paragraph("Cost: no configuration could be priced (see above).", "missing");
            return;
        }

        var rows = new List<BarRow>();
        foreach (string configuration in context.Configurations)
        {
            BarValue?[] values = context.Devices.Select(device =>
                priced.FirstOrDefault(e => e.DeviceName == device && Label(context, e) == configuration) is { } e
                    ? new BarValue(e.DeviceUsdPerMillionOutputTokens!.Value, null, null,
                        $"{configuration} on {device}: {ReportText.Number(e.DeviceUsdPerMillionOutputTokens)} USD per million generated tokens ({e.PowerSource ?? "no"} power{(e.CostIsEstimate ? ", an estimate" : string.Empty)})")
                    : null).ToArray();
            if (values.Any(v => v is not null))
            {
                rows.Add(new BarRow(configuration, values));
            }
        }

        ReferenceLine[] clouds = priced.GroupBy(e => e.CloudModel)
            .Select(g => new ReferenceLine(g.First().CloudUsdPerMillionOutputTokens, $"{g.Key} {ReportText.Number(g.First().CloudUsdPerMillionOutputTokens)}")).ToArray();
        CostEstimate sample = priced[0];
        html.Figure(new BarChart
        {
            Id = "cost", Description = "Cost per million generated tokens, device and cloud", Axis = "USD per million generated tokens",
            Series = context.Devices, Rows = rows, LogScale = true, References = clouds,
        }.Render(),
            $"What a million generated tokens cost on the device: its price ({sample.BoardPriceSource}) spread over {ReportText.Number(sample.LifetimeYears)} years " +
            $"of work at a duty cycle of {ReportText.Number(sample.DutyCycle)}, plus electricity at {ReportText.Number(sample.ElectricityUsdPerKwh)} USD/kWh and the " +
            "runs' measured gross power (the catalog's TDP, an upper bound, where energy was not measured), at the median decode speed; the dashed lines are " +
            "the cloud prices per million output tokens (dated, with their sources, in the cost table of docs/records.md). Log scale.");
        // One row per configuration, the clouds side by side: a reader compares a configuration with each of them.
        string[] cloudNames = priced.Select(e => e.CloudModel).Distinct(StringComparer.Ordinal).ToArray();
        var header = new List<string> { "Device", "Configuration", "Device USD/M out", "Device max requests/day" };
        header.AddRange(cloudNames.Select(c => $"Break-even requests/day vs {c}"));
        header.Add("Estimate");
        var table = priced.GroupBy(e => (e.DeviceName, Label(context, e))).Select(g => (IReadOnlyList<string>)new[]
            {
                g.Key.DeviceName ?? string.Empty, g.Key.Item2, ReportText.Number(g.First().DeviceUsdPerMillionOutputTokens), ReportText.Number(g.First().DeviceMaxRequestsPerDay),
            }.Concat(cloudNames.Select(c => ReportText.Number(g.FirstOrDefault(e => e.CloudModel == c)?.BreakEvenRequestsPerDay)))
            .Append(g.First().CostIsEstimate ? "yes" : "no").ToArray()).ToArray();
        html.Table(header, table, Enumerable.Range(2, 2 + cloudNames.Length).ToHashSet(),
            $"Break-even: the requests per day ({sample.PromptTokensPerRequest} prompt and {sample.OutputTokensPerRequest} generated tokens each, the runs' own) at which the device's " +
            "monthly cost meets the cloud's; above the device's maximum it cannot serve the volume that would pay for it. Empty: the cloud request costs no more than the device's electricity.");
        foreach (string reason in priced.Where(e => e.CostIsEstimate).Select(e => e.CostEstimateReason).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            html.Note($"An estimate: {reason}.");
        }
    }

    private static string Label(ReportContext context, CostEstimate estimate) =>
        context.Summaries.FirstOrDefault(s => s.DeviceName == estimate.DeviceName && s.ModelName == estimate.ModelName && s.Quantization == estimate.Quantization
            && s.Threads == estimate.Threads && s.GpuLayers == estimate.GpuLayers && s.ContextSize == estimate.ContextSize && s.PromptTokens == estimate.PromptTokens
            && s.RequestedTokens == estimate.RequestedTokens && s.DepthTokens == estimate.DepthTokens) is { } summary ? context.Label(summary) : $"{estimate.ModelName} {estimate.Quantization}";
}
