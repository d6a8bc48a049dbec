// In namespace EdgeLm like InferenceResult, so PowerShell's type name (which the format view selects on) is EdgeLm.QualityResult.
namespace EdgeLm;

/// <summary>
/// What a model's answers cost in quality over one text (Measure-EdgeQuality, edgelm quality): perplexity exactly as
/// llama-perplexity computes it, with the model identified as InferenceResult identifies it (ModelName, Quantization,
/// ModelSha256), so the two join. Names and definitions are those of docs/records.md.
/// </summary>
public sealed class QualityResult
{
    // Identity
    public string Timestamp { get; set; } = string.Empty;
    public string DeviceName { get; set; } = string.Empty;
    public string HostName { get; set; } = string.Empty;

    // Model
    public string ModelName { get; set; } = string.Empty;
    public string ModelPath { get; set; } = string.Empty;
    public string ModelSha256 { get; set; } = string.Empty;
    public string Architecture { get; set; } = string.Empty;
    public string Quantization { get; set; } = string.Empty;
    public long ParameterCount { get; set; }
    public long ModelBytes { get; set; }
    /// <summary>True for EdgeLm's synthetic (random-weight) models: their perplexity says nothing about quality.</summary>
    public bool SyntheticWeights { get; set; }

    // Text
    public string TextPath { get; set; } = string.Empty;
    /// <summary>SHA-256 (lower-case hex) of the text file's bytes as stored.</summary>
    public string TextSha256 { get; set; } = string.Empty;
    public long TextBytes { get; set; }
    /// <summary>Tokens of the whole text with this model's tokenizer (BOS included when the model adds one).</summary>
    public int TextTokens { get; set; }

    // Settings
    public int ContextSize { get; set; }
    public int BatchSize { get; set; }
    /// <summary>Chunks of ContextSize tokens evaluated: all whole chunks of the text, or -Chunks when fewer.</summary>
    public int Chunks { get; set; }
    public int Threads { get; set; }
    public int GpuLayers { get; set; }
    public string Backend { get; set; } = string.Empty;
    public string LlamaVersion { get; set; } = string.Empty;
    public string EdgeLmVersion { get; set; } = string.Empty;

    // Figures
    /// <summary>exp of the mean negative log-likelihood of the scored tokens (llama-perplexity's "Final estimate: PPL").</summary>
    public double Perplexity { get; set; }
    /// <summary>llama-perplexity's "+/-": Perplexity times the standard error of the mean negative log-likelihood.</summary>
    public double PerplexityUncertainty { get; set; }
    /// <summary>Tokens scored: the second half of each chunk but its last position, ContextSize - 1 - ContextSize/2 per chunk.</summary>
    public int TokensScored { get; set; }

    // Against a reference (-ReferenceLogitsPath); null without one. llama-perplexity --kl-divergence's figures.
    /// <summary>Where this run saved its log-probabilities (-SaveLogitsPath), for later runs to compare against; null when not saved.</summary>
    public string? SavedLogitsPath { get; set; }
    public string? ReferenceLogitsPath { get; set; }
    public string? ReferenceModelName { get; set; }
    public string? ReferenceModelPath { get; set; }
    public string? ReferenceModelSha256 { get; set; }
    public string? ReferenceQuantization { get; set; }
    public double? ReferencePerplexity { get; set; }
    public double? PerplexityRatio { get; set; }
    public double? PerplexityRatioUncertainty { get; set; }
    public double? KlDivergenceMean { get; set; }
    public double? KlDivergenceUncertainty { get; set; }
    public double? KlDivergenceMedian { get; set; }
    public double? KlDivergenceP99 { get; set; }
    public double? KlDivergenceMax { get; set; }
    public double? DeltaPMeanPercent { get; set; }
    public double? DeltaPUncertaintyPercent { get; set; }
    public double? DeltaPRmsPercent { get; set; }
    public double? DeltaPRmsUncertaintyPercent { get; set; }
    public double? SameTopPercent { get; set; }
    public double? SameTopUncertaintyPercent { get; set; }
}
