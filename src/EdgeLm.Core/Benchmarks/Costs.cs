using System.Text.RegularExpressions;

namespace EdgeLm.Core.Benchmarks;

/// <summary>
/// Dollars per million tokens on the device against cloud prices (records.md's CostEstimate), per configuration (the
/// summaries' default grouping) and cloud entry. The device's hour costs its hardware spread over the hours it works
/// in its lifetime plus its electricity at its gross measured power; a token costs the hour divided by the tokens made
/// in it. The formulas are written out in docs/records.md, and every input is on the record.
/// </summary>
public static class Costs
{
    public const double HoursPerYear = 365 * 24;
    public const double DaysPerMonth = 365 / 12.0;
    public const double SecondsPerDay = 86_400;

    /// <summary>Scopes that cover the whole device; any other (cpu-package, gpu-board, module-rails, ...) leaves some of its power out.</summary>
    private static readonly HashSet<string> WholeDeviceScopes = new(StringComparer.OrdinalIgnoreCase) { "wall", "module-input", "board-rails", "platform", "battery" };

    /// <summary>From results: warm-ups left out, grouped by configuration; speeds and power are the medians of the runs.</summary>
    public static IReadOnlyList<CostEstimate> Estimate(IEnumerable<InferenceResult> results, CostSettings settings)
    {
        settings.Validate();
        var bases = new List<CostBasis>();
        foreach (IGrouping<string, InferenceResult> group in results.Where(r => !r.Warmup)
                     .GroupBy(r => string.Join("\u001f", ResultFields.DefaultKeys.Select(k => RecordText.Invariant(ResultFields.Value(r, k))))))
        {
            InferenceResult first = group.First();
            InferenceResult[] powered = group.Where(r => r.AveragePowerWatts is > 0).ToArray();
            var basis = new CostBasis(first.DeviceName, first.ModelName, first.Quantization, first.Threads, first.GpuLayers, first.ContextSize,
                first.PromptTokens, first.RequestedTokens, first.DepthTokens, group.Count(),
                Median(group.Select(r => r.DecodeTokensPerSecond)), Median(group.Select(r => (double?)r.PrefillTokensPerSecond)),
                Median(powered.Select(r => r.AveragePowerWatts)),
                Joined(powered.Select(r => r.EnergyScope)), Joined(powered.Select(r => r.EnergyMethod)), null,
                new CostQuality((bool?)Summaries.Same(group, nameof(InferenceResult.SyntheticWeights)), (string?)Summaries.Same(group, nameof(InferenceResult.QualityReference)),
                    (double?)Summaries.Same(group, nameof(InferenceResult.Perplexity)), (double?)Summaries.Same(group, nameof(InferenceResult.KlDivergenceMean)),
                    (double?)Summaries.Same(group, nameof(InferenceResult.SameTopPercent))));
            bases.Add(basis);
        }

        return Estimate(bases, settings);
    }

    /// <summary>From summaries (piped Measure-EdgeResult output): their medians; a summary carries no power, so the catalog's watts stand in.</summary>
    public static IReadOnlyList<CostEstimate> Estimate(IEnumerable<BenchmarkSummary> summaries, CostSettings settings)
    {
        settings.Validate();
        var bases = summaries.Select(s => new CostBasis(s.DeviceName, s.ModelName, s.Quantization, s.Threads, s.GpuLayers, s.ContextSize,
            s.PromptTokens, s.RequestedTokens, s.DepthTokens, s.Runs, s.DecodeTokensPerSecondMedian, s.PrefillTokensPerSecondMedian,
            null, null, null, "a summary carries no power (pipe the results themselves for measured watts)",
            new CostQuality(s.SyntheticWeights, s.QualityReference, s.Perplexity, s.KlDivergenceMean, s.SameTopPercent))).ToList();
        return Estimate(bases, settings);
    }

    private static IReadOnlyList<CostEstimate> Estimate(IReadOnlyList<CostBasis> bases, CostSettings settings)
    {
        IReadOnlyList<CloudPrice> prices = CloudPrices.Load(settings.CloudPricePath);
        CloudPrice[] chosen = prices.Where(p => settings.CloudModel is not { Count: > 0 } patterns || patterns.Any(w => Like(w, p.Model) || Like(w, p.Provider))).ToArray();
        if (chosen.Length == 0)
        {
            throw new EdgeLmArgumentException("NoCloudPrice",
                $"CloudModel (--cloud-model) {string.Join(", ", settings.CloudModel!)} matches no cloud entry; use one of {string.Join(", ", prices.Select(p => p.Model))}");
        }

        var estimates = new List<CostEstimate>();
        foreach (CostBasis basis in bases)
        {
            CostBoard board = CostBoards.Resolve(basis.DeviceName, settings.Board, settings.BoardPriceUsd);
            foreach (CloudPrice price in chosen)
            {
                estimates.Add(One(basis, board, price, settings));
            }
        }

        return estimates;
    }

    private static CostEstimate One(CostBasis basis, CostBoard board, CloudPrice price, CostSettings settings)
    {
        var reasons = new List<string>();
        (double? watts, string? powerSource) = Power(basis, board, settings, reasons);
        var e = new CostEstimate
        {
            DeviceName = basis.DeviceName, ModelName = basis.ModelName, Quantization = basis.Quantization, Threads = basis.Threads,
            GpuLayers = basis.GpuLayers, ContextSize = basis.ContextSize, PromptTokens = basis.PromptTokens,
            RequestedTokens = basis.RequestedTokens, DepthTokens = basis.DepthTokens, Runs = basis.Runs,
            DecodeTokensPerSecond = basis.Decode, PrefillTokensPerSecond = basis.Prefill,
            PowerWatts = watts, PowerSource = powerSource, EnergyScope = basis.Scope, EnergyMethod = basis.Method,
            SyntheticWeights = basis.Quality.Synthetic, QualityReference = basis.Quality.Reference, Perplexity = basis.Quality.Perplexity,
            KlDivergenceMean = basis.Quality.KlDivergenceMean, SameTopPercent = basis.Quality.SameTopPercent,
            BoardName = board.Name, BoardPriceUsd = board.PriceUsd, BoardPriceSource = board.PriceSource,
            LifetimeYears = settings.LifetimeYears, DutyCycle = settings.DutyCycle, ElectricityUsdPerKwh = settings.ElectricityUsdPerKwh,
            CloudProvider = price.Provider, CloudModel = price.Model,
            CloudUsdPerMillionOutputTokens = price.OutputUsdPerMillionTokens!.Value, CloudUsdPerMillionPromptTokens = price.InputUsdPerMillionTokens!.Value,
            CloudPriceDate = price.Date, CloudPriceSource = price.Source,
            RequestsPerDay = settings.RequestsPerDay,
            PromptTokensPerRequest = settings.PromptTokensPerRequest ?? basis.PromptTokens ?? 0,
            OutputTokensPerRequest = settings.OutputTokensPerRequest ?? basis.RequestedTokens ?? 0,
        };

        // Per working hour: the board's price over the hours it works in its lifetime, plus its electricity.
        e.HardwareUsdPerHour = e.BoardPriceUsd / (e.LifetimeYears * HoursPerYear * e.DutyCycle);
        e.ElectricityUsdPerHour = watts / 1000 * e.ElectricityUsdPerKwh;
        e.DeviceUsdPerHour = e.HardwareUsdPerHour + e.ElectricityUsdPerHour;
        e.DeviceUsdPerMillionOutputTokens = PerMillion(e.DeviceUsdPerHour, e.DecodeTokensPerSecond);
        e.DeviceUsdPerMillionPromptTokens = PerMillion(e.DeviceUsdPerHour, e.PrefillTokensPerSecond);

        // The workload: a request's seconds on the device, what the device can serve in its working day, and money per month.
        e.DeviceSecondsPerRequest = Seconds(e.PromptTokensPerRequest, e.PrefillTokensPerSecond) + Seconds(e.OutputTokensPerRequest, e.DecodeTokensPerSecond);
        e.DeviceMaxRequestsPerDay = e.DeviceSecondsPerRequest > 0 ? SecondsPerDay * e.DutyCycle / e.DeviceSecondsPerRequest : null;
        e.HardwareUsdPerMonth = e.BoardPriceUsd / (e.LifetimeYears * 12);
        e.ElectricityUsdPerRequest = watts * e.DeviceSecondsPerRequest / 3.6e6 * e.ElectricityUsdPerKwh;
        e.CloudUsdPerRequest = (e.PromptTokensPerRequest * e.CloudUsdPerMillionPromptTokens + e.OutputTokensPerRequest * e.CloudUsdPerMillionOutputTokens) / 1e6;
        double? margin = e.CloudUsdPerRequest - e.ElectricityUsdPerRequest;
        e.BreakEvenRequestsPerDay = e.HardwareUsdPerMonth == 0 && margin >= 0 ? 0 : margin > 0 ? e.HardwareUsdPerMonth / (DaysPerMonth * margin) : null;
        if (e.RequestsPerDay is double requests)
        {
            e.DeviceBusySecondsPerDay = requests * e.DeviceSecondsPerRequest;
            e.DeviceCanServe = e.DeviceBusySecondsPerDay is double busy ? busy <= SecondsPerDay * e.DutyCycle : null;
            e.DeviceUsdPerMonth = e.HardwareUsdPerMonth + e.ElectricityUsdPerRequest * requests * DaysPerMonth;
            e.CloudUsdPerMonth = e.CloudUsdPerRequest * requests * DaysPerMonth;
            e.Cheaper = e.DeviceUsdPerMonth is not double device || e.DeviceCanServe != true ? "cloud"
                : device <= e.CloudUsdPerMonth ? "device" : "cloud";
            if (e.DeviceUsdPerMonth is null)
            {
                e.Cheaper = null;
            }
        }

        if (e.DecodeTokensPerSecond is null && e.OutputTokensPerRequest > 0)
        {
            reasons.Add("no decode speed was measured (one generated token per run): no cost per output token");
        }

        e.CostIsEstimate = reasons.Count > 0;
        e.CostEstimateReason = reasons.Count > 0 ? string.Join("; ", reasons) : null;
        return e;
    }

    /// <summary>The power the electricity is charged at, and where it came from; why it makes the cost an estimate goes to <paramref name="reasons"/>.</summary>
    private static (double? Watts, string? Source) Power(CostBasis basis, CostBoard board, CostSettings settings, List<string> reasons)
    {
        if (settings.PowerWatts is double given)
        {
            return (given, "given");
        }

        if (basis.Watts is double measured)
        {
            bool modelled = Has(basis.Method, "estimated-model") || Has(basis.Scope, "estimate");
            if (modelled)
            {
                reasons.Add($"the power was estimated by a model (EnergyMethod {basis.Method}), not measured");
                return (measured, "estimated");
            }

            string[] partial = (basis.Scope ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries).Where(s => !WholeDeviceScopes.Contains(s)).ToArray();
            if (partial.Length > 0 || basis.Scope is null)
            {
                reasons.Add($"the power covers {(basis.Scope is null ? "an unknown scope" : string.Join(" and ", partial))}, not the whole device: the electricity is too low");
            }

            return (measured, "measured");
        }

        reasons.Add(basis.NoPowerReason ?? "no run measured energy");
        if (board.TdpWatts is double tdp)
        {
            reasons.Add($"the catalog's TDP of {RecordText.Invariant(tdp)} W for {board.Name} stands in for the power (an upper bound)");
            return (tdp, "catalog-tdp");
        }

        reasons.Add("no power known: electricity and the device's cost are left empty (measure energy, or give -PowerWatts / --power-watts)");
        return (null, null);
    }

    private static double? PerMillion(double? usdPerHour, double? tokensPerSecond) =>
        tokensPerSecond > 0 ? usdPerHour / (tokensPerSecond * 3600) * 1e6 : null;

    private static double? Seconds(int tokens, double? tokensPerSecond) =>
        tokens == 0 ? 0 : tokensPerSecond > 0 ? tokens / tokensPerSecond : null;

    private static double? Median(IEnumerable<double?> values) => Statistics.Of(values.OfType<double>())?.Median;

    private static string? Joined(IEnumerable<string?> values)
    {
        string[] distinct = values.OfType<string>().Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        return distinct.Length == 0 ? null : string.Join(";", distinct);
    }

    private static bool Has(string? joined, string value) =>
        joined is not null && joined.Split(';').Contains(value, StringComparer.OrdinalIgnoreCase);

    private static bool Like(string pattern, string value) =>
        Regex.IsMatch(value, "^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>One configuration's measured medians (or a summary's), what its cost is computed from.</summary>
    private sealed record CostBasis(
        string? DeviceName, string? ModelName, string? Quantization, int? Threads, int? GpuLayers, int? ContextSize,
        int? PromptTokens, int? RequestedTokens, int? DepthTokens, int Runs, double? Decode, double? Prefill,
        double? Watts, string? Scope, string? Method, string? NoPowerReason, CostQuality Quality);

    /// <summary>The quality figures a configuration's runs carry (null each where they carry none).</summary>
    private sealed record CostQuality(bool? Synthetic, string? Reference, double? Perplexity, double? KlDivergenceMean, double? SameTopPercent);
}
