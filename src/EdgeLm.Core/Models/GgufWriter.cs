using System.Text;

namespace EdgeLm.Core.Models;

/// <summary>
/// Writes a GGUF v3 file: metadata and tensor directory first, then each tensor's data streamed from a
/// callback, so a model of any size is written with one small buffer.
/// </summary>
internal sealed class GgufWriter
{
    private readonly List<(string Key, GgufValueType Type, object Value)> _metadata = new();
    private readonly List<GgufTensorInfo> _tensors = new();
    private long _nextOffset;

    public GgufWriter(int alignment = GgufReader.DefaultAlignment)
    {
        Alignment = alignment;
    }

    public int Alignment { get; }

    public IReadOnlyList<GgufTensorInfo> Tensors => _tensors;

    public GgufWriter Add(string key, string value) => AddValue(key, GgufValueType.String, value);

    public GgufWriter Add(string key, bool value) => AddValue(key, GgufValueType.Bool, value);

    public GgufWriter AddUInt32(string key, uint value) => AddValue(key, GgufValueType.UInt32, value);

    public GgufWriter AddInt32(string key, int value) => AddValue(key, GgufValueType.Int32, value);

    public GgufWriter AddFloat32(string key, float value) => AddValue(key, GgufValueType.Float32, value);

    public GgufWriter AddStrings(string key, IReadOnlyList<string> values) => AddValue(key, GgufValueType.Array, (GgufValueType.String, (object)values));

    public GgufWriter AddFloat32s(string key, IReadOnlyList<float> values) => AddValue(key, GgufValueType.Array, (GgufValueType.Float32, (object)values));

    public GgufWriter AddInt32s(string key, IReadOnlyList<int> values) => AddValue(key, GgufValueType.Array, (GgufValueType.Int32, (object)values));

    /// <summary>Declares a tensor; dimensions are ggml's order (ne0 = row length first).</summary>
    public GgufTensorInfo AddTensor(string name, GgmlType type, params long[] dimensions)
    {
        var info = new GgufTensorInfo(name, dimensions, type, _nextOffset);
        _tensors.Add(info);
        _nextOffset = GgufReader.AlignUp(_nextOffset + info.Bytes, Alignment);
        return info;
    }

    /// <summary>Total bytes the file will have.</summary>
    public long FileBytes => HeaderBytes() is var header ? GgufReader.AlignUp(header, Alignment) + _nextOffset : 0;

    /// <summary>
    /// Writes the file. <paramref name="writeTensor"/> must write exactly <see cref="GgufTensorInfo.Bytes"/>
    /// bytes for the tensor it is given; padding between tensors is added here.
    /// </summary>
    public void WriteTo(Stream output, Action<GgufTensorInfo, Stream> writeTensor)
    {
        var header = new MemoryStream();
        WriteHeader(header);
        header.Position = 0;
        header.CopyTo(output);
        long position = header.Length;
        Pad(output, ref position);
        long dataStart = position;
        foreach (GgufTensorInfo tensor in _tensors)
        {
            if (position - dataStart != tensor.Offset)
            {
                throw new InvalidOperationException($"tensor '{tensor.Name}' would land at data offset {position - dataStart}, not {tensor.Offset}");
            }

            var counted = new CountingStream(output);
            writeTensor(tensor, counted);
            if (counted.Written != tensor.Bytes)
            {
                throw new InvalidOperationException($"tensor '{tensor.Name}' wrote {counted.Written} bytes, expected {tensor.Bytes}");
            }

            position += counted.Written;
            Pad(output, ref position);
        }
    }

    private long HeaderBytes()
    {
        var counter = new MemoryStream();
        WriteHeader(counter);
        return counter.Length;
    }

    private GgufWriter AddValue(string key, GgufValueType type, object value)
    {
        if (_metadata.Any(m => m.Key == key))
        {
            throw new ArgumentException($"metadata key '{key}' added twice", nameof(key));
        }

        _metadata.Add((key, type, value));
        return this;
    }

    private void WriteHeader(Stream s)
    {
        var w = new BinaryWriter(s, Encoding.UTF8, leaveOpen: true);
        w.Write(GgufReader.Magic);
        w.Write(3u);
        w.Write((ulong)_tensors.Count);
        w.Write((ulong)_metadata.Count);
        foreach (var (key, type, value) in _metadata)
        {
            WriteString(w, key);
            w.Write((uint)type);
            WriteValue(w, type, value);
        }

        foreach (GgufTensorInfo tensor in _tensors)
        {
            WriteString(w, tensor.Name);
            w.Write((uint)tensor.Dimensions.Length);
            foreach (long d in tensor.Dimensions)
            {
                w.Write((ulong)d);
            }

            w.Write((uint)tensor.Type.Id);
            w.Write((ulong)tensor.Offset);
        }

        w.Flush();
    }

    private static void WriteValue(BinaryWriter w, GgufValueType type, object value)
    {
        switch (type)
        {
            case GgufValueType.String: WriteString(w, (string)value); break;
            case GgufValueType.Bool: w.Write((bool)value ? (byte)1 : (byte)0); break;
            case GgufValueType.UInt32: w.Write((uint)value); break;
            case GgufValueType.Int32: w.Write((int)value); break;
            case GgufValueType.Float32: w.Write((float)value); break;
            case GgufValueType.Array:
                var (elementType, items) = ((GgufValueType, object))value;
                w.Write((uint)elementType);
                switch (items)
                {
                    case IReadOnlyList<string> strings:
                        w.Write((ulong)strings.Count);
                        foreach (string item in strings) { WriteString(w, item); }
                        break;
                    case IReadOnlyList<float> floats:
                        w.Write((ulong)floats.Count);
                        foreach (float item in floats) { w.Write(item); }
                        break;
                    case IReadOnlyList<int> ints:
                        w.Write((ulong)ints.Count);
                        foreach (int item in ints) { w.Write(item); }
                        break;
                    default: throw new ArgumentException($"unsupported array {items.GetType()}");
                }

                break;
            default: throw new ArgumentException($"unsupported value type {type}");
        }
    }

    private static void WriteString(BinaryWriter w, string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    private void Pad(Stream output, ref long position)
    {
        long aligned = GgufReader.AlignUp(position, Alignment);
        if (aligned > position)
        {
            Span<byte> zeros = stackalloc byte[(int)(aligned - position)];
            zeros.Clear();
            output.Write(zeros);
            position = aligned;
        }
    }

    // Counts what a tensor callback writes, so a wrong size fails here instead of corrupting the file.
    private sealed class CountingStream : Stream
    {
        private readonly Stream _inner;

        public CountingStream(Stream inner) => _inner = inner;

        public long Written { get; private set; }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Written; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _inner.Write(buffer);
            Written += buffer.Length;
        }

        public override void Flush() => _inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
