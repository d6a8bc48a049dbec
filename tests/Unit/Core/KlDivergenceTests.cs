using EdgeLm.Core;
using EdgeLm.Core.Models;
using EdgeLm.Core.Perplexity;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Core;

/// <summary>
/// KL divergence against saved reference log-probabilities, as llama-perplexity --kl-divergence computes it: the 16-bit
/// rows, the per-token sums against hand computations, its statistics, a save-and-compare round trip on a real model,
/// and reference files that do not belong to the run.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class KlDivergenceTests : IDisposable
{
    private static readonly string Text = File.ReadAllText(Path.Combine(Repository.Root, "examples", "quality-text.txt"))[..4000];

    private readonly TinyModel _tiny;
    private readonly TempFolder _temp = new();

    public KlDivergenceTests(TinyModel tiny) => _tiny = tiny;

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(2.5f, 2)]
    [InlineData(3.5f, 4)]
    [InlineData(1.4f, 1)]
    [InlineData(65534.6f, 65535)]
    public void NearestIntRoundsHalfToEvenAsLlamaCpp(float value, int expected) => Assert.Equal(expected, LogitsFile.NearestInt(value));

    [Fact]
    public void ARowKeepsTheSixteenNatsBelowTheTopAt16Bits()
    {
        float[] logits = { 0f, -1f, -20f, 2f, 1.5f };
        var row = new ushort[LogitsFile.RowLength(logits.Length)];
        Assert.Equal(10, row.Length); // 4 for the two floats, 5 rounded up to 6

        LogitsFile.Quantize(logits, row);

        float scale = MemoryMarshalFloat(row, 0), min = MemoryMarshalFloat(row, 1);
        double logSum = Math.Log(logits.Sum(l => Math.Exp(l - 2))) + 2;
        Assert.Equal(16f / 65535f, scale, 9);
        for (int i = 0; i < logits.Length; i++)
        {
            double decoded = scale * row[4 + i] + min;
            if (logits[i] >= 2 - 16)
            {
                Assert.InRange(decoded - (logits[i] - logSum), -1.3e-4, 1.3e-4); // within half a step of 16/65535
            }
            else
            {
                Assert.Equal(0, row[4 + i]); // more than 16 nats below the top: the floor
            }
        }

        Assert.Equal(0, row[9]); // the padding
    }

    [Fact]
    public void KlDivergenceOfTwoKnownDistributions()
    {
        // Reference p = (1/2, 1/2) (equal logits: scale 0, every entry at log 1/2), model q = (3/4, 1/4):
        // KL(p||q) = 1/2 ln(2/3) + 1/2 ln 2 = 0.1438410362; the target token 1 has Δp = 1/4 - 1/2; top tokens differ
        // (llama-perplexity takes the first maximum of the reference: token 0, which is also the model's).
        var row = new ushort[LogitsFile.RowLength(2)];
        LogitsFile.Quantize(new[] { 5f, 5f }, row);
        var k = new KlDivergenceAccumulator();
        k.Add(new[] { (float)Math.Log(3), 0f }, row, 1);

        KlDivergenceFigures f = k.Figures();
        Assert.Equal(0.5 * Math.Log(2.0 / 3) + 0.5 * Math.Log(2), f.KlDivergenceMean, 6);
        Assert.Equal(100 * (0.25 - 0.5), f.DeltaPMeanPercent, 4);
        Assert.Equal(25, f.DeltaPRmsPercent, 4);
        Assert.Equal(100, f.SameTopPercent);
        Assert.Equal(2.0, f.ReferencePerplexity, 5);      // e^(ln 2)
        Assert.Equal(0.5 / 0.25, f.PerplexityRatio, 4);   // exp(ln 4 - ln 2)
    }

    [Fact]
    public void StatisticsAreLlamaPerplexitys()
    {
        Assert.Equal((2.5, 0.0), KlDivergenceAccumulator.MeanAndUncertainty(10, 30, 4)); // 10 values or fewer: no uncertainty
        (double mean, double unc) = KlDivergenceAccumulator.MeanAndUncertainty(11 * 2.0, 11 * 5.0, 11);
        Assert.Equal(2.0, mean);
        Assert.Equal(Math.Sqrt(1.0 / 10), unc, 12);
        float[] sorted = { 1, 2, 3, 4 };
        Assert.Equal(2.5, KlDivergenceAccumulator.Median(sorted));
        Assert.Equal(3, KlDivergenceAccumulator.Median(new float[] { 1, 3, 7 }));
        Assert.Equal(0.03 * 3 + 0.97 * 4, KlDivergenceAccumulator.Percentile(sorted, 0.99f), 5);
    }

    [Fact]
    public void AModelAgainstItsOwnSavedLogitsDivergesByRoundingOnly()
    {
        string saved = _temp.File("tiny.logits");
        PerplexityMeasurement first = PerplexityScorer.Measure(new PerplexityOrder(_tiny.Path, Text, 16, 3, 1, SaveLogitsPath: saved), null, CancellationToken.None);
        int vocabulary = first.VocabularySize;
        Assert.Equal(20 + 4L * 16 * 3 + 2L * 3 * 7 * LogitsFile.RowLength(vocabulary), new FileInfo(saved).Length);

        PerplexityMeasurement again = PerplexityScorer.Measure(new PerplexityOrder(_tiny.Path, Text, 16, null, 1, ReferenceLogitsPath: saved), null, CancellationToken.None);

        KlDivergenceFigures f = Assert.IsType<KlDivergenceFigures>(again.Reference);
        Assert.Equal(3, again.Chunks); // as many chunks as the reference holds
        Assert.Equal(21, f.Tokens);
        Assert.InRange(f.KlDivergenceMean, -1e-6, 1e-6);
        Assert.InRange(f.KlDivergenceMax, -1e-5, 1e-5);
        Assert.Equal(100, f.SameTopPercent);
        Assert.Equal(1.0, f.PerplexityRatio, 3);
        Assert.Equal(first.Perplexity, f.ReferencePerplexity, first.Perplexity * 1e-3);
    }

    [Fact]
    public void SavingWhileComparingSavesThisModelsLogitsNotTheReferences()
    {
        string q4 = _temp.File("tiny-q4.gguf");
        SyntheticModelBuilder.Create(new SyntheticModelRequest { Shape = SyntheticShapes.Get("tiny"), Quantization = "Q4_0", OutputPath = q4 });
        string reference = _temp.File("f16.logits"), both = _temp.File("q4-both.logits"), alone = _temp.File("q4-alone.logits");
        PerplexityScorer.Measure(new PerplexityOrder(_tiny.Path, Text, 16, 2, 1, SaveLogitsPath: reference), null, CancellationToken.None);

        PerplexityMeasurement compared = PerplexityScorer.Measure(
            new PerplexityOrder(q4, Text, 16, 2, 1, SaveLogitsPath: both, ReferenceLogitsPath: reference), null, CancellationToken.None);
        PerplexityScorer.Measure(new PerplexityOrder(q4, Text, 16, 2, 1, SaveLogitsPath: alone), null, CancellationToken.None);

        Assert.True(compared.Reference!.KlDivergenceMean > 0);
        Assert.Equal(File.ReadAllBytes(alone), File.ReadAllBytes(both));
        Assert.NotEqual(File.ReadAllBytes(reference), File.ReadAllBytes(both));
    }

    [Theory]
    [InlineData("magic", "LogitsFileNotRecognised")]
    [InlineData("truncated", "LogitsFileDamaged")]
    [InlineData("context", "ReferenceContextDiffers")]
    [InlineData("text", "ReferenceTextDiffers")]
    public void AReferenceOfAnotherRunIsRefused(string kind, string errorId)
    {
        string saved = _temp.File("ref.logits");
        PerplexityScorer.Measure(new PerplexityOrder(_tiny.Path, Text, 16, 2, 1, SaveLogitsPath: saved), null, CancellationToken.None);
        string text = Text;
        int context = 16;
        switch (kind)
        {
            case "magic":
                byte[] bytes = File.ReadAllBytes(saved);
                bytes[0] = (byte)'X';
                File.WriteAllBytes(saved, bytes);
                break;
            case "truncated":
                using (var f = new FileStream(saved, FileMode.Open))
                {
                    f.SetLength(f.Length - 1);
                }

                break;
            case "context": context = 32; break;
            case "text": text = "Another text altogether. " + Text; break;
        }

        var e = Assert.ThrowsAny<EdgeLmException>(() =>
            PerplexityScorer.Measure(new PerplexityOrder(_tiny.Path, text, context, 2, 1, ReferenceLogitsPath: saved), null, CancellationToken.None));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Contains(saved, e.Message);
    }

    private static float MemoryMarshalFloat(ushort[] row, int index) =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<ushort, float>(row.AsSpan())[index];
}
