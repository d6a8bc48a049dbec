using EdgeLm.Core.Engine;
namespace EdgeLm.Core.Worker;

/// <summary>
/// Everything a model session needs for one run, resolved by the host (threads, batch and chat template
/// chosen, paths absolute). It crosses the worker protocol as JSON, so it holds plain values only.
/// </summary>
public sealed class RunSpec
{
    // What the model is loaded with: a change means another load (and, with a worker, another process).
    public string ModelPath { get; set; } = string.Empty;
    public int GpuLayers { get; set; }
    public string? NativeDirectory { get; set; }

    // The prompt: text (optionally wrapped in a chat template: a built-in name or template text) or random ids.
    public string? Prompt { get; set; }
    public int? PromptTokens { get; set; }
    public string? ChatTemplate { get; set; }

    /// <summary>Tokens decoded into the context before the measured prompt (llama-bench -d); not measured.</summary>
    public int DepthTokens { get; set; }

    public int MaxTokens { get; set; }
    public int? ContextSize { get; set; }
    public int BatchSize { get; set; }
    public int Threads { get; set; }
    public FlashAttention FlashAttention { get; set; }
    public float Temperature { get; set; }
    public int TopK { get; set; }
    public float TopP { get; set; }
    public float MinP { get; set; }
    public uint Seed { get; set; }
    public bool StopAtEos { get; set; }

    internal bool SameModelAs(RunSpec other) =>
        ModelPath == other.ModelPath && GpuLayers == other.GpuLayers && NativeDirectory == other.NativeDirectory;

    internal SamplingOptions Sampling => new(Temperature, TopK, TopP, MinP, Seed);
}

/// <summary>Where a run is, for progress displays: loading, prefill or decode with tokens so far.</summary>
public sealed record RunProgress(string Phase, int Tokens, int MaxTokens);
