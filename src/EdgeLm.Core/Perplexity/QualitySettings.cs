namespace EdgeLm.Core.Perplexity;

/// <summary>
/// Everything that defines one quality measurement (Measure-EdgeQuality, edgelm quality), built by each front end in
/// one object initializer; <see cref="Validate"/> holds the rules once.
/// </summary>
public sealed record QualitySettings
{
    /// <summary>llama-perplexity's default context (its -c 512).</summary>
    public const int DefaultContextSize = 512;

    /// <summary>The smallest context that scores more than one token per chunk.</summary>
    public const int MinContextSize = 8;

    /// <summary>The largest context accepted: one chunk is one decode, its logits n_ctx/2 x vocabulary floats.</summary>
    public const int MaxContextSize = 32768;

    /// <summary>The most a text may hold: wikitext-2's test set (llama.cpp's usual text) is 1.3 MB; this refuses /dev/zero-like files at once.</summary>
    public const long MaxTextBytes = 64L << 20;

    public string ModelPath { get; init; } = string.Empty;
    public string TextPath { get; init; } = string.Empty;
    public int ContextSize { get; init; } = DefaultContextSize;
    /// <summary>At most this many chunks (default: every whole chunk of the text).</summary>
    public int? Chunks { get; init; }
    /// <summary>Layers offloaded to a GPU: 0 none, -1 all (as in RunSettings).</summary>
    public int GpuLayers { get; init; }
    /// <summary>Threads for llama.cpp (default: the physical cores).</summary>
    public int? Threads { get; init; }
    public string? NativeDirectory { get; init; }
    /// <summary>Where to write this model's log-probabilities (llama-perplexity's format, see LogitsFile) as a reference for others.</summary>
    public string? SaveLogitsPath { get; init; }
    /// <summary>A reference's saved log-probabilities: KL divergence, Δp and same-top figures against it.</summary>
    public string? ReferenceLogitsPath { get; init; }
    /// <summary>A reference model scored in the same call (its log-probabilities saved to a temporary file, then compared).</summary>
    public string? ReferenceModelPath { get; init; }

    public void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(ModelPath), "ModelRequired", "a model is required: name a GGUF file");
        Require(!string.IsNullOrWhiteSpace(TextPath), "TextRequired", "a text is required: name a UTF-8 text file of at least twice the context in tokens");
        Require(ContextSize is >= MinContextSize and <= MaxContextSize, "ContextOutOfRange",
            $"a context of {ContextSize} tokens is outside {MinContextSize}..{MaxContextSize}; llama-perplexity's default is {DefaultContextSize}");
        Require(Chunks is null or >= 1, "ChunksOutOfRange", $"chunks must be at least 1, not {Chunks}; leave it out to score every whole chunk");
        Require(SaveLogitsPath is null || ReferenceLogitsPath is null
                || Path.GetFullPath(SaveLogitsPath) != Path.GetFullPath(ReferenceLogitsPath), "SaveOverReference",
            $"--save-logits and --reference-logits name the same file, {ReferenceLogitsPath}; the reference would be overwritten while it is read");
        Require(ReferenceLogitsPath is null || ReferenceModelPath is null, "TwoReferences",
            "give a reference as saved logits (--reference-logits) or as a model (--reference-model), not both");
        Require(GpuLayers >= -1, "GpuLayersOutOfRange", $"GPU layers must be -1 (all), 0 (none) or a layer count, not {GpuLayers}");
        Require(Threads is null or >= 1, "ThreadsOutOfRange", $"threads must be at least 1, not {Threads}");
    }

    private static void Require(bool condition, string errorId, string message)
    {
        if (!condition)
        {
            throw new EdgeLmArgumentException(errorId, message);
        }
    }
}
