namespace EdgeLm.Core.Benchmarks;

/// <summary>
/// A benchmark plan (YAML, camelCase keys): models and the knobs swept over them. Every list is one axis of the
/// matrix; each combination runs Repetitions times after Warmups unmeasured runs.
/// </summary>
public sealed class BenchmarkPlan
{
    // The defaults of a plan file, of Invoke-EdgeBenchmark's sweep parameters and of edgelm bench's options.
    public const int DefaultGpuLayers = 0;
    public const int DefaultPromptTokens = 128;
    public const int DefaultGenerationTokens = 128;
    public const int DefaultDepth = 0;
    public const int DefaultRepetitions = 3;
    public const int DefaultWarmups = 1;
    public const double DefaultBaselineSeconds = 10;

    public List<PlanModel> Models { get; set; } = new();
    public List<int> Threads { get; set; } = new();
    /// <summary>Sweep threads 1, 2, … up to the physical cores of the board the plan runs on (instead of Threads).</summary>
    public bool ThreadsUpToCores { get; set; }
    public List<int> GpuLayers { get; set; } = new() { DefaultGpuLayers };
    public List<int> Contexts { get; set; } = new();
    public List<int> PromptTokens { get; set; } = new() { DefaultPromptTokens };
    public List<int> GenerationTokens { get; set; } = new() { DefaultGenerationTokens };
    public List<int> Depths { get; set; } = new() { DefaultDepth };
    public int Repetitions { get; set; } = DefaultRepetitions;
    public int Warmups { get; set; } = DefaultWarmups;
    public PlanCooldown? Cooldown { get; set; }
    public bool Energy { get; set; }
    public double BaselineSeconds { get; set; } = DefaultBaselineSeconds;
    /// <summary>Results file (JSONL); relative paths are relative to the plan file.</summary>
    public string? Output { get; set; }
    /// <summary>Where synthetic models are generated and cached; relative to the plan file. Default: the EdgeLm cache.</summary>
    public string? ModelCache { get; set; }

    /// <summary>Before each run, wait until CPU pressure (avg10) is below this percent; null = do not wait.</summary>
    public double? QuietBelow { get; set; }

    /// <summary>The longest wait for a quiet machine before a run goes ahead anyway.</summary>
    public double QuietMaxWaitSeconds { get; set; } = 300;

    /// <summary>Run a plan of more than <see cref="PlanReader.MaxRuns"/> runs: the user says they mean it.</summary>
    public bool AllowLarge { get; set; }

    /// <summary>Quality measured once per model before the speed runs and carried on their records; null = none.</summary>
    public PlanQuality? Quality { get; set; }
}

/// <summary>A model: a GGUF path, or a synthetic shape generated once per quantization and cached.</summary>
public sealed class PlanModel
{
    public string? Path { get; set; }
    public string? Synthetic { get; set; }
    public List<string> Quantizations { get; set; } = new();

    /// <summary>This model's quality reference, instead of the plan's quality.reference (see <see cref="PlanQuality.Reference"/>).</summary>
    public string? Reference { get; set; }
}

/// <summary>
/// A plan's quality section: the text each model's perplexity is scored over (as Measure-EdgeQuality does) and the
/// reference its KL divergence is measured against, once per model and quantization.
/// </summary>
public sealed class PlanQuality
{
    /// <summary>The text to score (UTF-8); relative to the plan file.</summary>
    public string? Text { get; set; }

    /// <summary>Tokens per chunk (llama-perplexity's -c).</summary>
    public int Context { get; set; } = Perplexity.QualitySettings.DefaultContextSize;

    /// <summary>At most this many chunks; null = every whole chunk of the text.</summary>
    public int? Chunks { get; set; }

    /// <summary>
    /// The reference: a quantization name (the same model in that quantization: for a synthetic shape, generated; for
    /// a model file, the plan's file of the same model name in it) or a GGUF path relative to the plan; null = none.
    /// </summary>
    public string? Reference { get; set; }

    /// <summary>Layers offloaded while scoring; null = the plan's first gpuLayers value.</summary>
    public int? GpuLayers { get; set; }
}

/// <summary>Rest between configurations: a fixed time, or until the hottest thermal zone is below a temperature.</summary>
public sealed class PlanCooldown
{
    public double Seconds { get; set; }
    public double? UntilCelsius { get; set; }
    /// <summary>The longest a temperature cool-down waits before going on (with a warning).</summary>
    public double MaxWaitSeconds { get; set; } = 300;
}
