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
