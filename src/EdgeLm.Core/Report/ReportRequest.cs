namespace EdgeLm.Core.Report;

/// <summary>
/// What Export-EdgeReport and edgelm report hand over: the records to show (read from files or piped) and the few
/// settings the cost and memory sections need. Everything but the results is optional; a section without its data
/// says what would fill it.
/// </summary>
public sealed record ReportRequest
{
    public IReadOnlyList<InferenceResult> Results { get; init; } = Array.Empty<InferenceResult>();

    /// <summary>Perplexity and KL divergence measured apart from the runs (Measure-EdgeQuality), joined by model.</summary>
    public IReadOnlyList<QualityResult> Quality { get; init; } = Array.Empty<QualityResult>();

    /// <summary>Prompt-suite verdicts (Test-EdgePrompt -Summary), joined by model.</summary>
    public IReadOnlyList<PromptSuiteSummary> Prompts { get; init; } = Array.Empty<PromptSuiteSummary>();

    /// <summary>Device profiles (Get-DeviceProfile) of the boards, joined by DeviceName, for the header and the memory line.</summary>
    public IReadOnlyList<DeviceProfile> Profiles { get; init; } = Array.Empty<DeviceProfile>();

    /// <summary>Where the records came from (file names), for the header.</summary>
    public IReadOnlyList<string> Sources { get; init; } = Array.Empty<string>();

    public string? Title { get; init; }

    /// <summary>The board's catalog name, for its price, when the DeviceName does not say (as Measure-EdgeCost -Board).</summary>
    public string? Board { get; init; }

    /// <summary>What the board cost (as Measure-EdgeCost -BoardPriceUsd).</summary>
    public double? BoardPriceUsd { get; init; }

    /// <summary>Cloud price entries to compare with (wildcards); default a small, a mid and a large provider's cheapest model.</summary>
    public IReadOnlyList<string>? CloudModel { get; init; }

    /// <summary>When the report was made (UTC); the header shows it. Default: now.</summary>
    public DateTime? Generated { get; init; }
}
