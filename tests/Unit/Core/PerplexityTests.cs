using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EdgeLm.Core;
using EdgeLm.Core.Engine;
using EdgeLm.Core.Models;
using EdgeLm.Core.Perplexity;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Core;

/// <summary>
/// Perplexity as llama-perplexity computes it: the arithmetic against hand computations on tiny logits, the chunking
/// against its rules, the scorer's batch and logits indexing against a plain token-by-token evaluation, hostile texts,
/// and edgelm quality end to end in a worker.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class PerplexityTests : IDisposable
{
    private static readonly string Text = Path.Combine(Repository.Root, "examples", "quality-text.txt");

    private readonly TinyModel _tiny;
    private readonly TempFolder _temp = new();

    public PerplexityTests(TinyModel tiny) => _tiny = tiny;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void NegativeLogLikelihoodIsMinusLogSoftmaxOfTheTarget()
    {
        float[] logits = { 1f, 2f, 3f };
        // -log(e^3 / (e^1 + e^2 + e^3)) = log(1 + e^-1 + e^-2), and -log(e^1 / ...) = 2 + that.
        double top = Math.Log(1 + Math.Exp(-1) + Math.Exp(-2));
        Assert.Equal(top, PerplexityAccumulator.NegativeLogLikelihood(logits, 2), 6);
        Assert.Equal(top + 2, PerplexityAccumulator.NegativeLogLikelihood(logits, 0), 6);
        // Shifting every logit changes nothing (the maximum is subtracted first), even far from zero.
        float[] shifted = { 1001f, 1002f, 1003f };
        Assert.Equal(top, PerplexityAccumulator.NegativeLogLikelihood(shifted, 2), 5);
        Assert.Throws<ArgumentOutOfRangeException>(() => PerplexityAccumulator.NegativeLogLikelihood(logits, 3));
    }

    [Fact]
    public void PerplexityAndUncertaintyAreLlamaPerplexitysFinalEstimate()
    {
        var sums = new PerplexityAccumulator();
        foreach (double nll in new[] { 1.0, 2.0, 3.0, 4.0 })
        {
            sums.Add(nll);
        }

        // mean 2.5; mean of squares 7.5; variance 7.5 - 6.25 = 1.25; standard error sqrt(1.25 / 3).
        Assert.Equal(4, sums.Count);
        Assert.Equal(Math.Exp(2.5), sums.Perplexity, 9);
        Assert.Equal(Math.Sqrt(1.25 / 3) * Math.Exp(2.5), sums.Uncertainty, 9);

        var uniform = new PerplexityAccumulator();
        float[] flat = new float[8];
        uniform.Add(flat, 3);
        uniform.Add(flat, 5);
        Assert.Equal(8.0, uniform.Perplexity, 5); // a uniform guess over 8 tokens: perplexity 8, no spread
        Assert.Equal(0.0, uniform.Uncertainty, 9);
        Assert.True(double.IsNaN(new PerplexityAccumulator().Perplexity));
    }

    [Theory]
    [InlineData(512, 256, 255)]
    [InlineData(9, 4, 4)]
    [InlineData(8, 4, 3)]
    public void TheSecondHalfOfEachChunkIsScored(int context, int first, int scored)
    {
        Assert.Equal(first, PerplexityChunks.First(context));
        Assert.Equal(scored, PerplexityChunks.ScoredPerChunk(context));
    }

    [Fact]
    public void ChunksAreWholeNonOverlappingAndStartWithBos()
    {
        Assert.Equal(10, PerplexityChunks.Count(1099, 100, null)); // the 99 left over are dropped
        Assert.Equal(3, PerplexityChunks.Count(1099, 100, 3));
        Assert.Equal(10, PerplexityChunks.Count(1099, 100, 50));

        int[] tokens = Enumerable.Range(100, 12).ToArray();
        Assert.Equal(new[] { 1, 105, 106, 107 }, PerplexityChunks.ChunkTokens(tokens, 1, 4, addBos: true, bos: 1));
        Assert.Equal(new[] { 104, 105, 106, 107 }, PerplexityChunks.ChunkTokens(tokens, 1, 4, addBos: false, bos: 1));
    }

    [Fact]
    public void TheScorerMatchesAPlainTokenByTokenEvaluation()
    {
        const int context = 16;
        string text = File.ReadAllText(Text)[..4000];
        PerplexityMeasurement measured = PerplexityScorer.Measure(new PerplexityOrder(_tiny.Path, text, context, 2, 1), null, CancellationToken.None);

        // The same figure the slow way: each scored position decoded as the last of a prefix, its logits read alone,
        // the log-softmax in double throughout.
        using LlamaModel model = LlamaModel.Load(_tiny.Path);
        int[] tokens = model.Tokenize(text);
        Assert.Equal(model.Bos, tokens[0]); // the tiny vocabulary adds BOS, so the chunk's replacement is exercised
        using LlamaContext context16 = LlamaContext.Create(model, new ContextOptions(context, context, context, 1, 1));
        double sum = 0;
        int count = 0;
        for (int chunk = 0; chunk < 2; chunk++)
        {
            int[] input = tokens.Skip(chunk * context).Take(context).ToArray();
            input[0] = model.Bos;
            for (int i = context / 2; i < context - 1; i++)
            {
                context16.ClearMemory();
                context16.Decode(input.AsSpan(0, i + 1), CancellationToken.None);
                float[] logits = context16.LogitsAt(-1).ToArray();
                double max = logits.Max();
                double logSum = Math.Log(logits.Sum(l => Math.Exp(l - max))) + max;
                sum += logSum - logits[tokens[chunk * context + i + 1]];
                count++;
            }
        }

        Assert.Equal(count, measured.TokensScored);
        Assert.Equal(2 * 7, measured.TokensScored);
        Assert.Equal(tokens.Length, measured.TextTokens);
        Assert.True(measured.AddsBos);
        Assert.Equal(Math.Exp(sum / count), measured.Perplexity, Math.Exp(sum / count) * 1e-4);
    }

    [Fact]
    public void ATextShorterThanTwoContextsIsRefusedWithItsTokenCount()
    {
        var e = Assert.Throws<EdgeLmArgumentException>(() =>
            PerplexityScorer.Measure(new PerplexityOrder(_tiny.Path, "a short text", 512, null, 1), null, CancellationToken.None));
        Assert.Equal("TextTooShort", e.ErrorId);
        Assert.Contains("fewer than the 1024", e.Message);
        Assert.Contains("context of", e.Message);
    }

    [Theory]
    [InlineData("binary", "TextIsBinary")]
    [InlineData("latin1", "TextNotUtf8")]
    [InlineData("empty", "TextEmpty")]
    [InlineData("blank", "TextEmpty")]
    [InlineData("huge", "FileTooLarge")]
    [InlineData("missing", "TextNotFound")]
    [InlineData("fifo", "NotARegularFile")]
    [InlineData("device", "NotARegularFile")]
    [InlineData("folder", "NotARegularFile")]
    public void HostileTextsAreRefusedByName(string kind, string errorId)
    {
        string path = HostileText(kind);

        var e = Assert.Throws<EdgeLmInvalidFileException>(() => QualityText.Read(path));

        Assert.Equal(errorId, e.ErrorId);
        Assert.Contains(Path.GetFullPath(path), e.Message);
    }

    [Fact]
    public void TheTextIsHashedAsStoredAndLosesOneTrailingNewlineAsWithDashF()
    {
        string path = _temp.File("t.txt");
        File.WriteAllText(path, "one two\n\n");

        QualityText text = QualityText.Read(path);

        Assert.Equal("one two\n", text.Text);
        Assert.Equal(9, text.Bytes);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant(), text.Sha256);
    }

    [Fact]
    public void SyntheticModelsAreMarkedAndOthersAreNot()
    {
        Assert.True(SyntheticWeights.Of(GgufReader.Read(_tiny.Path)));
        Assert.False(SyntheticWeights.Of(new GgufFileStub("a real model", "Llama 3.2 1B Instruct").File));
    }

    [Fact]
    public void QualityEndToEndInAWorker()
    {
        var run = ProcessRunner.Edgelm("quality", "--model", _tiny.Path, "--text", Text, "--context", "32", "--chunks", "3", "--threads", "1", "--format", "json");

        Assert.True(run.Exit == 0, run.Err);
        using JsonDocument json = JsonDocument.Parse(run.Out.Trim());
        JsonElement r = json.RootElement;
        Assert.Equal(3, r.GetProperty("Chunks").GetInt32());
        Assert.Equal(3 * 15, r.GetProperty("TokensScored").GetInt32());
        Assert.True(r.GetProperty("SyntheticWeights").GetBoolean());
        Assert.Equal("synthetic-tiny", r.GetProperty("ModelName").GetString());
        Assert.Equal(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Text))).ToLowerInvariant(), r.GetProperty("TextSha256").GetString());
        Assert.Equal(new FileInfo(Text).Length, r.GetProperty("TextBytes").GetInt64());

        // The worker's figure is the in-process scorer's, bit for bit: same code, same library, same threads.
        PerplexityMeasurement direct = PerplexityScorer.Measure(
            new PerplexityOrder(_tiny.Path, File.ReadAllText(Text).TrimEnd('\n'), 32, 3, 1), null, CancellationToken.None);
        Assert.Equal(direct.Perplexity, r.GetProperty("Perplexity").GetDouble(), direct.Perplexity * 1e-9);
        Assert.Equal(direct.Uncertainty, r.GetProperty("PerplexityUncertainty").GetDouble(), direct.Uncertainty * 1e-9);
    }

    [Fact]
    public void AReferenceModelInTheSameCallIsIdentifiedAndCompared()
    {
        var run = ProcessRunner.Edgelm("quality", "--model", _tiny.Path, "--reference-model", _tiny.Path, "--text", Text, "--context", "32",
            "--chunks", "2", "--threads", "1", "--format", "json");

        Assert.True(run.Exit == 0, run.Err);
        using JsonDocument json = JsonDocument.Parse(run.Out.Trim());
        JsonElement r = json.RootElement;
        Assert.Equal(r.GetProperty("ModelSha256").GetString(), r.GetProperty("ReferenceModelSha256").GetString());
        Assert.Equal("F16", r.GetProperty("ReferenceQuantization").GetString());
        Assert.Equal(JsonValueKind.Null, r.GetProperty("ReferenceLogitsPath").ValueKind);
        Assert.InRange(r.GetProperty("KlDivergenceMean").GetDouble(), -1e-6, 1e-6); // itself: rounding of the saved rows only
        Assert.Equal(100, r.GetProperty("SameTopPercent").GetDouble());
    }

    [Fact]
    public void QualityOnAFifoIsOneLineNamingIt()
    {
        string fifo = HostileText("fifo");

        var run = ProcessRunner.Edgelm("quality", "--model", _tiny.Path, "--text", fifo);

        Assert.Equal(1, run.Exit);
        Assert.StartsWith("edgelm: ", run.Err);
        Assert.Contains("named pipe", run.Err);
        Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("--context", "4")]
    [InlineData("--chunks", "0")]
    [InlineData("--threads", "0")]
    public void OutOfRangeOptionsExitTwo(string option, string value)
    {
        var run = ProcessRunner.EdgelmInProcess("quality", "--model", _tiny.Path, "--text", Text, option, value);
        Assert.Equal(2, run.Exit);
        Assert.Contains(option, run.Err);
    }

    private string HostileText(string kind)
    {
        string path = _temp.File(kind + ".txt");
        switch (kind)
        {
            case "binary": File.WriteAllBytes(path, new byte[] { 0x47, 0x47, 0x55, 0x46, 0, 0, 0, 3 }); break;
            case "latin1": File.WriteAllBytes(path, Encoding.Latin1.GetBytes("caf\u00e9 cr\u00e8me br\u00fbl\u00e9e")); break;
            case "empty": File.WriteAllBytes(path, Array.Empty<byte>()); break;
            case "blank": File.WriteAllText(path, " \n\t\n"); break;
            case "huge":
                using (var f = new FileStream(path, FileMode.Create))
                {
                    f.SetLength(QualitySettings.MaxTextBytes + 1);
                }

                break;
            case "missing": break;
            case "fifo": Assert.Equal(0, ProcessRunner.Run("mkfifo", new[] { path }).Exit); break;
            case "device": return "/dev/zero";
            case "folder": Directory.CreateDirectory(path); break;
        }

        return path;
    }

    /// <summary>A GGUF header of a model EdgeLm did not write (name and description of someone else's).</summary>
    private sealed class GgufFileStub
    {
        public GgufFileStub(string description, string name)
        {
            using var folder = new TempFolder();
            string path = folder.File("other.gguf");
            using (FileStream output = System.IO.File.Create(path))
            {
                new GgufWriter().Add("general.architecture", "llama").Add("general.name", name).Add("general.description", description)
                    .WriteTo(output, (_, _) => { });
            }

            File = GgufReader.Read(path);
        }

        public GgufFile File { get; }
    }
}
