using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace EdgeLm.Core.Models;

/// <summary>The named shapes New-EdgeSyntheticModel knows, from the embedded shapes.yaml.</summary>
public static class SyntheticShapes
{
    private static readonly Lazy<IReadOnlyDictionary<string, SyntheticShape>> Catalog = new(Load);

    public static IReadOnlyList<string> Names => Catalog.Value.Keys.ToArray();

    public static SyntheticShape Get(string name)
    {
        if (Catalog.Value.TryGetValue(name.Trim().ToLowerInvariant(), out SyntheticShape? shape))
        {
            return shape;
        }

        throw new EdgeLmArgumentException("UnknownShape",
            $"there is no synthetic shape '{name}'; use one of {string.Join(", ", Names)}, or give custom dimensions");
    }

    /// <summary>
    /// The named shape with the given dimensions changed (New-EdgeSyntheticModel -Layers ..., edgelm model synth
    /// --layers ...): the named shape itself when nothing is changed, else a 'custom' shape, validated.
    /// </summary>
    public static SyntheticShape Resolve(string name, SyntheticShapeOverrides? overrides = null)
    {
        SyntheticShape shape = Get(name);
        if (overrides is null || overrides == new SyntheticShapeOverrides())
        {
            return shape;
        }

        return Custom(
            overrides.Layers ?? shape.Layers,
            overrides.EmbeddingSize ?? shape.EmbeddingSize,
            overrides.FeedForwardSize ?? shape.FeedForwardSize,
            overrides.Heads ?? shape.Heads,
            overrides.KvHeads ?? shape.KvHeads,
            overrides.VocabularySize ?? shape.VocabularySize,
            overrides.ContextLength ?? shape.ContextLength,
            overrides.TiedOutput ?? shape.TiedOutput,
            shape.RopeFreqBase);
    }

    public static SyntheticShape Custom(int layers, int embeddingSize, int feedForwardSize, int heads, int kvHeads,
        int vocabularySize, int contextLength, bool tiedOutput, float ropeFreqBase = 10000f)
    {
        var shape = new SyntheticShape("custom", layers, embeddingSize, feedForwardSize, heads, kvHeads, vocabularySize,
            contextLength, ropeFreqBase, tiedOutput);
        shape.Validate();
        return shape;
    }

    private static IReadOnlyDictionary<string, SyntheticShape> Load()
    {
        using Stream stream = typeof(SyntheticShapes).Assembly.GetManifestResourceStream("EdgeLm.Core.Models.shapes.yaml")
            ?? throw new InvalidOperationException("shapes.yaml is not embedded in EdgeLm.Core");
        using var reader = new StreamReader(stream);
        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        var entries = deserializer.Deserialize<Dictionary<string, ShapeEntry>>(reader);
        var shapes = new Dictionary<string, SyntheticShape>(StringComparer.Ordinal);
        foreach (var (name, e) in entries)
        {
            var shape = new SyntheticShape(name, e.Layers, e.Embedding, e.FeedForward, e.Heads, e.KvHeads, e.Vocabulary,
                e.Context, e.RopeFreqBase, e.TiedOutput);
            shape.Validate();
            shapes.Add(name, shape);
        }

        return shapes;
    }

    private sealed class ShapeEntry
    {
        public int Layers { get; set; }
        public int Embedding { get; set; }
        public int FeedForward { get; set; }
        public int Heads { get; set; }
        public int KvHeads { get; set; }
        public int Vocabulary { get; set; }
        public int Context { get; set; }
        public float RopeFreqBase { get; set; }
        public bool TiedOutput { get; set; }
    }
}

/// <summary>Dimensions that replace a named shape's; null keeps the shape's own.</summary>
public sealed record SyntheticShapeOverrides
{
    public int? Layers { get; init; }
    public int? EmbeddingSize { get; init; }
    public int? FeedForwardSize { get; init; }
    public int? Heads { get; init; }
    public int? KvHeads { get; init; }
    public int? VocabularySize { get; init; }
    public int? ContextLength { get; init; }

    /// <summary>Whether the output matrix is the input embedding (no separate output weights).</summary>
    public bool? TiedOutput { get; init; }
}
