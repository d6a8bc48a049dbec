namespace EdgeLm.Core.Models;

/// <summary>The dimensions of a llama-architecture transformer.</summary>
public sealed record SyntheticShape(
    string Name,
    int Layers,
    int EmbeddingSize,
    int FeedForwardSize,
    int Heads,
    int KvHeads,
    int VocabularySize,
    int ContextLength,
    float RopeFreqBase,
    bool TiedOutput)
{
    public int HeadSize => EmbeddingSize / Heads;

    /// <summary>Parameters the GGUF will hold (norms included; output counted once when tied).</summary>
    public long ParameterCount
    {
        get
        {
            long e = EmbeddingSize, kv = (long)KvHeads * HeadSize, f = FeedForwardSize;
            long perLayer = e * e * 2 + e * kv * 2 + e * f * 3 + e * 2;
            return (long)VocabularySize * e * (TiedOutput ? 1 : 2) + e + Layers * perLayer;
        }
    }

    /// <summary>Throws when llama.cpp could not build a graph for these dimensions.</summary>
    public void Validate()
    {
        static EdgeLmArgumentException Bad(string message) => new("InvalidShape", message);

        if (Layers < 1 || EmbeddingSize < 1 || FeedForwardSize < 1 || Heads < 1 || KvHeads < 1 || ContextLength < 1)
        {
            throw Bad($"shape '{Name}': layers, embedding size, feed-forward size, heads, KV heads and context length must all be at least 1");
        }

        if (EmbeddingSize % Heads != 0)
        {
            throw Bad($"shape '{Name}': embedding size {EmbeddingSize} is not divisible by {Heads} heads");
        }

        if (Heads % KvHeads != 0)
        {
            throw Bad($"shape '{Name}': {Heads} heads are not divisible by {KvHeads} KV heads (grouped-query attention needs whole groups)");
        }

        if (HeadSize % 2 != 0)
        {
            throw Bad($"shape '{Name}': head size {HeadSize} must be even for rotary embeddings");
        }

        if (VocabularySize < SyntheticVocabulary.MinimumSize)
        {
            throw Bad($"shape '{Name}': a vocabulary of {VocabularySize} is too small; the byte-fallback vocabulary needs at least {SyntheticVocabulary.MinimumSize} tokens");
        }

        if (EmbeddingSize % 32 != 0 || FeedForwardSize % 32 != 0)
        {
            throw Bad($"shape '{Name}': embedding size {EmbeddingSize} and feed-forward size {FeedForwardSize} must be multiples of 32 so every quantization's blocks fit");
        }
    }
}
