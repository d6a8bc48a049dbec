namespace EdgeLm;

/// <summary>
/// One measured inference run, flat so Export-Csv and the CLI's csv need no flattening.
/// Names and definitions are those of shared/docs/records.md. Properties not yet measured stay null.
/// </summary>
public sealed class InferenceResult
{
    // Identity
    public string RunId { get; set; } = string.Empty;
    public string Timestamp { get; set; } = string.Empty;
    public string DeviceName { get; set; } = string.Empty;
    public string HostName { get; set; } = string.Empty;
    public int Repetition { get; set; }
    public bool Warmup { get; set; }

    // Model
    public string ModelName { get; set; } = string.Empty;
    public string ModelPath { get; set; } = string.Empty;
    public string Architecture { get; set; } = string.Empty;
    public string Quantization { get; set; } = string.Empty;
    public long ParameterCount { get; set; }
    public long ModelBytes { get; set; }

    // Settings
    public int Threads { get; set; }
    public int GpuLayers { get; set; }
    public int ContextSize { get; set; }
    public int BatchSize { get; set; }
    /// <summary>auto, on or off, as requested of llama.cpp.</summary>
    public string FlashAttention { get; set; } = string.Empty;
    public int PromptTokens { get; set; }
    public int RequestedTokens { get; set; }
    public double Temperature { get; set; }
    public uint Seed { get; set; }
    public string Backend { get; set; } = string.Empty;
    public string LlamaVersion { get; set; } = string.Empty;

    // Results
    public int GeneratedTokens { get; set; }
    public double LoadMs { get; set; }
    public double TimeToFirstTokenMs { get; set; }
    public double PrefillMs { get; set; }
    public double PrefillTokensPerSecond { get; set; }
    public double? DecodeMs { get; set; }
    public double? DecodeTokensPerSecond { get; set; }
    public double TotalMs { get; set; }
    public double EnginePrefillMs { get; set; }
    public double EngineDecodeMs { get; set; }
    public bool StoppedAtEos { get; set; }
    public string Output { get; set; } = string.Empty;
}
