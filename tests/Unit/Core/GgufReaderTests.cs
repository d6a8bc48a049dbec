using System.Buffers.Binary;
using System.Text;
using EdgeLm.Core;
using EdgeLm.Core.Models;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Core;

public sealed class GgufReaderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("Llama 3.2 1B Instruct", "Llama 3.2 1B Instruct")]
    [InlineData("\u001b]0;owned\u0007\u001b[2Jtiny", "\uFFFD]0;owned\uFFFD\uFFFD[2Jtiny")]
    [InlineData("two\nlines\r", "two\uFFFDlines\uFFFD")]
    [InlineData("evil\u202Egnp.exe", "evil\uFFFDgnp.exe")]
    [InlineData("", "someone-elses")]
    [InlineData("   ", "someone-elses")]
    public void AModelsNameFromItsFileIsSafeToPrint(string name, string shown)
    {
        string path = _temp.File("someone-elses.gguf");
        using (FileStream output = File.Create(path))
        {
            new GgufWriter().Add("general.architecture", "llama").Add("general.name", name).WriteTo(output, (_, _) => { });
        }

        Assert.Equal(shown, ModelInspector.Describe(GgufReader.Read(path)).ModelName);
    }

    [Fact]
    public void AModelsNameOfPagesIsCutWhole()
    {
        string pages = "x" + string.Concat(Enumerable.Repeat("\U0001F600", 100_000));

        string shown = ModelInspector.DisplayName(pages, "m.gguf");

        // The cut falls inside a surrogate pair ("x" and pairs: the 200th character is a high surrogate), so that
        // half is dropped: 199 characters and the mark.
        Assert.Equal(ModelInspector.MaxNameLength, shown.Length);
        Assert.EndsWith("…", shown);
        Assert.True(char.IsLowSurrogate(shown[^2]));
        Assert.True(Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(shown)) == shown, "the cut name is not valid UTF-16");
    }

    [Fact]
    public void ReadsBackWhatTheWriterWrote()
    {
        string path = WriteSample("sample.gguf");

        GgufFile file = GgufReader.Read(path);

        Assert.Equal(3, file.Version);
        Assert.Equal("llama", file.GetString("general.architecture"));
        Assert.Equal(1L, file.GetInteger("llama.block_count"));
        Assert.Equal(0.5, file.GetNumber("llama.rope.freq_base"));
        Assert.Equal(true, file.Metadata["flag"]);
        var tokens = Assert.IsType<GgufArray>(file.Metadata["tokenizer.ggml.tokens"]);
        Assert.Equal(new object[] { "a", "b", "c" }, tokens.Values);
        Assert.Equal(100, Assert.IsType<GgufArray>(file.Metadata["long.list"]).Count);
        Assert.Null(Assert.IsType<GgufArray>(file.Metadata["long.list"]).Values);
        Assert.Equal(new[] { "norm.weight", "blk.0.w.weight", "blk.0.q.weight" }, file.Tensors.Select(t => t.Name));
        Assert.Equal(new long[] { 64, 3 }, file.Tensors[1].Dimensions);
        Assert.Equal(GgmlTypes.Q8_0, file.Tensors[2].Type);
        Assert.Equal(0, file.DataOffset % 32);
        Assert.Equal(new FileInfo(path).Length, file.FileBytes);
        Assert.All(file.Tensors, t => Assert.Equal(0, t.Offset % 32));
    }

    [Fact]
    public void InspectorReportsShapeAndTypeMix()
    {
        ModelInfo info = ModelInspector.Inspect(WriteSample("inspect.gguf"));

        Assert.Equal("llama", info.Architecture);
        Assert.Equal("sample", info.ModelName);
        Assert.Equal(32 + 64 * 3 + 64, info.ParameterCount);
        Assert.Equal(1, info.Layers);
        Assert.Equal(3, info.VocabularySize);
        Assert.Equal("Q8_0", info.Quantization); // general.file_type 7
        Assert.Equal("F16:1,Q8_0:1,F32:1", info.TensorTypes);
        Assert.True(info.TiedOutput);
        Assert.Equal(32 * 4 + 64 * 3 * 2 + 68, info.ModelBytes);
    }

    [Fact]
    public void WrongMagicIsNamed()
    {
        string path = WriteSample("magic.gguf");
        Patch(path, 0, Encoding.ASCII.GetBytes("PK\u0003\u0004"));
        AssertInvalid(path, "GgufBadMagic", "'PK\\x03\\x04'");
    }

    [Fact]
    public void UnsupportedVersionIsNamed()
    {
        string path = WriteSample("version.gguf");
        Patch(path, 4, BitConverter.GetBytes(1u));
        AssertInvalid(path, "GgufUnsupportedVersion", "version 1");
    }

    [Theory]
    [InlineData(10)]
    [InlineData(100)]
    [InlineData(200)]
    public void TruncatedHeaderIsNamed(int keep)
    {
        string path = WriteSample("truncated.gguf");
        Truncate(path, keep);
        AssertInvalid(path, "GgufTruncated", "truncated");
    }

    [Fact]
    public void TensorPastTheEndIsNamedWithItsEnd()
    {
        string path = WriteSample("short.gguf");
        long length = new FileInfo(path).Length;
        Truncate(path, length - 40); // past the trailing padding, into the last tensor
        var e = AssertInvalid(path, "GgufTensorOutOfBounds", "'blk.0.q.weight' needs 68 bytes from byte");
        Assert.Contains($"beyond the file's {length - 40} bytes", e.Message);
    }

    [Fact]
    public void HugeCountsAreRefusedBeforeAllocating()
    {
        string path = WriteSample("count.gguf");
        Patch(path, 16, BitConverter.GetBytes(ulong.MaxValue / 2)); // metadata count
        AssertInvalid(path, "GgufTruncated", "the metadata count is");
    }

    [Fact]
    public void HugeStringLengthIsRefused()
    {
        string path = WriteSample("string.gguf");
        Patch(path, 24, BitConverter.GetBytes(1L << 40)); // length of the first key
        AssertInvalid(path, "GgufTruncated", "claims 1099511627776 bytes");
    }

    [Fact]
    public void UnknownTensorTypeIsNamed()
    {
        string path = WriteSample("type.gguf");
        PatchTensorField(path, "blk.0.w.weight", dimensionCount: 2, fieldAfterDims: 0, BitConverter.GetBytes(99u));
        AssertInvalid(path, "GgufBadTensor", "type 99");
    }

    [Theory]
    [InlineData(4u, "is Q4_2 (type 4), a type from an older llama.cpp that llama.cpp has since removed")]
    [InlineData(5u, "is Q4_3 (type 5), a type from an older llama.cpp that llama.cpp has since removed")]
    [InlineData(37u, "is IQ4_NL_4_8 (type 37), a type from an older llama.cpp that llama.cpp has since removed")]
    [InlineData(1000u, "type 1000, which llama.cpp 0.5.0 does not know (a model from a newer llama.cpp")]
    public void RemovedAndNewerTensorTypesAreToldApart(uint type, string fragment)
    {
        string path = WriteSample("old-type.gguf");
        PatchTensorField(path, "blk.0.w.weight", dimensionCount: 2, fieldAfterDims: 0, BitConverter.GetBytes(type));
        var e = AssertInvalid(path, "GgufBadTensor", fragment);
        if (type < 1000)
        {
            Assert.DoesNotContain("newer", e.Message);
        }
    }

    // As llama.cpp's gguf_init: a uint32 power of two; each fault named as what it is (2^31 is a power of two, too large).
    [Theory]
    [InlineData("u32", 1u << 31, "general.alignment is 2147483648, out of range: EdgeLm reads alignments up to 1048576 bytes")]
    [InlineData("u32", 48u, "general.alignment is 48, not a power of two")]
    [InlineData("u32", 0u, "general.alignment is 0, not a power of two")]
    [InlineData("i32", 32u, "general.alignment is stored as int32 (32); GGUF and llama.cpp read it only as a uint32")]
    [InlineData("text", 32u, "general.alignment is stored as string ('32'); GGUF and llama.cpp read it only as a uint32")]
    public void ABadAlignmentIsNamedForWhatIsWrongWithIt(string stored, uint value, string fragment)
    {
        string path = WriteSample("alignment.gguf", w => _ = stored switch
        {
            "u32" => w.AddUInt32("general.alignment", value),
            "i32" => w.AddInt32("general.alignment", (int)value),
            _ => w.Add("general.alignment", value.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        });

        var e = AssertInvalid(path, "GgufBadMetadata", fragment);
        if (value == 1u << 31)
        {
            Assert.DoesNotContain("not a power of two", e.Message);
        }
    }

    [Fact]
    public void TheDefaultAlignmentWrittenOutReads() =>
        Assert.Equal(32, GgufReader.Read(WriteSample("aligned.gguf", w => w.AddUInt32("general.alignment", 32))).Alignment);

    [Theory]
    [InlineData(ulong.MaxValue - 13183)] // 2^64 - 13184: negative as a signed 64-bit number
    [InlineData((1UL << 63) + 32)]
    public void AnOffsetPastAnyFileIsSaidSoWithoutANegativeBytePosition(ulong offset)
    {
        string path = WriteSample("far.gguf");
        PatchTensorField(path, "blk.0.q.weight", dimensionCount: 1, fieldAfterDims: 4, BitConverter.GetBytes(offset));

        var e = AssertInvalid(path, "GgufBadTensor", $"tensor 'blk.0.q.weight' starts at data offset {offset}, beyond any file");
        Assert.DoesNotContain("-", e.Message.Replace(path, string.Empty));
    }

    [Fact]
    public void MisalignedOffsetIsNamed()
    {
        string path = WriteSample("offset.gguf");
        PatchTensorField(path, "blk.0.w.weight", dimensionCount: 2, fieldAfterDims: 4, BitConverter.GetBytes(132UL));
        AssertInvalid(path, "GgufBadTensor", "not a multiple of the alignment 32");
    }

    [Fact]
    public void ZeroDimensionIsNamed()
    {
        string path = WriteSample("dims.gguf");
        PatchTensorField(path, "blk.0.w.weight", dimensionCount: 2, fieldAfterDims: -8, BitConverter.GetBytes(0UL));
        AssertInvalid(path, "GgufBadTensor", "dimension 1 of 0");
    }

    [Fact]
    public void RowsThatSplitABlockAreRefused()
    {
        var writer = new GgufWriter();
        writer.Add("general.architecture", "llama");
        writer.AddTensor("bad.weight", GgmlTypes.F32, 48);
        string path = _temp.File("block.gguf");
        using (var s = File.Create(path))
        {
            writer.WriteTo(s, (t, o) => o.Write(new byte[t.Bytes]));
        }

        PatchTensorField(path, "bad.weight", dimensionCount: 1, fieldAfterDims: 0, BitConverter.GetBytes((uint)GgmlTypes.Q8_0.Id));
        AssertInvalid(path, "GgufBadTensor", "not a multiple of its block size 32");
    }

    [Fact]
    public void DirectoryAndMissingPathAreNamed()
    {
        AssertInvalid(_temp.Path, "GgufIsDirectory", "is a folder");
        AssertInvalid(_temp.File("nope.gguf"), "FileNotFound", "does not exist");
    }

    [Fact]
    public void EmptyFileIsNamed()
    {
        string path = _temp.File("empty.gguf");
        File.WriteAllBytes(path, Array.Empty<byte>());
        AssertInvalid(path, "GgufTruncated", "only 0 bytes");
    }

    [Fact]
    public void StringArraysWithLongStringsRead()
    {
        var writer = new GgufWriter();
        writer.Add("general.architecture", "llama").AddStrings("general.tags", new[] { "text-generation", "a tag longer than eight bytes", "x" });
        writer.AddTensor("norm.weight", GgmlTypes.F32, 32);
        string path = _temp.File("tags.gguf");
        using (var stream = File.Create(path))
        {
            writer.WriteTo(stream, (tensor, output) => output.Write(new byte[tensor.Bytes]));
        }

        var tags = Assert.IsType<GgufArray>(GgufReader.Read(path).Metadata["general.tags"]);
        Assert.Equal(new object[] { "text-generation", "a tag longer than eight bytes", "x" }, tags.Values);
    }

    [Theory]
    [InlineData("blk.0.w.weight", 0UL)]   // on top of norm.weight
    [InlineData("blk.0.q.weight", 32UL)]  // before blk.0.w.weight ends
    [InlineData("blk.0.q.weight", 992UL)] // a hole after blk.0.w.weight
    public void OverlappingOrMisplacedTensorsAreRefusedAsLlamaCppWould(string tensor, ulong offset)
    {
        string path = WriteSample("overlap.gguf");
        int dimensions = tensor == "blk.0.w.weight" ? 2 : 1;
        PatchTensorField(path, tensor, dimensions, fieldAfterDims: 4, BitConverter.GetBytes(offset));
        AssertInvalid(path, "GgufBadTensorOffset", $"'{tensor}' starts at data offset {offset}, but the tensors before it end at");
    }

    [Fact]
    public void ANameThatIsNotUtf8IsRefused()
    {
        string path = WriteSample("utf8.gguf");
        byte[] content = File.ReadAllBytes(path);
        int at = content.AsSpan().IndexOf(Encoding.UTF8.GetBytes("norm.weight"));
        Patch(path, at, new byte[] { 0xFF });
        AssertInvalid(path, "GgufBadString", "is not valid UTF-8");
    }

    [Fact]
    public void ATensorWhoseByteCountWouldWrapIsRefused()
    {
        string path = WriteSample("wrap.gguf");
        PatchTensorField(path, "norm.weight", dimensionCount: 1, fieldAfterDims: -8, BitConverter.GetBytes(1UL << 62));
        AssertInvalid(path, "GgufBadTensor", "more bytes than any file holds");
    }

    [Fact]
    public void PipesAndDevicesAreRefusedWithoutBlocking()
    {
        string fifo = _temp.File("model.gguf");
        Assert.Equal(0, ProcessRunner.Run("mkfifo", new[] { fifo }).Exit);

        // A FIFO with no writer would block open() forever: refused before opening.
        var e = Assert.Throws<EdgeLmInvalidFileException>(() => GgufReader.Read(fifo));
        Assert.Equal("NotARegularFile", e.ErrorId);
        Assert.Contains("named pipe (FIFO)", e.Message);

        e = Assert.Throws<EdgeLmInvalidFileException>(() => GgufReader.Read("/dev/zero"));
        Assert.Equal("NotARegularFile", e.ErrorId);
        Assert.Contains("character device", e.Message);
    }

    private EdgeLmInvalidFileException AssertInvalid(string path, string errorId, string fragment)
    {
        var e = Assert.Throws<EdgeLmInvalidFileException>(() => GgufReader.Read(path));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Contains(fragment, e.Message);
        Assert.Contains(Path.GetFileName(path), e.Message);
        return e;
    }

    private string WriteSample(string name, Action<GgufWriter>? more = null)
    {
        var writer = new GgufWriter();
        more?.Invoke(writer);
        writer.Add("general.architecture", "llama")
            .Add("general.name", "sample")
            .AddUInt32("general.file_type", 7)
            .AddUInt32("llama.block_count", 1)
            .AddFloat32("llama.rope.freq_base", 0.5f)
            .Add("flag", true)
            .AddStrings("tokenizer.ggml.tokens", new[] { "a", "b", "c" })
            .AddInt32s("long.list", Enumerable.Range(0, 100).ToArray());
        writer.AddTensor("norm.weight", GgmlTypes.F32, 32);
        writer.AddTensor("blk.0.w.weight", GgmlTypes.F16, 64, 3);
        writer.AddTensor("blk.0.q.weight", GgmlTypes.Q8_0, 64);
        string path = _temp.File(name);
        using var stream = File.Create(path);
        writer.WriteTo(stream, (tensor, output) => output.Write(new byte[tensor.Bytes]));
        return path;
    }

    private static void Patch(string path, long offset, byte[] bytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        stream.Position = offset;
        stream.Write(bytes);
    }

    private static void Truncate(string path, long length)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        stream.SetLength(length);
    }

    // Patches a tensor-directory field found by the tensor's name: the type sits right after the
    // dimensions (fieldAfterDims 0), the offset 4 bytes later; a negative value reaches back into the dimensions.
    private static void PatchTensorField(string path, string tensor, int dimensionCount, int fieldAfterDims, byte[] bytes)
    {
        byte[] content = File.ReadAllBytes(path);
        byte[] name = Encoding.UTF8.GetBytes(tensor);
        int at = content.AsSpan().IndexOf(name);
        Assert.True(at > 0, $"{tensor} not found");
        Assert.Equal((ulong)name.Length, BinaryPrimitives.ReadUInt64LittleEndian(content.AsSpan(at - 8)));
        long dims = at + name.Length + 4;
        Patch(path, dims + dimensionCount * 8 + fieldAfterDims, bytes);
    }
}
