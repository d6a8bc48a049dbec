namespace EdgeLm;

/// <summary>
/// One prompt of a suite run on one model (Test-EdgePrompt, edgelm prompts): the answer, whether every check held,
/// and which did not. Flat, so Export-Csv needs no flattening; docs/records.md defines every property.
/// </summary>
public sealed class PromptCheckResult
{
    // The model, as InferenceResult identifies it
    public string ModelName { get; set; } = string.Empty;
    public string ModelPath { get; set; } = string.Empty;
    public string ModelSha256 { get; set; } = string.Empty;
    public string Quantization { get; set; } = string.Empty;
    /// <summary>True for EdgeLm's synthetic models: random weights, so the answers are noise and say nothing of quality.</summary>
    public bool SyntheticWeights { get; set; }
    public string DeviceName { get; set; } = string.Empty;
    public string Timestamp { get; set; } = string.Empty;

    // The prompt
    public string Suite { get; set; } = string.Empty;
    public string PromptId { get; set; } = string.Empty;
    public string Prompt { get; set; } = string.Empty;
    public string? SystemPrompt { get; set; }
    /// <summary>model (the model's own), a built-in name, or empty for none.</summary>
    public string ChatTemplate { get; set; } = string.Empty;
    public double Temperature { get; set; }
    public uint Seed { get; set; }
    public int RequestedTokens { get; set; }

    // The verdict
    public bool Passed { get; set; }
    public int Checks { get; set; }
    /// <summary>The checks that failed and why, '; '-joined; null when all held.</summary>
    public string? FailedChecks { get; set; }

    // The answer
    public string Output { get; set; } = string.Empty;
    public int GeneratedTokens { get; set; }
    public bool StoppedAtEos { get; set; }
    public double TimeToFirstTokenMs { get; set; }
    public double TotalMs { get; set; }
    public double? DecodeTokensPerSecond { get; set; }

    // Against the first model of the same call
    /// <summary>The first model the suite ran on in this call; null on that model's own records.</summary>
    public string? ReferenceModelPath { get; set; }
    /// <summary>True when the output differs from the reference model's for this prompt; null on the reference's own records.</summary>
    public bool? OutputChanged { get; set; }
}
