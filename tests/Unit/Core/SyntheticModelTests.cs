using System.Security.Cryptography;
using EdgeLm.Core;
using EdgeLm.Core.Engine;
using EdgeLm.Core.Host;
using EdgeLm.Core.Worker;
using EdgeLm.Core.Devices;
using EdgeLm.Core.Models;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Core;

[Collection(TinyModelCollection.Name)]
public sealed class SyntheticModelTests : IDisposable
{
    private readonly TinyModel _tiny;
    private readonly TempFolder _temp = new();

    public SyntheticModelTests(TinyModel tiny) => _tiny = tiny;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void TinyIsASmallLlamaModelWithTheShapesDimensions()
    {
        SyntheticShape shape = SyntheticShapes.Get("tiny");
        ModelInfo info = _tiny.Info;

        Assert.Equal("llama", info.Architecture);
        Assert.Equal(shape.ParameterCount, info.ParameterCount);
        Assert.Equal(shape.Layers, info.Layers);
        Assert.Equal(shape.EmbeddingSize, info.EmbeddingSize);
        Assert.Equal(shape.FeedForwardSize, info.FeedForwardSize);
        Assert.Equal(shape.Heads, info.Heads);
        Assert.Equal(shape.KvHeads, info.KvHeads);
        Assert.Equal(shape.VocabularySize, info.VocabularySize);
        Assert.Equal("F16", info.Quantization);
        Assert.True(info.TiedOutput);
        Assert.True(info.FileBytes < 2_000_000, $"tiny is {info.FileBytes} bytes");
    }

    [Fact]
    public void LlamaCppSeesTheSameModel()
    {
        using LlamaModel model = LlamaModel.Load(_tiny.Path);
        SyntheticShape shape = SyntheticShapes.Get("tiny");

        Assert.Equal(_tiny.Info.ParameterCount, model.ParameterCount);
        Assert.Equal(_tiny.Info.ModelBytes, model.SizeBytes);
        Assert.Equal(shape.Layers, model.Layers);
        Assert.Equal(shape.EmbeddingSize, model.EmbeddingSize);
        Assert.Equal(shape.Heads, model.Heads);
        Assert.Equal(shape.KvHeads, model.KvHeads);
        Assert.Equal(shape.ContextLength, model.TrainedContext);
        Assert.Equal(shape.VocabularySize, model.VocabularySize);
        Assert.Equal("F16", model.FileType);
        Assert.Contains("llama", model.Description);
        Assert.Equal("llama", model.Metadata["general.architecture"]);
        Assert.Null(model.ChatTemplate);
    }

    [Fact]
    public void VocabularyEncodesAnyTextAndDecodesBack()
    {
        using LlamaModel model = LlamaModel.Load(_tiny.Path);
        const string text = "hello world: ünïcode 42!";

        int[] tokens = model.Tokenize(text);
        string decoded = System.Text.Encoding.UTF8.GetString(tokens.Skip(1).SelectMany(model.TokenToPiece).ToArray());

        Assert.Equal(SyntheticVocabulary.BosId, tokens[0]);
        Assert.Equal(" " + text, decoded); // SentencePiece marks the first word like every other
    }

    [Fact]
    public void FrequentLettersMergeIntoMultiCharacterPieces()
    {
        using LlamaModel model = LlamaModel.Load(_tiny.Path);
        const string text = "eat tea at ease";

        int[] tokens = model.Tokenize(text, addSpecial: false);

        Assert.True(tokens.Length < text.Length * 2 / 3, $"{tokens.Length} tokens for {text.Length} characters: n-grams should merge");
    }

    [Fact]
    public void SameSeedSameBytesOtherSeedOtherWeights()
    {
        string a = Synth("a.gguf", seed: 7);
        string b = Synth("b.gguf", seed: 7);
        string c = Synth("c.gguf", seed: 8);

        Assert.Equal(Hash(a), Hash(b));
        Assert.NotEqual(Hash(a), Hash(c));
        Assert.Equal(new FileInfo(a).Length, new FileInfo(c).Length);
    }

    [Theory]
    [InlineData("F32", "F32")]
    [InlineData("Q8_0", "Q8_0")]
    [InlineData("Q4_0", "Q4_0")]
    [InlineData("q4_k_m", "Q4_K_M")]
    public void QuantizesThroughLlamaCpp(string requested, string reported)
    {
        string path = Synth($"{reported}.gguf", quantization: requested);
        ModelInfo info = ModelInspector.Inspect(path);

        Assert.Equal(reported, info.Quantization);
        Assert.Equal(_tiny.Info.ParameterCount, info.ParameterCount);
        using LlamaModel model = LlamaModel.Load(path);
        Assert.Equal(info.ParameterCount, model.ParameterCount);
        Assert.Empty(Directory.GetFiles(_temp.Path, "*.tmp"));
        if (reported != "F32")
        {
            Assert.True(info.ModelBytes < _tiny.Info.ModelBytes, $"{reported} is not smaller than F16");
        }
    }

    [Fact]
    public void WritingStreamsInsteadOfHoldingTheModel()
    {
        // ~71M parameters, ~142 MB as F16: allocation must stay at the write buffer, header and vocabulary.
        SyntheticShape shape = SyntheticShapes.Custom(4, 1024, 4096, 8, 8, 4096, 2048, tiedOutput: true);
        long before = GC.GetAllocatedBytesForCurrentThread();

        ModelInfo info = SyntheticModelBuilder.Create(new SyntheticModelRequest { Shape = shape, Quantization = "F16", OutputPath = _temp.File("stream.gguf") });

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(info.FileBytes > 140_000_000, $"the model is only {info.FileBytes} bytes");
        Assert.True(allocated < 24_000_000, $"writing a {info.FileBytes / 1_000_000} MB model allocated {allocated / 1_000_000} MB");
    }

    [Fact]
    public void ConvertRequantizesAnyGguf()
    {
        ModelInfo info = ModelConversion.Quantize(_tiny.Path, _temp.File("q8.gguf"), "Q8_0", 0, TestWorker.Launch);

        Assert.Equal("Q8_0", info.Quantization);
        Assert.StartsWith("Q8_0:", info.TensorTypes);
    }

    [Fact]
    public void RefusesToOverwriteWithoutForce()
    {
        string path = Synth("exists.gguf");
        var e = Assert.Throws<EdgeLmArgumentException>(() => Synth("exists.gguf"));
        Assert.Equal("OutputExists", e.ErrorId);
        Synth("exists.gguf", force: true);
    }

    [Fact]
    public void ForceReplacesOnlyRegularFiles()
    {
        var e = Assert.Throws<EdgeLmArgumentException>(() => OutputFiles.Prepare("/dev/full", force: true));
        Assert.Equal("OutputNotARegularFile", e.ErrorId);
        Assert.Contains("character device", e.Message);
        Assert.True(File.Exists("/dev/full"));
    }

    [Fact]
    public void UnknownQuantizationAndShapeAreRefusedWithTheChoices()
    {
        var q = Assert.Throws<EdgeLmArgumentException>(() => Synth("q.gguf", quantization: "Q9_9"));
        Assert.Contains("Q4_K_M", q.Message);
        var s = Assert.Throws<EdgeLmArgumentException>(() => SyntheticShapes.Get("gpt-5"));
        Assert.Contains("llama-3.2-1b", s.Message);
        Assert.False(File.Exists(_temp.File("q.gguf")));
    }

    [Theory]
    [InlineData(2, 132, 256, 8, 8, "not divisible by 8 heads")]
    [InlineData(2, 128, 256, 4, 3, "not divisible by 3 KV heads")]
    [InlineData(2, 128, 256, 4, 4, "too small", 100)]
    public void CustomShapesAreValidated(int layers, int embedding, int ff, int heads, int kvHeads, string fragment, int vocabulary = 512)
    {
        var e = Assert.Throws<EdgeLmArgumentException>(() => SyntheticShapes.Custom(layers, embedding, ff, heads, kvHeads, vocabulary, 512, true));
        Assert.Contains(fragment, e.Message);
    }

    // Parameter counts published for the real models; our llama-shaped approximations stay within 3%
    // (Qwen's attention biases and Phi-3's fused projections are the differences).
    [Theory]
    [InlineData("smollm2-135m", 134_515_008)]
    [InlineData("smollm2-360m", 361_821_120)]
    [InlineData("qwen2.5-0.5b", 494_032_768)]
    [InlineData("llama-3.2-1b", 1_235_814_400)]
    [InlineData("qwen2.5-1.5b", 1_543_714_304)]
    [InlineData("smollm2-1.7b", 1_711_376_384)]
    [InlineData("llama-3.2-3b", 3_212_749_824)]
    [InlineData("phi-3-mini", 3_821_079_552)]
    [InlineData("llama-2-7b", 6_738_415_616)]
    public void NamedShapesMatchTheRealModelsSize(string name, long published)
    {
        long ours = SyntheticShapes.Get(name).ParameterCount;
        Assert.InRange(ours, published * 0.97, published * 1.03);
    }

    private string Synth(string name, ulong seed = 42, string quantization = "F16", bool force = false)
    {
        string path = _temp.File(name);
        SyntheticModelBuilder.Create(new SyntheticModelRequest
        {
            Shape = SyntheticShapes.Get("tiny"),
            Quantization = quantization,
            Seed = seed,
            OutputPath = path,
            Force = force,
        });
        return path;
    }

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }
}
