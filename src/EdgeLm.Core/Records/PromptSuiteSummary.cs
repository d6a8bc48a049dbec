namespace EdgeLm;

/// <summary>A prompt suite's verdict on one model (Test-EdgePrompt, edgelm prompts): how many prompts passed.</summary>
public sealed class PromptSuiteSummary
{
    public string ModelName { get; set; } = string.Empty;
    public string ModelPath { get; set; } = string.Empty;
    public string ModelSha256 { get; set; } = string.Empty;
    public string Quantization { get; set; } = string.Empty;
    public bool SyntheticWeights { get; set; }
    public string Suite { get; set; } = string.Empty;
    public int Prompts { get; set; }
    public int Passed { get; set; }
    public int Failed { get; set; }
    /// <summary>Passed ÷ Prompts, 0 to 1.</summary>
    public double PassRate { get; set; }
    public int GeneratedTokens { get; set; }
    public double TotalMs { get; set; }
    /// <summary>The first model of the call; null on that model's own summary.</summary>
    public string? ReferenceModelPath { get; set; }
    /// <summary>Prompts whose output differs from the reference model's; null on the reference's own summary.</summary>
    public int? ChangedOutputs { get; set; }
}
