namespace EdgeLm.Core.Worker;

/// <summary>
/// What one run measured inside the process that ran it (the worker, or the caller with -InProcess): figures
/// only. The host builds the record from these and the settings, in one place (Host's InferenceRecord).
/// Definitions are docs/records.md's.
/// </summary>
internal sealed class RunMeasurement
{
    // What the run used (the context the session chose).
    public int Threads { get; init; }
    public int ContextSize { get; init; }
    public int BatchSize { get; init; }

    public int PromptTokens { get; init; }
    public int GeneratedTokens { get; init; }
    public bool StoppedAtEos { get; init; }
    public double TimeToFirstTokenMs { get; init; }
    public double PrefillMs { get; init; }
    public double PrefillTokensPerSecond { get; init; }
    public double? DecodeMs { get; init; }
    public double? DecodeTokensPerSecond { get; init; }
    public double? InterTokenP50Ms { get; init; }
    public double? InterTokenP95Ms { get; init; }
    public double? InterTokenP99Ms { get; init; }
    public double? InterTokenMaxMs { get; init; }
    public double TotalMs { get; init; }
    public double EnginePrefillMs { get; init; }
    public double EngineDecodeMs { get; init; }
    public long? PeakRssBytes { get; init; }
    public string PeakRssScope { get; init; } = string.Empty;
    public long KvCacheBytes { get; init; }
    public long ComputeBufferBytes { get; init; }
    public string Output { get; init; } = string.Empty;

    /// <summary>llama.cpp's token counts for its own timings, to check ours against.</summary>
    public int EnginePromptTokens { get; init; }
    public int EngineDecodeTokens { get; init; }

    /// <summary>Loading the weights and creating the context this run used (whenever that happened).</summary>
    public double ModelLoadMs { get; set; }

    /// <summary>
    /// Stopwatch timestamps of the run's edges and phases. Stopwatch is CLOCK_MONOTONIC on Linux, one clock for every
    /// process, so the host's energy sampler can split a worker's run into prefill and decode energy.
    /// </summary>
    public long StartTimestamp { get; init; }
    public long PrefillStartTimestamp { get; init; }
    public long FirstTokenTimestamp { get; init; }
    public long LastTokenTimestamp { get; init; }
    public long EndTimestamp { get; init; }
}
