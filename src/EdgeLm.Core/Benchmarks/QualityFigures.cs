namespace EdgeLm.Core.Benchmarks;

/// <summary>
/// The quality figures a benchmark puts on every run of a model (InferenceResult's Quality columns): taken from its
/// QualityResult, or read back from a results file on -Resume. Figures are reused only for the same model, text, context, chunks and reference (<see cref="Answers"/>).
/// </summary>
internal sealed record QualityFigures(
    string TextSha256, int ContextSize, int Chunks, string? Reference, double Perplexity, double PerplexityUncertainty,
    double? PerplexityRatio, double? KlDivergenceMean, double? KlDivergenceP99, double? DeltaPRmsPercent, double? SameTopPercent)
{
    /// <summary>A model's measured figures against <paramref name="reference"/> (its label), or perplexity alone.</summary>
    public static QualityFigures Of(QualityResult measured, string? reference) => new(
        measured.TextSha256, measured.ContextSize, measured.Chunks, reference, measured.Perplexity, measured.PerplexityUncertainty,
        measured.PerplexityRatio, measured.KlDivergenceMean, measured.KlDivergenceP99, measured.DeltaPRmsPercent, measured.SameTopPercent);

    /// <summary>
    /// The reference's own figures: its perplexity as measured, and against itself what the definitions give (KL
    /// divergence 0, Δp 0, the same top token everywhere, ratio 1), so it takes its place on a quality front.
    /// </summary>
    public static QualityFigures OfReference(QualityResult measured) => new(
        measured.TextSha256, measured.ContextSize, measured.Chunks, Label(measured.ModelName, measured.Quantization), measured.Perplexity, measured.PerplexityUncertainty,
        PerplexityRatio: 1, KlDivergenceMean: 0, KlDivergenceP99: 0, DeltaPRmsPercent: 0, SameTopPercent: 100);

    /// <summary>How a reference is named on records: its model name and quantization.</summary>
    public static string Label(string modelName, string quantization) => $"{modelName} {quantization}";

    /// <summary>The figures a saved record carries; null when it has none.</summary>
    public static QualityFigures? From(InferenceResult result) =>
        result is { QualityTextSha256: string text, QualityContextSize: int context, QualityChunks: int chunks, Perplexity: double perplexity }
            ? new(text, context, chunks, result.QualityReference, perplexity, result.PerplexityUncertainty ?? double.NaN,
                result.PerplexityRatio, result.KlDivergenceMean, result.KlDivergenceP99, result.DeltaPRmsPercent, result.SameTopPercent)
            : null;

    /// <summary>
    /// Whether these (saved) figures are what the plan asks for: the same text, context and reference, and every
    /// chunk the plan wants (a saved run over fewer chunks than asked stopped at the text's end, as this one would).
    /// </summary>
    public bool Answers(string textSha256, int contextSize, int? chunks, string? reference) =>
        TextSha256 == textSha256 && ContextSize == contextSize && Reference == reference && (chunks is null || Chunks <= chunks);

    public void ApplyTo(InferenceResult result)
    {
        result.QualityTextSha256 = TextSha256;
        result.QualityContextSize = ContextSize;
        result.QualityChunks = Chunks;
        result.QualityReference = Reference;
        result.Perplexity = Perplexity;
        result.PerplexityUncertainty = double.IsNaN(PerplexityUncertainty) ? null : PerplexityUncertainty;
        result.PerplexityRatio = PerplexityRatio;
        result.KlDivergenceMean = KlDivergenceMean;
        result.KlDivergenceP99 = KlDivergenceP99;
        result.DeltaPRmsPercent = DeltaPRmsPercent;
        result.SameTopPercent = SameTopPercent;
    }
}
