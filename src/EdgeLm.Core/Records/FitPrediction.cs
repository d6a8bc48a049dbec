// In namespace EdgeLm like InferenceResult: TypeNames[0] is EdgeLm.FitPrediction, which the format view selects on.
namespace EdgeLm;

/// <summary>
/// Will a model at a context fit a board, before anything runs (Test-EdgeFit, edgelm fit): the predicted peak
/// memory of the worker from the model's header and the memory model (docs/records.md, FitPrediction), the memory
/// the target leaves for it, a verdict and the largest context that fits; with the target's bandwidth, a predicted
/// decode rate and energy per token. Measured figures sit beside the predicted ones when runs were given.
/// </summary>
public sealed class FitPrediction
{
    public string ModelName { get; set; } = string.Empty;
    /// <summary>The GGUF file, or null for a synthetic shape described without writing it.</summary>
    public string? ModelPath { get; set; }
    public string Quantization { get; set; } = string.Empty;
    public int ContextSize { get; set; }

    /// <summary>A catalog board's name, this device's name, or "memory" for a size given by hand.</summary>
    public string Target { get; set; } = string.Empty;
    /// <summary>catalog, device (this machine's live profile) or memory (-MemoryBytes / --memory).</summary>
    public string TargetSource { get; set; } = string.Empty;
    public long? TotalMemoryBytes { get; set; }
    /// <summary>What the OS, firmware carve-outs and other processes keep: the documented reserve, or total − MemAvailable live.</summary>
    public long? OsReserveBytes { get; set; }
    public long? AvailableMemoryBytes { get; set; }

    public long PredictedWeightsBytes { get; set; }
    public long PredictedRepackBytes { get; set; }
    public long PredictedKvCacheBytes { get; set; }
    public long PredictedComputeBytes { get; set; }
    public long PredictedOverheadBytes { get; set; }
    public long PredictedPeakRssBytes { get; set; }
    /// <summary>PredictedPeakRssBytes ÷ AvailableMemoryBytes × 100.</summary>
    public double? MemoryUsePercent { get; set; }
    /// <summary>fits, tight, does not fit, or unknown (the target's memory is not known).</summary>
    public string Verdict { get; set; } = string.Empty;
    /// <summary>The largest context (a multiple of 256, at most the trained context) whose predicted peak fits; null when none does.</summary>
    public int? MaxContextThatFits { get; set; }

    public double? MemoryBandwidthBytesPerSecond { get; set; }
    public string? BandwidthSource { get; set; }
    /// <summary>The share of the bandwidth decoding is assumed to reach.</summary>
    public double? AssumedBandwidthUtilization { get; set; }
    public long PredictedDecodeBytesPerToken { get; set; }
    public double? PredictedDecodeTokensPerSecond { get; set; }
    /// <summary>The catalog's TDP: an upper bound of the board's draw while decoding.</summary>
    public double? PredictedPowerWatts { get; set; }
    public double? PredictedJoulesPerToken { get; set; }

    public int? MeasuredRuns { get; set; }
    public long? MeasuredPeakRssBytes { get; set; }
    /// <summary>The prediction for the measured runs' own prompt length (a shorter prompt touches less of the compute buffer).</summary>
    public long? PredictedPeakRssForRunsBytes { get; set; }
    public double? PeakRssErrorPercent { get; set; }
    public double? MeasuredDecodeTokensPerSecond { get; set; }
    public double? MeasuredJoulesPerToken { get; set; }
}
