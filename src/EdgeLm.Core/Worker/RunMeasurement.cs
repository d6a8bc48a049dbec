using EdgeLm.Core.Engine;
namespace EdgeLm.Core.Worker;

/// <summary>
/// What one run measured inside the process that ran it (the worker, or the caller with -InProcess): the
/// record with its measured and settings properties filled, and what the host needs beside it. The host adds
/// identity and the model's description.
/// </summary>
public sealed class RunMeasurement
{
    public InferenceResult Record { get; set; } = new();

    /// <summary>llama.cpp's token counts for its own timings, to check ours against.</summary>
    public int EnginePromptTokens { get; set; }
    public int EngineDecodeTokens { get; set; }

    /// <summary>Loading the weights and creating the context this run used (whenever that happened).</summary>
    public double ModelLoadMs { get; set; }

    /// <summary>
    /// Stopwatch timestamps of the run's edges and phases. Stopwatch is CLOCK_MONOTONIC on Linux, one clock for every
    /// process, so the host's energy sampler can split a worker's run into prefill and decode energy.
    /// </summary>
    public long StartTimestamp { get; set; }
    public long PrefillStartTimestamp { get; set; }
    public long FirstTokenTimestamp { get; set; }
    public long LastTokenTimestamp { get; set; }
    public long EndTimestamp { get; set; }
}
