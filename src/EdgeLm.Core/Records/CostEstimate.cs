// In namespace EdgeLm like BenchmarkSummary, so PowerShell's type name (which the format view selects on) is EdgeLm.CostEstimate.
namespace EdgeLm;

/// <summary>
/// What a configuration's tokens cost on the device against one cloud price (records.md's CostEstimate): one row per
/// configuration and cloud entry, flat, with every input the figures were computed from, so a reader can recompute
/// them (the formulas are in docs/records.md).
/// </summary>
public sealed class CostEstimate
{
    // The configuration (ResultFields.DefaultKeys, as in BenchmarkSummary).
    public string? DeviceName { get; set; }
    public string? ModelName { get; set; }
    public string? Quantization { get; set; }
    public int? Threads { get; set; }
    public int? GpuLayers { get; set; }
    public int? ContextSize { get; set; }
    public int? PromptTokens { get; set; }
    public int? RequestedTokens { get; set; }
    public int? DepthTokens { get; set; }

    /// <summary>Measured runs the speeds and power are the medians of.</summary>
    public int Runs { get; set; }

    // Measured speed and power (medians over the runs).
    public double? DecodeTokensPerSecond { get; set; }
    public double? PrefillTokensPerSecond { get; set; }
    public double? PowerWatts { get; set; }

    /// <summary>measured, estimated (a model, not a meter), catalog-tdp (no energy measured), given (-PowerWatts), or null (none: no electricity cost).</summary>
    public string? PowerSource { get; set; }

    /// <summary>The runs' EnergyScope and EnergyMethod, ';'-joined when they differ.</summary>
    public string? EnergyScope { get; set; }
    public string? EnergyMethod { get; set; }

    // Quality (when the runs carry a plan's quality figures): what the tokens are worth, beside what they cost.
    public bool? SyntheticWeights { get; set; }
    public string? QualityReference { get; set; }
    public double? Perplexity { get; set; }
    public double? KlDivergenceMean { get; set; }
    public double? SameTopPercent { get; set; }

    // The device's cost inputs, defaults included.
    public string? BoardName { get; set; }
    public double BoardPriceUsd { get; set; }

    /// <summary>catalog (the board catalog's list price) or given (-BoardPriceUsd).</summary>
    public string BoardPriceSource { get; set; } = string.Empty;
    public double LifetimeYears { get; set; }
    public double DutyCycle { get; set; }
    public double ElectricityUsdPerKwh { get; set; }

    // Device cost per working hour and per million tokens.
    public double HardwareUsdPerHour { get; set; }
    public double? ElectricityUsdPerHour { get; set; }
    public double? DeviceUsdPerHour { get; set; }
    public double? DeviceUsdPerMillionOutputTokens { get; set; }
    public double? DeviceUsdPerMillionPromptTokens { get; set; }

    // The cloud entry compared against.
    public string CloudProvider { get; set; } = string.Empty;
    public string CloudModel { get; set; } = string.Empty;
    public double CloudUsdPerMillionOutputTokens { get; set; }
    public double CloudUsdPerMillionPromptTokens { get; set; }
    public string? CloudPriceDate { get; set; }
    public string? CloudPriceSource { get; set; }

    // The workload: requests per day of a prompt and output length.
    public double? RequestsPerDay { get; set; }
    public int PromptTokensPerRequest { get; set; }
    public int OutputTokensPerRequest { get; set; }
    public double? DeviceSecondsPerRequest { get; set; }
    public double? DeviceMaxRequestsPerDay { get; set; }
    public double? DeviceBusySecondsPerDay { get; set; }
    public bool? DeviceCanServe { get; set; }
    public double HardwareUsdPerMonth { get; set; }
    public double? ElectricityUsdPerRequest { get; set; }
    public double CloudUsdPerRequest { get; set; }
    public double? DeviceUsdPerMonth { get; set; }
    public double? CloudUsdPerMonth { get; set; }
    public double? BreakEvenRequestsPerDay { get; set; }

    /// <summary>device or cloud at the workload (cloud when the device cannot serve it); null without -RequestsPerDay.</summary>
    public string? Cheaper { get; set; }

    /// <summary>True when the power is not a whole-device meter reading (estimated, partial scope, catalog watts) or missing.</summary>
    public bool CostIsEstimate { get; set; }

    /// <summary>Why the cost is an estimate, '; '-joined; null when it is not.</summary>
    public string? CostEstimateReason { get; set; }
}
