using EdgeLm.Core.Settings;
namespace EdgeLm;

/// <summary>
/// One measured inference run, flat so Export-Csv and the CLI's csv need no flattening.
/// Names and definitions are those of docs/records.md. Energy figures are null unless measured
/// (-MeasureEnergy / --energy); thermal figures are null where the device exposes no sensor.
/// </summary>
public sealed class InferenceResult
{
    // Identity
    public string RunId { get; set; } = string.Empty;
    public string Timestamp { get; set; } = string.Empty;
    public string DeviceName { get; set; } = string.Empty;
    public string HostName { get; set; } = string.Empty;
    /// <summary>A benchmark run's stable key: a hash of its configuration and repetition (for -Resume); empty outside benchmarks.</summary>
    public string RunKey { get; set; } = string.Empty;
    public int Repetition { get; set; }
    /// <summary>Seconds a benchmark waited for a quiet machine before this run (-QuietBelow); null when it was not asked to.</summary>
    public double? QuietWaitSeconds { get; set; }
    public bool Warmup { get; set; }

    // Model
    public string ModelName { get; set; } = string.Empty;
    public string ModelPath { get; set; } = string.Empty;
    public string ModelSha256 { get; set; } = string.Empty;
    public string Architecture { get; set; } = string.Empty;
    public string Quantization { get; set; } = string.Empty;
    public long ParameterCount { get; set; }
    public long ModelBytes { get; set; }
    /// <summary>True for EdgeLm's synthetic (random-weight) models: speed, memory and energy are real, answers and perplexity are noise. Null in files from before it was recorded.</summary>
    public bool? SyntheticWeights { get; set; }

    // Settings
    public int Threads { get; set; }
    public int GpuLayers { get; set; }
    public int ContextSize { get; set; }
    public int BatchSize { get; set; }
    /// <summary>auto, on or off, as requested of llama.cpp.</summary>
    public string FlashAttention { get; set; } = string.Empty;
    public int PromptTokens { get; set; }
    /// <summary>text (a prompt, tokenized by the model) or random (seeded random token ids, llama-bench style).</summary>
    public string PromptSource { get; set; } = string.Empty;
    /// <summary>The prompt text as given, before any chat template; null for random prompts. Joins rows to their prompts.</summary>
    public string? Prompt { get; set; }
    /// <summary>SHA-256 (lower-case hex) of the prompt's UTF-8 bytes: a short key to group or join by; null for random prompts.</summary>
    public string? PromptSha256 { get; set; }
    /// <summary>The chat template applied to the prompt: a built-in name, "model" for the model's own, or empty.</summary>
    public string ChatTemplate { get; set; } = string.Empty;
    public int RequestedTokens { get; set; }
    /// <summary>Tokens already in the context before the prompt (llama-bench's depth).</summary>
    public int DepthTokens { get; set; }
    public double Temperature { get; set; }
    public uint Seed { get; set; }
    public string Backend { get; set; } = string.Empty;
    public string LlamaVersion { get; set; } = string.Empty;
    /// <summary>The EdgeLm that measured the run (empty in records older than this property).</summary>
    public string EdgeLmVersion { get; set; } = string.Empty;
    /// <summary>worker (a child process, the default) or in-process.</summary>
    public string Isolation { get; set; } = string.Empty;

    // Results
    public int GeneratedTokens { get; set; }
    public bool StoppedAtEos { get; set; }
    public double LoadMs { get; set; }
    /// <summary>Part of LoadMs: starting the worker process until it is ready, before llama.cpp loads anything; 0 in-process.</summary>
    public double? WorkerStartMs { get; set; }
    /// <summary>Part of LoadMs: loading the weights and creating the context.</summary>
    public double? ModelLoadMs { get; set; }
    public double TimeToFirstTokenMs { get; set; }
    public double PrefillMs { get; set; }
    public double PrefillTokensPerSecond { get; set; }
    public double? DecodeMs { get; set; }
    public double? DecodeTokensPerSecond { get; set; }
    public double? InterTokenP50Ms { get; set; }
    public double? InterTokenP95Ms { get; set; }
    public double? InterTokenP99Ms { get; set; }
    public double? InterTokenMaxMs { get; set; }
    public double TotalMs { get; set; }
    public double EnginePrefillMs { get; set; }
    public double EngineDecodeMs { get; set; }
    public long? PeakRssBytes { get; set; }
    /// <summary>run (the peak was reset before the run) or process (the kernel refused: peak since the worker started).</summary>
    public string PeakRssScope { get; set; } = string.Empty;
    public long KvCacheBytes { get; set; }
    public long ComputeBufferBytes { get; set; }
    /// <summary>Bytes a generated token reads: the weights it multiplies plus the KV cache at the run's mean position.</summary>
    public long DecodeBytesPerToken { get; set; }
    /// <summary>DecodeTokensPerSecond x DecodeBytesPerToken / the device's measured memory bandwidth (null until measured).</summary>
    public double? BandwidthUtilization { get; set; }

    // Energy (records.md definitions; null until measured)
    public double? EnergyJoules { get; set; }
    public double? IdlePowerWatts { get; set; }
    public double? NetEnergyJoules { get; set; }
    public double? AveragePowerWatts { get; set; }
    public double? JoulesPerToken { get; set; }
    public double? TokensPerJoule { get; set; }
    /// <summary>net (JoulesPerToken and TokensPerJoule after the idle baseline) or gross (no baseline was measured).</summary>
    public string? EnergyBasis { get; set; }
    /// <summary>The study's S_t: JoulesPerToken / DecodeTokensPerSecond, J·s/token² (the per-token energy-delay product); lower is better.</summary>
    public double? EnergyThroughputTradeoff { get; set; }
    public double? PrefillEnergyJoules { get; set; }
    public double? DecodeEnergyJoules { get; set; }
    public string? EnergySource { get; set; }
    public string? EnergyScope { get; set; }
    public string? EnergyMethod { get; set; }
    /// <summary>Sampler readings inside the run's window; few samples mean a rough figure.</summary>
    public int? EnergySamples { get; set; }

    // Thermal (sampled by the host during the run; null where the device exposes no sensor)
    public double? MaxTemperatureCelsius { get; set; }
    public double? MinCpuFrequencyMHz { get; set; }
    public bool? Throttled { get; set; }

    // Contention (watched by the host during the run; null where the kernel does not say)
    /// <summary>Share of the run's time some task waited for a CPU (/proc/pressure/cpu "some"), percent.</summary>
    public double? CpuPressurePercent { get; set; }
    /// <summary>Share of CPU time the hypervisor took (steal) during the run, percent.</summary>
    public double? StealPercent { get; set; }
    /// <summary>The most runnable tasks seen beyond the run's own threads.</summary>
    public int? ExtraRunnableTasks { get; set; }
    /// <summary>True when the run shared the CPU enough to move its figures (see docs/records.md for the thresholds).</summary>
    public bool? Contended { get; set; }

    // Quality (a benchmark plan's quality section: measured once per model over a text, the same on each of its runs; null without one)
    /// <summary>SHA-256 (lower-case hex) of the text the perplexity was scored over.</summary>
    public string? QualityTextSha256 { get; set; }
    /// <summary>Tokens per chunk of the perplexity (llama-perplexity's -c); not the run's ContextSize.</summary>
    public int? QualityContextSize { get; set; }
    public int? QualityChunks { get; set; }
    /// <summary>The reference the KL divergence is against: its model name and quantization; null without one.</summary>
    public string? QualityReference { get; set; }
    public double? Perplexity { get; set; }
    public double? PerplexityUncertainty { get; set; }
    /// <summary>Perplexity / the reference's; 1 for the reference itself.</summary>
    public double? PerplexityRatio { get; set; }
    /// <summary>Mean KL divergence from the reference's token distribution (nats); 0 for the reference itself, by definition.</summary>
    public double? KlDivergenceMean { get; set; }
    public double? KlDivergenceP99 { get; set; }
    /// <summary>RMS of the change in the probability of the text's next token against the reference, percent.</summary>
    public double? DeltaPRmsPercent { get; set; }
    /// <summary>Share of scored positions whose most likely token is the reference's, percent; 100 for the reference itself.</summary>
    public double? SameTopPercent { get; set; }

    public string Output { get; set; } = string.Empty;
}
