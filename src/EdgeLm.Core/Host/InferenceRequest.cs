using EdgeLm.Core.Engine;
using EdgeLm.Core.Worker;
namespace EdgeLm.Core.Host;

/// <summary>One inference job: a model, a prompt and the knobs of llama.cpp and the sampler.</summary>
public sealed class InferenceRequest
{
    public string ModelPath { get; set; } = string.Empty;
    /// <summary>The prompt text; or leave it null and set <see cref="PromptTokens"/>.</summary>
    public string? Prompt { get; set; }

    /// <summary>A prompt of this many seeded random token ids (llama-bench style), instead of text.</summary>
    public int? PromptTokens { get; set; }

    /// <summary>Wrap the prompt in a chat template: "model" (the model's own) or a llama.cpp built-in name.</summary>
    public string? ChatTemplate { get; set; }
    public int MaxTokens { get; set; } = 128;

    /// <summary>Tokens already in the context before the measured prompt (llama-bench's depth, -d).</summary>
    public int DepthTokens { get; set; }

    /// <summary>Generation threads; null = physical cores.</summary>
    public int? Threads { get; set; }

    /// <summary>Context size in tokens; null = enough for prompt and generation, at least 512, at most the trained context.</summary>
    public int? ContextSize { get; set; }

    /// <summary>Logical batch for prompt processing; null = 512.</summary>
    public int? BatchSize { get; set; }

    public int GpuLayers { get; set; }

    /// <summary>Flash attention: llama.cpp decides (Auto), or forced on or off.</summary>
    public FlashAttention FlashAttention { get; set; } = FlashAttention.Auto;
    public float Temperature { get; set; }
    public int TopK { get; set; } = 40;
    public float TopP { get; set; } = 0.95f;
    public float MinP { get; set; } = 0.05f;
    public uint Seed { get; set; } = 42;

    /// <summary>Stop at an end-of-generation token; off by default so every run generates exactly MaxTokens.</summary>
    public bool StopAtEos { get; set; }

    /// <summary>Measured runs of the same prompt.</summary>
    public int Repeat { get; set; } = 1;

    /// <summary>Unmeasured runs before the measured ones (caches, page faults, graph allocation).</summary>
    public int Warmup { get; set; }

    /// <summary>Emit warm-up runs too, marked Warmup = true.</summary>
    public bool IncludeWarmup { get; set; }

    /// <summary>Measure energy of every run (EnergyJoules, JoulesPerToken, ... of the record).</summary>
    public bool MeasureEnergy { get; set; }

    /// <summary>Power sources to read ('+'-joined); null = the widest trustworthy scope found.</summary>
    public string? EnergySource { get; set; }

    /// <summary>An external meter, KIND=ADDRESS; null = $EDGELM_METER.</summary>
    public string? Meter { get; set; }

    /// <summary>Seconds of idle baseline, measured once per process and power source before the first run.</summary>
    public double BaselineSeconds { get; set; } = 10;

    /// <summary>Run llama.cpp in this process instead of a worker (for debugging: a crash takes this process down).</summary>
    public bool InProcess { get; set; }

    public string? NativeDirectory { get; set; }
}
