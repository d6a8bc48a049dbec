namespace EdgeLm.Core.Models;

/// <summary>
/// What a model's memory and decode traffic depend on, from a GGUF header or a synthetic shape: its weight bytes,
/// the share llama.cpp's CPU backend repacks into a second copy, and the dimensions that size the KV cache and the
/// activations.
/// </summary>
internal sealed record ModelFootprint(
    string ModelName,
    string Quantization,
    long WeightBytes,
    long DecodeWeightBytes,
    long RepackedBytes,
    int Layers,
    int EmbeddingSize,
    int FeedForwardSize,
    int Heads,
    int KvHeads,
    int KeyLength,
    int ValueLength,
    int VocabularySize,
    int TrainedContext)
{
    /// <summary>
    /// Types this llama.cpp's CPU backend repacks into interleaved copies (q4_0_8x8 on x86 with AVX2, q4_0_4x4 and
    /// 4x8 on ARM with dot products, q4_K and iq4_nl likewise). Q8_0 and F16 stay mapped.
    /// </summary>
    private static readonly HashSet<string> RepackedTypes = new(StringComparer.Ordinal) { "Q4_0", "Q4_K", "IQ4_NL" };

    /// <summary>KV cache bytes per context cell (position) at llama.cpp's default F16 cache type: K and V over all layers.</summary>
    public long KvBytesPerCell => (long)Layers * KvHeads * (KeyLength + ValueLength) * 2;

    /// <summary>The footprint of a GGUF file from its header (validated as inference would).</summary>
    public static ModelFootprint Of(GgufFile file)
    {
        ModelInfo info = ModelInspector.Describe(file);
        string prefix = info.Architecture + ".";
        int heads = (int)(info.Heads ?? 0);
        int embedding = (int)(info.EmbeddingSize ?? 0);
        int headSize = heads > 0 ? embedding / heads : 0;
        return new ModelFootprint(
            info.ModelName,
            info.Quantization,
            info.ModelBytes,
            info.DecodeWeightBytes,
            Repacked(file.Tensors),
            (int)(info.Layers ?? 0),
            embedding,
            (int)(info.FeedForwardSize ?? 0),
            heads,
            (int)(info.KvHeads ?? heads),
            (int)(file.GetInteger(prefix + "attention.key_length") ?? headSize),
            (int)(file.GetInteger(prefix + "attention.value_length") ?? headSize),
            (int)(info.VocabularySize ?? 0),
            (int)Math.Min(int.MaxValue, info.ContextLength ?? 0));
    }

    /// <summary>Bytes of the 2-D weights the CPU backend repacks; token_embd is read by row (get_rows) and stays mapped.</summary>
    internal static long Repacked(IEnumerable<GgufTensorInfo> tensors) => tensors
        .Where(t => t.Dimensions.Length >= 2 && t.Name != "token_embd.weight" && RepackedTypes.Contains(t.Type.Name))
        .Sum(t => t.Bytes);
}
