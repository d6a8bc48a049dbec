namespace EdgeLm.Core.Inference;

/// <summary>
/// What one run measured inside the process that ran it (the worker, or the caller with -InProcess). The host
/// turns it into an <see cref="InferenceResult"/> by adding identity and model description.
/// </summary>
public sealed class RunMeasurement
{
    public int PromptTokens { get; set; }
    public int GeneratedTokens { get; set; }
    public bool StoppedAtEos { get; set; }
    public double TimeToFirstTokenMs { get; set; }
    public double PrefillMs { get; set; }
    public double? DecodeMs { get; set; }
    public double? InterTokenP50Ms { get; set; }
    public double? InterTokenP95Ms { get; set; }
    public double? InterTokenP99Ms { get; set; }
    public double? InterTokenMaxMs { get; set; }
    public double TotalMs { get; set; }
    public double EnginePrefillMs { get; set; }
    public int EnginePromptTokens { get; set; }
    public double EngineDecodeMs { get; set; }
    public int EngineDecodeTokens { get; set; }
    public long? PeakRssBytes { get; set; }
    public string PeakRssScope { get; set; } = string.Empty;
    public long KvCacheBytes { get; set; }
    public long ComputeBufferBytes { get; set; }
    public int ContextSize { get; set; }
    public int BatchSize { get; set; }
    public int Threads { get; set; }

    /// <summary>Loading the weights and creating the context this run used (whenever that happened).</summary>
    public double ModelLoadMs { get; set; }
    public string Output { get; set; } = string.Empty;
}
