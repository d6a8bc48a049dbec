using System.Text.Json.Serialization;

namespace EdgeLm.Core.Settings;

/// <summary>
/// Everything that defines a run: the model, the prompt, llama.cpp's and the sampler's knobs, repetitions and
/// energy. Built once by each front end (and by the plan expander), resolved once by the host
/// (<see cref="Resolved"/>), then carried unchanged over the worker protocol and into the result. The rules a
/// run must pass are here, once (<see cref="Validate"/>).
/// </summary>
public sealed record RunSettings
{
    /// <summary>The most repetitions (or warm-ups) of one request: far beyond any statistic's needs.</summary>
    public const int MaxRuns = 100_000;

    /// <summary>
    /// The largest seed a run takes: llama.cpp reads the next, 4294967295 (LLAMA_DEFAULT_SEED), as "draw a random
    /// seed", so such a run could not be repeated and its record would name a seed it never used.
    /// </summary>
    public const uint MaxSeed = uint.MaxValue - 1;

    /// <summary>Logical batch for prompt processing when none is given.</summary>
    public const int DefaultBatchSize = 512;

    public string ModelPath { get; init; } = string.Empty;

    /// <summary>The prompt text; or leave it null and set <see cref="PromptTokens"/>.</summary>
    public string? Prompt { get; init; }

    /// <summary>A prompt of this many seeded random token ids (llama-bench style), instead of text.</summary>
    public int? PromptTokens { get; init; }

    /// <summary>Wrap the prompt in a chat template: "model" (the model's own) or a llama.cpp built-in name.</summary>
    public string? ChatTemplate { get; init; }

    /// <summary>A system turn before the prompt; needs <see cref="ChatTemplate"/> (only a template knows where it goes).</summary>
    public string? SystemPrompt { get; init; }

    public int MaxTokens { get; init; } = 128;

    /// <summary>Tokens already in the context before the measured prompt (llama-bench's depth, -d).</summary>
    public int DepthTokens { get; init; }

    /// <summary>Generation threads; null = physical cores.</summary>
    public int? Threads { get; init; }

    /// <summary>Context size in tokens; null = enough for depth, prompt and generation, at least 512, at most the trained context.</summary>
    public int? ContextSize { get; init; }

    /// <summary>Logical batch for prompt processing; null = 512.</summary>
    public int? BatchSize { get; init; }

    public int GpuLayers { get; init; }

    /// <summary>Flash attention: llama.cpp decides (Auto), or forced on or off.</summary>
    public FlashAttention FlashAttention { get; init; } = FlashAttention.Auto;

    public float Temperature { get; init; }
    public int TopK { get; init; } = 40;
    public float TopP { get; init; } = 0.95f;
    public float MinP { get; init; } = 0.05f;
    public uint Seed { get; init; } = 42;

    /// <summary>Stop at an end-of-generation token; off by default so every run generates exactly MaxTokens.</summary>
    public bool StopAtEos { get; init; }

    /// <summary>Measured runs of the same prompt.</summary>
    public int Repeat { get; init; } = 1;

    /// <summary>Unmeasured runs before the measured ones (caches, page faults, graph allocation).</summary>
    public int Warmup { get; init; }

    /// <summary>Emit warm-up runs too, marked Warmup = true.</summary>
    public bool IncludeWarmup { get; init; }

    /// <summary>Measure energy of every run (EnergyJoules, JoulesPerToken, ... of the record).</summary>
    public bool MeasureEnergy { get; init; }

    /// <summary>Power sources to read ('+'-joined); null = the widest trustworthy scope found. Needs MeasureEnergy.</summary>
    public string? EnergySource { get; init; }

    /// <summary>An external meter, KIND=ADDRESS; null = $EDGELM_METER. Needs MeasureEnergy.</summary>
    public string? Meter { get; init; }

    /// <summary>Seconds of idle baseline, measured once per process and power source before the first run.</summary>
    public double BaselineSeconds { get; init; } = 10;

    /// <summary>Run llama.cpp in this process instead of a worker (for debugging: a crash takes this process down).</summary>
    public bool InProcess { get; init; }

    public string? NativeDirectory { get; init; }

    /// <summary>The threads a run uses: <see cref="Threads"/> once resolved.</summary>
    [JsonIgnore]
    public int ThreadCount => Threads ?? throw new InvalidOperationException("settings not resolved: Threads is null");

    /// <summary>The logical batch a run uses.</summary>
    [JsonIgnore]
    public int BatchTokens => BatchSize ?? DefaultBatchSize;

    /// <summary>The context cells a run needs: the depth, the prompt and every generated token.</summary>
    public long ContextNeeded(int promptTokens) => (long)DepthTokens + promptTokens + MaxTokens;

    /// <summary>True when both load the same model the same way (another model means another load and worker).</summary>
    public bool SameModelAs(RunSettings other) =>
        ModelPath == other.ModelPath && GpuLayers == other.GpuLayers && NativeDirectory == other.NativeDirectory;

    /// <summary>
    /// Refuses settings no run can have (throwing <see cref="EdgeLmArgumentException"/> naming the numbers and
    /// the fix). Checks what is known before a model loads; a text prompt's length is checked once tokenized
    /// (<see cref="RequireContext"/>).
    /// </summary>
    public void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(ModelPath), "ModelPathEmpty", $"ModelPath is '{ModelPath}', which names no file; give the path of a .gguf model");
        Require(Seed <= MaxSeed, "InvalidSeed",
            $"Seed is {Seed}, llama.cpp's LLAMA_DEFAULT_SEED, which draws a random seed each run: the run could not be repeated and its record would not show the seed used; use 0 to {MaxSeed}");
        Require(MaxTokens > 0, "InvalidMaxTokens", $"MaxTokens is {MaxTokens}; generate at least 1 token");
        Require(Repeat > 0, "InvalidRepeat", $"Repeat is {Repeat}; run at least once");
        Require(DepthTokens >= 0, "InvalidDepth", $"DepthTokens is {DepthTokens}; use 0 or more");
        Require(Warmup >= 0, "InvalidWarmup", $"Warmup is {Warmup}; use 0 or more warm-up runs");
        Require(Threads is null or > 0, "InvalidThreads", $"Threads is {Threads}; use at least 1");
        Require(BatchSize is null or > 0, "InvalidBatchSize", $"BatchSize is {BatchSize}; use at least 1");
        Require(ContextSize is null or > 0, "InvalidContextSize", $"ContextSize is {ContextSize}; use at least 1");
        Require(double.IsFinite(BaselineSeconds) && BaselineSeconds >= 0, "InvalidBaseline", $"BaselineSeconds is {BaselineSeconds}; use 0 (no baseline) or more");
        Require(GpuLayers >= -1, "InvalidGpuLayers", $"GpuLayers is {GpuLayers}; use -1 (all), 0 (none) or a layer count");
        Require(float.IsFinite(Temperature) && Temperature >= 0, "InvalidTemperature", $"Temperature is {Temperature}; use 0 (greedy) or more");
        Require(TopK >= 0, "InvalidTopK", $"TopK is {TopK}; use 0 (off) or more");
        Require(TopP is >= 0 and <= 1, "InvalidTopP", $"TopP is {TopP}; use a probability from 0 to 1 (1 is off)");
        Require(MinP is >= 0 and <= 1, "InvalidMinP", $"MinP is {MinP}; use a probability from 0 (off) to 1");
        Require(Repeat <= MaxRuns && Warmup <= MaxRuns, "TooManyRuns", $"{Math.Max(Repeat, Warmup)} runs of one prompt is more than {MaxRuns}; run fewer");
        Energy.EnergyArguments.RequireMeasureEnergy(MeasureEnergy, EnergySource, Meter, null);
        Require(SystemPrompt is null || ChatTemplate is not null, "SystemPromptWithoutTemplate",
            "a system prompt needs a chat template, which says where it goes; name one (ChatTemplate 'model' for the model's own)");
        if (PromptTokens is int count)
        {
            Require(Prompt is null, "PromptAndPromptTokens", "give either a prompt or a number of prompt tokens, not both");
            Require(count > 0, "InvalidPromptTokens", $"PromptTokens is {count}; use at least 1");
            Require(ChatTemplate is null, "ChatTemplateWithPromptTokens", "a chat template applies to a text prompt, not to random prompt tokens");
            RequireContext(count);
        }
        else if (ContextSize is int size)
        {
            // The text's token count needs the tokenizer (checked before the weights load); generation alone must fit.
            Require(size >= MaxTokens + 1, "ContextTooSmall",
                $"a context of {size} tokens cannot hold the prompt plus {MaxTokens} generated tokens; use a context of at least {MaxTokens + 1} plus the prompt's tokens");
        }
    }

    /// <summary>Refuses an explicit context that cannot hold the depth, a prompt of this many tokens and the generation.</summary>
    public void RequireContext(int promptTokens)
    {
        if (ContextSize is not int size)
        {
            return;
        }

        long needed = ContextNeeded(promptTokens);
        string depth = DepthTokens > 0 ? $"the depth of {DepthTokens} plus " : string.Empty;
        Require(size >= needed, "ContextTooSmall",
            $"a context of {size} tokens is smaller than {depth}the prompt's {promptTokens} tokens plus {MaxTokens} generated ({needed}); use a context of {needed} or more");
    }

    /// <summary>
    /// The settings a run uses, every default chosen: threads (physical cores unless given), batch, absolute
    /// paths, and a text prompt ("" when neither prompt nor prompt tokens were given).
    /// </summary>
    public RunSettings Resolved(int physicalCores) => this with
    {
        ModelPath = Path.GetFullPath(ModelPath),
        NativeDirectory = NativeDirectory is null ? null : Path.GetFullPath(NativeDirectory),
        Threads = Threads ?? physicalCores,
        BatchSize = BatchTokens,
        Prompt = PromptTokens is null ? Prompt ?? string.Empty : null,
    };

    private static void Require(bool condition, string errorId, string message)
    {
        if (!condition)
        {
            throw new EdgeLmArgumentException(errorId, message);
        }
    }
}
