using System.Buffers.Binary;
using System.Text;

namespace EdgeLm.Core.Models;

/// <summary>
/// Reads and validates a GGUF header before llama.cpp ever sees the file: magic, version, counts,
/// string and array lengths, tensor types and dimensions, alignment, and that every tensor's data
/// lies inside the file. Only the header is read, so a multi-GB model takes milliseconds.
/// </summary>
internal static class GgufReader
{
    public const uint Magic = 0x46554747; // "GGUF" little-endian
    public const int DefaultAlignment = 32;
    private const int MaxAlignment = 1 << 20;
    private const string AlignmentKey = "general.alignment";
    private const int MaxDimensions = 4;
    private const int MaxTensorName = 63; // GGML_MAX_NAME - 1
    private const int KeptArrayValues = 64;
    internal const string VocabularyKey = "tokenizer.ggml.tokens";
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static GgufFile Read(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        FileKind kind = InputFiles.KindOf(full);
        if (kind == FileKind.Directory)
        {
            throw Invalid(full, "GgufIsDirectory", $"{full} is a folder, not a GGUF file; give the path of a .gguf file inside it.");
        }

        if (kind == FileKind.Missing)
        {
            throw Invalid(full, "FileNotFound", $"{full} does not exist; check the path (Get-ChildItem *.gguf lists models).");
        }

        // A model is read twice (here, then by llama.cpp) and must be seekable: a pipe or device cannot be.
        using FileStream stream = InputFiles.OpenRegular(full, "GGUF model", options: FileOptions.SequentialScan);
        return new Parser(full, stream).Parse();
    }

    internal static EdgeLmInvalidFileException Invalid(string path, string errorId, string message, Exception? inner = null) =>
        new(path, errorId, message, inner);

    private sealed class Parser
    {
        private readonly string _path;
        private readonly BufferedStream _stream;
        private readonly long _length;
        private readonly byte[] _scratch = new byte[8];
        private long _position;

        public Parser(string path, FileStream stream)
        {
            _path = path;
            _length = stream.Length;
            _stream = new BufferedStream(stream, 1 << 16);
        }

        private string Name => System.IO.Path.GetFileName(_path);

        public GgufFile Parse()
        {
            if (_length < 24)
            {
                throw Fail("GgufTruncated", $"is only {_length} bytes, too short for a GGUF header (24 bytes); the download was probably cut off");
            }

            uint magic = ReadUInt32("the magic number");
            if (magic != Magic)
            {
                throw Fail("GgufBadMagic", $"is not a GGUF file: it starts with {Printable(magic)}, not 'GGUF'. " +
                    "Convert it with llama.cpp's convert_hf_to_gguf.py, or check you gave the model file");
            }

            uint version = ReadUInt32("the version");
            if (version is < 2 or > 3)
            {
                throw Fail("GgufUnsupportedVersion", $"is GGUF version {version}; EdgeLm and llama.cpp read versions 2 and 3. " +
                    "Re-convert the model with a current llama.cpp");
            }

            long tensorCount = ReadCount("the tensor count", minBytesEach: 4 + 8 + 4 + 8 + 4 + 8);
            long kvCount = ReadCount("the metadata count", minBytesEach: 8 + 4);

            var metadata = new Dictionary<string, object>(StringComparer.Ordinal);
            GgufValueType? alignmentType = null;
            for (long i = 0; i < kvCount; i++)
            {
                string key = ReadString($"metadata key {i}");
                if (key.Length == 0)
                {
                    throw Fail("GgufBadMetadata", $"metadata entry {i} has an empty key");
                }

                var type = (GgufValueType)ReadUInt32($"the type of '{key}'");
                object value = ReadValue(type, key);
                if (key == AlignmentKey)
                {
                    alignmentType = type;
                }

                if (!metadata.TryAdd(key, value))
                {
                    throw Fail("GgufBadMetadata", $"metadata key '{key}' appears twice");
                }
            }

            int alignment = metadata.TryGetValue(AlignmentKey, out object? a) ? CheckAlignment(a, alignmentType!.Value) : DefaultAlignment;

            var tensors = new List<GgufTensorInfo>((int)Math.Min(tensorCount, 1 << 16));
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (long i = 0; i < tensorCount; i++)
            {
                tensors.Add(ReadTensorInfo(i, names, alignment));
            }

            long dataOffset = AlignUp(_position, alignment);
            // As llama.cpp's own reader: each tensor starts where the previous one ended, padded to the alignment,
            // so tensors neither overlap nor leave holes, and the last one ends inside the file.
            long expected = 0;
            foreach (GgufTensorInfo tensor in tensors)
            {
                if (tensor.Offset != expected)
                {
                    throw Fail("GgufBadTensorOffset", $"tensor '{tensor.Name}' starts at data offset {tensor.Offset}, but the tensors before it end at {expected}; " +
                        "tensors must follow one another in order without overlap (a corrupt or hand-edited file)");
                }

                long end = dataOffset + tensor.Offset + tensor.Bytes;
                if (end > _length)
                {
                    throw Fail("GgufTensorOutOfBounds", $"tensor '{tensor.Name}' needs {tensor.Bytes} bytes from byte {dataOffset + tensor.Offset}, beyond the file's {_length} bytes " +
                        "(truncated download?)");
                }

                expected = AlignUp(tensor.Offset + tensor.Bytes, alignment);
            }

            return new GgufFile(_path, (int)version, metadata, tensors, dataOffset, _length, alignment);
        }

        // As llama.cpp's gguf_init: a uint32 and a power of two, each fault named as what it is. Past 1 MiB is EdgeLm's own
        // limit (llama.cpp writes 32): a power of two such as 2^31 is refused as out of range, not as "not a power of two".
        private int CheckAlignment(object value, GgufValueType type)
        {
            if (type != GgufValueType.UInt32)
            {
                string shown = value switch { string text => $"'{text}'", GgufArray => "an array", _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)! };
                throw Fail("GgufBadMetadata", $"{AlignmentKey} is stored as {type.ToString().ToLowerInvariant()} ({shown}); GGUF and llama.cpp read it only as a uint32");
            }

            long alignment = (long)value;
            if (alignment == 0 || (alignment & (alignment - 1)) != 0)
            {
                throw Fail("GgufBadMetadata", $"{AlignmentKey} is {alignment}, not a power of two; llama.cpp reads only powers of two (it writes {DefaultAlignment})");
            }

            if (alignment > MaxAlignment)
            {
                throw Fail("GgufBadMetadata", $"{AlignmentKey} is {alignment}, out of range: EdgeLm reads alignments up to {MaxAlignment} bytes (llama.cpp writes {DefaultAlignment}); a corrupt or hand-edited file");
            }

            return (int)alignment;
        }

        private GgufTensorInfo ReadTensorInfo(long index, HashSet<string> names, int alignment)
        {
            string name = ReadString($"the name of tensor {index}");
            if (name.Length == 0 || Encoding.UTF8.GetByteCount(name) > MaxTensorName)
            {
                throw Fail("GgufBadTensor", $"tensor {index} has a name of {Encoding.UTF8.GetByteCount(name)} bytes; names are 1 to {MaxTensorName} bytes");
            }

            if (!names.Add(name))
            {
                throw Fail("GgufBadTensor", $"tensor '{name}' appears twice");
            }

            uint dimensionCount = ReadUInt32($"the dimension count of '{name}'");
            if (dimensionCount is 0 or > MaxDimensions)
            {
                throw Fail("GgufBadTensor", $"tensor '{name}' has {dimensionCount} dimensions; GGUF allows 1 to {MaxDimensions}");
            }

            var dimensions = new long[dimensionCount];
            long elements = 1;
            for (int d = 0; d < dimensionCount; d++)
            {
                ulong size = ReadUInt64($"dimension {d} of '{name}'");
                if (size == 0 || size > long.MaxValue || (elements = CheckedMultiply(elements, (long)size)) < 0)
                {
                    throw Fail("GgufBadTensor", $"tensor '{name}' has dimension {d} of {size}; dimensions must be positive and their product fit in 63 bits");
                }

                dimensions[d] = (long)size;
            }

            uint typeId = ReadUInt32($"the type of '{name}'");
            GgmlType? type = GgmlTypes.Find((int)typeId);
            if (type is null)
            {
                throw Fail("GgufBadTensor", GgmlTypes.Removed(typeId) is string removed
                    ? $"tensor '{name}' is {removed} (type {typeId}), a type from an older llama.cpp that llama.cpp has since removed; quantize the model again from its original weights"
                    : $"tensor '{name}' has type {typeId}, which llama.cpp {Native.LlamaRuntime.SupportedVersion} does not know " +
                      (typeId > GgmlTypes.HighestId ? "(a model from a newer llama.cpp, or corruption)" : "(corruption, or a hand-edited file)"));
            }

            if (dimensions[0] % type.BlockSize != 0)
            {
                throw Fail("GgufBadTensor", $"tensor '{name}' is {type.Name} with rows of {dimensions[0]} elements, not a multiple of its block size {type.BlockSize}");
            }

            // The tensor's bytes must fit in a file: checked here, so a dimension of 2^62 cannot wrap its size to 0.
            long rows = elements / dimensions[0];
            long rowBytes = CheckedMultiply(dimensions[0] / type.BlockSize, type.TypeSize);
            if (rowBytes < 0 || CheckedMultiply(rows, rowBytes) is < 0 or > long.MaxValue / 2)
            {
                throw Fail("GgufBadTensor", $"tensor '{name}' has {elements} elements of {type.Name}, more bytes than any file holds");
            }

            ulong offset = ReadUInt64($"the offset of '{name}'");
            if (offset > long.MaxValue)
            {
                throw Fail("GgufBadTensor", $"tensor '{name}' starts at data offset {offset}, beyond any file");
            }

            if ((long)offset % alignment != 0)
            {
                throw Fail("GgufBadTensor", $"tensor '{name}' starts at data offset {offset}, which is not a multiple of the alignment {alignment}");
            }

            return new GgufTensorInfo(name, dimensions, type, (long)offset);
        }

        private object ReadValue(GgufValueType type, string key)
        {
            switch (type)
            {
                case GgufValueType.UInt8: return (long)ReadBytes(1, key)[0];
                case GgufValueType.Int8: return (long)(sbyte)ReadBytes(1, key)[0];
                case GgufValueType.UInt16: return (long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2, key));
                case GgufValueType.Int16: return (long)BinaryPrimitives.ReadInt16LittleEndian(ReadBytes(2, key));
                case GgufValueType.UInt32: return (long)ReadUInt32(key);
                case GgufValueType.Int32: return (long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4, key));
                case GgufValueType.UInt64:
                    ulong u = ReadUInt64(key);
                    return u > long.MaxValue ? (double)u : (long)u;
                case GgufValueType.Int64: return BinaryPrimitives.ReadInt64LittleEndian(ReadBytes(8, key));
                case GgufValueType.Float32: return (double)BinaryPrimitives.ReadSingleLittleEndian(ReadBytes(4, key));
                case GgufValueType.Float64: return BinaryPrimitives.ReadDoubleLittleEndian(ReadBytes(8, key));
                case GgufValueType.Bool:
                    byte b = ReadBytes(1, key)[0];
                    if (b > 1)
                    {
                        throw Fail("GgufBadMetadata", $"'{key}' is a bool stored as {b}; only 0 and 1 are valid");
                    }

                    return b == 1;
                case GgufValueType.String: return ReadString(key);
                case GgufValueType.Array: return ReadArray(key);
                default:
                    throw Fail("GgufBadMetadata", $"'{key}' has value type {(int)type}, which GGUF does not define");
            }
        }

        private GgufArray ReadArray(string key)
        {
            var elementType = (GgufValueType)ReadUInt32($"the element type of '{key}'");
            if (elementType == GgufValueType.Array)
            {
                throw Fail("GgufBadMetadata", $"'{key}' is an array of arrays, which llama.cpp does not read");
            }

            int minBytes = elementType switch
            {
                GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
                GgufValueType.UInt16 or GgufValueType.Int16 => 2,
                GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
                GgufValueType.UInt64 or GgufValueType.Int64 or GgufValueType.Float64 or GgufValueType.String => 8,
                _ => throw Fail("GgufBadMetadata", $"'{key}' is an array of value type {(int)elementType}, which GGUF does not define"),
            };
            long count = ReadCount($"the length of '{key}'", minBytes);
            var kept = count <= KeptArrayValues ? new List<object>((int)count) : null;
            if (kept is null && elementType != GgufValueType.String)
            {
                Skip(count * minBytes, key);
                return new GgufArray(elementType, count, null);
            }

            // The vocabulary's tokens are all read: llama.cpp aborts on duplicates, so they are counted here.
            HashSet<string>? distinct = key == VocabularyKey && elementType == GgufValueType.String ? new(StringComparer.Ordinal) : null;
            for (long i = 0; i < count; i++)
            {
                if (elementType == GgufValueType.String)
                {
                    ulong length = ReadUInt64(key);
                    CheckRemaining(length, $"element {i} of '{key}'");
                    if (distinct is not null)
                    {
                        string token = Encoding.UTF8.GetString(ReadExact((int)length, key));
                        distinct.Add(token);
                        kept?.Add(token);
                        continue;
                    }

                    if (kept is null)
                    {
                        Skip((long)length, key);
                        continue;
                    }

                    kept.Add(Decode(ReadExact((int)length, key), $"element {i} of '{key}'"));
                }
                else
                {
                    kept!.Add(ReadValue(elementType, key));
                }
            }

            return new GgufArray(elementType, count, kept) { Distinct = distinct?.Count };
        }

        private string ReadString(string what)
        {
            ulong length = ReadUInt64(what);
            CheckRemaining(length, what);
            if (length > int.MaxValue)
            {
                throw Fail("GgufBadMetadata", $"{what} claims {length} bytes");
            }

            return Decode(ReadExact((int)length, what), what);
        }

        // A count whose elements must each take at least minBytesEach bytes of what is left of the file.
        private long ReadCount(string what, int minBytesEach)
        {
            ulong count = ReadUInt64(what);
            long remaining = _length - _position;
            if (count > (ulong)(remaining / minBytesEach))
            {
                throw Fail("GgufTruncated", $"{what} is {count}, but only {remaining} bytes remain; the file is truncated or corrupt");
            }

            return (long)count;
        }

        private void CheckRemaining(ulong length, string what)
        {
            long remaining = _length - _position;
            if (length > (ulong)remaining)
            {
                throw Fail("GgufTruncated", $"{what} claims {length} bytes but only {remaining} remain; the file is truncated or corrupt");
            }
        }

        private uint ReadUInt32(string what) => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4, what));

        private ulong ReadUInt64(string what) => BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8, what));

        private ReadOnlySpan<byte> ReadBytes(int count, string what)
        {
            Fill(_scratch.AsSpan(0, count), what);
            return _scratch.AsSpan(0, count);
        }

        private byte[] ReadExact(int count, string what)
        {
            var buffer = new byte[count];
            Fill(buffer, what);
            return buffer;
        }

        private void Fill(Span<byte> destination, string what)
        {
            if (_position + destination.Length > _length)
            {
                throw Fail("GgufTruncated", $"ends at byte {_length} while reading {what}; the file is truncated (re-download it)");
            }

            int read = 0;
            while (read < destination.Length)
            {
                int n = _stream.Read(destination[read..]);
                if (n == 0)
                {
                    throw Fail("GgufTruncated", $"ends while reading {what}; the file is truncated (re-download it)");
                }

                read += n;
            }

            _position += read;
        }

        private void Skip(long count, string what)
        {
            if (_position + count > _length)
            {
                throw Fail("GgufTruncated", $"ends at byte {_length} while reading {what}; the file is truncated (re-download it)");
            }

            _stream.Seek(count, SeekOrigin.Current);
            _position += count;
        }

        // llama.cpp's reader refuses strings that are not UTF-8 (names, keys, values): so do we, before it sees them.
        private string Decode(byte[] bytes, string what)
        {
            try
            {
                return StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw Fail("GgufBadString", $"{what} is not valid UTF-8 text");
            }
        }

        private EdgeLmInvalidFileException Fail(string errorId, string problem) =>
            Invalid(_path, errorId, $"{Name}: {problem}.");

        private static long CheckedMultiply(long a, long b)
        {
            try
            {
                return checked(a * b);
            }
            catch (OverflowException)
            {
                return -1;
            }
        }

        private static string Printable(uint magic)
        {
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, magic);
            var text = new StringBuilder("'");
            foreach (byte b in bytes)
            {
                text.Append(b is >= 0x20 and < 0x7f ? ((char)b).ToString() : $"\\x{b:X2}");
            }

            return text.Append('\'').ToString();
        }
    }

    internal static long AlignUp(long value, int alignment) => (value + alignment - 1) / alignment * alignment;
}
