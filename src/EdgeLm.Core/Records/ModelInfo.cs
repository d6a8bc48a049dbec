namespace EdgeLm;

/// <summary>What a GGUF file holds, read from its header without loading weights.</summary>
public sealed class ModelInfo
{
    public string ModelName { get; set; } = string.Empty;
    public string ModelPath { get; set; } = string.Empty;
    public string Architecture { get; set; } = string.Empty;
    public long ParameterCount { get; set; }
    /// <summary>The file type llama.cpp names (e.g. Q4_K_M), or the dominant tensor type when the file does not say.</summary>
    public string Quantization { get; set; } = string.Empty;
    /// <summary>The mix of tensor types, most parameters first, e.g. "Q4_K:112,Q6_K:17,F32:61".</summary>
    public string TensorTypes { get; set; } = string.Empty;
    public double BitsPerWeight { get; set; }
    public long? ContextLength { get; set; }
    public long? Layers { get; set; }
    public long? EmbeddingSize { get; set; }
    public long? FeedForwardSize { get; set; }
    public long? Heads { get; set; }
    public long? KvHeads { get; set; }
    public long? VocabularySize { get; set; }
    public bool TiedOutput { get; set; }
    public string? ChatTemplate { get; set; }
    public int GgufVersion { get; set; }
    public int TensorCount { get; set; }
    /// <summary>Bytes of tensor data (the weights) in the file.</summary>
    public long ModelBytes { get; set; }
    /// <summary>
    /// Weight bytes each generated token reads: every tensor except the input embedding table, of which one row
    /// is gathered (unless it doubles as the output matrix). The basis of BandwidthUtilization.
    /// </summary>
    public long DecodeWeightBytes { get; set; }
    public long FileBytes { get; set; }
    /// <summary>True for EdgeLm's synthetic (random-weight) models: fine for speed, memory and energy; their answers and perplexity mean nothing.</summary>
    public bool SyntheticWeights { get; set; }
}
