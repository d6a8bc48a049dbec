namespace EdgeLm.Core.Models;

/// <summary>
/// The footprint of a synthetic model that is never written: the tensors SyntheticModelBuilder would write, each of
/// the type llama.cpp's quantizer would give it (its llama_tensor_get_type rule for the output matrix, the only
/// tensor the legacy types treat differently). Unit tests write each supported type and compare the bytes.
/// </summary>
internal static class SyntheticFootprint
{
    /// <summary>The quantizations predicted without writing a file; the k-quants' per-layer mixes are not reproduced.</summary>
    public static IReadOnlyList<string> Quantizations { get; } = new[] { "F32", "F16", "BF16", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0" };

    public static ModelFootprint Of(SyntheticShape shape, string quantization)
    {
        shape.Validate();
        string name = Quantizations.FirstOrDefault(q => string.Equals(q, quantization.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new EdgeLmArgumentException("FitQuantizationNotPredicted",
                $"--quantization {quantization}: a synthetic shape's size is predicted for {string.Join(", ", Quantizations)}; " +
                $"for {quantization}, write the model (edgelm model synth --shape {shape.Name} --quantization {quantization}) and fit it with --model");
        GgmlType weightType = TypeOf(name);
        var tensors = SyntheticModelBuilder.Describe(shape, GgmlTypes.F16, 1, 0).Tensors
            .Select(t => t with { Type = t.Dimensions.Length == 1 ? GgmlTypes.F32 : Quantized(t, weightType, shape.TiedOutput, name) })
            .ToArray();
        long weights = tensors.Sum(t => t.Bytes);
        long gatheredOnly = shape.TiedOutput ? 0 : tensors.Where(t => t.Name == "token_embd.weight").Sum(t => t.Bytes);
        return new ModelFootprint($"synthetic-{shape.Name}", name, weights, weights - gatheredOnly, ModelFootprint.Repacked(tensors),
            shape.Layers, shape.EmbeddingSize, shape.FeedForwardSize, shape.Heads, shape.KvHeads, shape.HeadSize, shape.HeadSize,
            shape.VocabularySize, shape.ContextLength);
    }

    private static GgmlType TypeOf(string name) => name switch
    {
        "F32" => GgmlTypes.F32,
        "F16" => GgmlTypes.F16,
        _ => GgmlTypes.Known.Single(t => t.Name == name),
    };

    // F32 and F16 are written directly; the rest pass llama.cpp's quantizer, which gives the output matrix (the
    // token embedding when tied) Q6_K, or Q8_0 when its rows are no whole number of 256-element blocks (the fallback
    // for Q6_K); Q8_0 and BF16 keep their own type.
    private static GgmlType Quantized(GgufTensorInfo tensor, GgmlType weightType, bool tied, string quantization)
    {
        bool output = tensor.Name == "output.weight" || (tied && tensor.Name == "token_embd.weight");
        if (!output || quantization is "F32" or "F16" or "BF16" or "Q8_0")
        {
            return weightType;
        }

        GgmlType q6k = GgmlTypes.Known.Single(t => t.Name == "Q6_K");
        return tensor.Dimensions[0] % q6k.BlockSize == 0 ? q6k : GgmlTypes.Q8_0;
    }
}
