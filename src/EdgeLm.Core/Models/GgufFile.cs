namespace EdgeLm.Core.Models;

/// <summary>GGUF metadata value types (gguf.h enum gguf_type).</summary>
internal enum GgufValueType
{
    UInt8 = 0,
    Int8 = 1,
    UInt16 = 2,
    Int16 = 3,
    UInt32 = 4,
    Int32 = 5,
    Float32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    UInt64 = 10,
    Int64 = 11,
    Float64 = 12,
}

/// <summary>
/// An array value. Element values are kept only for short arrays: a 150,000-entry vocabulary is
/// validated and counted, never held, so reading a header stays fast.
/// </summary>
/// <summary>An array's type, length and (up to a limit) values; <see cref="Distinct"/> counts distinct strings of the vocabulary.</summary>
internal sealed record GgufArray(GgufValueType ElementType, long Count, IReadOnlyList<object>? Values)
{
    public long? Distinct { get; init; }
}

/// <summary>One tensor's header entry; <see cref="Offset"/> is relative to the data section.</summary>
internal sealed record GgufTensorInfo(string Name, long[] Dimensions, GgmlType Type, long Offset)
{
    public long Elements => Dimensions.Aggregate(1L, (a, d) => a * d);

    public long Bytes => Type.RowBytes(Dimensions[0]) * (Elements / Math.Max(1, Dimensions[0]));
}

/// <summary>A validated GGUF header: metadata, tensor directory and where the data starts.</summary>
internal sealed class GgufFile
{
    internal GgufFile(string path, int version, IReadOnlyDictionary<string, object> metadata,
        IReadOnlyList<GgufTensorInfo> tensors, long dataOffset, long fileBytes, int alignment)
    {
        Path = path;
        Version = version;
        Metadata = metadata;
        Tensors = tensors;
        DataOffset = dataOffset;
        FileBytes = fileBytes;
        Alignment = alignment;
    }

    public string Path { get; }
    public int Version { get; }

    /// <summary>Values are string, bool, long (all integer types), double (float types) or <see cref="GgufArray"/>.</summary>
    public IReadOnlyDictionary<string, object> Metadata { get; }

    public IReadOnlyList<GgufTensorInfo> Tensors { get; }
    public long DataOffset { get; }
    public long FileBytes { get; }
    public int Alignment { get; }

    public string? GetString(string key) => Metadata.TryGetValue(key, out object? v) ? v as string : null;

    public long? GetInteger(string key) => Metadata.TryGetValue(key, out object? v) && v is long l ? l : null;

    public double? GetNumber(string key) => Metadata.TryGetValue(key, out object? v)
        ? v switch { long l => l, double d => d, _ => null }
        : null;

    /// <summary>An integer, or the largest of a per-layer integer array (e.g. head counts that vary by layer).</summary>
    public long? GetIntegerOrMax(string key)
    {
        if (!Metadata.TryGetValue(key, out object? v))
        {
            return null;
        }

        return v switch
        {
            long l => l,
            GgufArray { Values: { Count: > 0 } values } => values.OfType<long>().DefaultIfEmpty().Max(),
            _ => null,
        };
    }

    public long? ArrayCount(string key) => Metadata.TryGetValue(key, out object? v) && v is GgufArray a ? a.Count : null;
}
