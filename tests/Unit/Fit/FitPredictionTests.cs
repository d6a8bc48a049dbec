using EdgeLm.Core;
using EdgeLm.Core.Benchmarks;
using EdgeLm.Core.Models;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Fit;

/// <summary>Test-EdgeFit / edgelm fit without running a model: sizes as the writer makes them, targets, verdicts, errors.</summary>
public sealed class FitPredictionTests
{
    [Theory]
    [InlineData(128, true)]
    [InlineData(256, true)]
    [InlineData(256, false)]
    public void AShapeIsSizedExactlyAsTheWrittenFile(int embedding, bool tied)
    {
        using var folder = new TempFolder();
        SyntheticShape shape = SyntheticShapes.Resolve("tiny", new SyntheticShapeOverrides { EmbeddingSize = embedding, TiedOutput = tied });
        foreach (string quantization in SyntheticFootprint.Quantizations)
        {
            string path = folder.File($"{quantization}.gguf");
            ModelInfo written = SyntheticModelBuilder.Create(new SyntheticModelRequest { Shape = shape, Quantization = quantization, OutputPath = path, Threads = 1 });
            ModelFootprint fromFile = ModelFootprint.Of(GgufReader.Read(path));
            ModelFootprint described = SyntheticFootprint.Of(shape, quantization);

            Assert.True(written.ModelBytes == described.WeightBytes, $"{quantization} e={embedding} tied={tied}: written {written.ModelBytes} ({written.TensorTypes}), described {described.WeightBytes}");
            Assert.Equal(written.DecodeWeightBytes, described.DecodeWeightBytes);
            Assert.Equal(fromFile.RepackedBytes, described.RepackedBytes);
            Assert.Equal(fromFile.KvBytesPerCell, described.KvBytesPerCell);
        }
    }

    [Fact]
    public void Q4_0RepacksEveryMatrixButTheEmbeddingAndQ8_0NoneOfThem()
    {
        SyntheticShape shape = SyntheticShapes.Get("smollm2-135m");
        ModelFootprint q4 = SyntheticFootprint.Of(shape, "Q4_0");
        long embedding = shape.VocabularySize * (long)shape.EmbeddingSize / 32 * 34; // Q8_0: 576 is no multiple of 256
        long norms = (2L * shape.Layers + 1) * shape.EmbeddingSize * 4;
        Assert.Equal(q4.WeightBytes - embedding - norms, q4.RepackedBytes);
        Assert.Equal(0, SyntheticFootprint.Of(shape, "Q8_0").RepackedBytes);
        // llama.cpp's log for this model: "CPU_REPACK model buffer size = 56.95 MiB".
        Assert.Equal(56.95, q4.RepackedBytes / 1048576.0, 2);
    }

    [Fact]
    public void TheKvCacheIsF16KAndVForEveryPaddedCell()
    {
        ModelFootprint model = SyntheticFootprint.Of(SyntheticShapes.Get("llama-3.2-1b"), "Q4_0");
        // 16 layers x 8 KV heads x (64 + 64) x 2 bytes per cell; 4000 cells pad to 4096.
        Assert.Equal(16L * 8 * 128 * 2 * 4096, MemoryModel.Predict(model, 4000).KvCacheBytes);
    }

    [Fact]
    public void WithoutATargetThereIsOneRowPerCatalogBoard()
    {
        IReadOnlyList<FitPrediction> rows = FitCheck.Predict(new FitRequest { Shape = "llama-3.2-1b", Quantization = "Q4_0", ContextSize = 4096 });

        Assert.Equal(EdgeLm.Core.Devices.BoardCatalog.EmbeddedEntries.Select(e => e.Name), rows.Select(r => r.Target));
        Assert.All(rows, r => Assert.Equal("catalog", r.TargetSource));
        FitPrediction pi = rows.Single(r => r.Target == "Raspberry Pi 5 8GB");
        Assert.Equal(8L << 30, pi.TotalMemoryBytes);
        Assert.Equal(1L << 30, pi.OsReserveBytes);
        Assert.Equal(7L << 30, pi.AvailableMemoryBytes);
        Assert.Equal("fits", pi.Verdict);
        Assert.Equal(17.1e9, pi.MemoryBandwidthBytesPerSecond);
        Assert.Contains("https://", pi.BandwidthSource);
        // bandwidth x utilisation / bytes per token; catalog TDP / rate.
        Assert.Equal(17.1e9 * FitCheck.AssumedUtilization / pi.PredictedDecodeBytesPerToken, pi.PredictedDecodeTokensPerSecond!.Value, 6);
        Assert.Equal(12 / pi.PredictedDecodeTokensPerSecond!.Value, pi.PredictedJoulesPerToken!.Value, 9);
        FitPrediction miniPc = rows.Single(r => r.Target == "Intel N100 mini PC");
        Assert.Equal("unknown", miniPc.Verdict);
        Assert.Null(miniPc.MaxContextThatFits);
        Assert.Null(miniPc.PredictedDecodeTokensPerSecond);
    }

    [Fact]
    public void TheVerdictFollowsTheShareOfTheAvailableMemory()
    {
        ModelFootprint model = SyntheticFootprint.Of(SyntheticShapes.Get("qwen2.5-0.5b"), "Q8_0");
        long peak = MemoryModel.Predict(model, 2048).PeakRssBytes;
        string VerdictFor(long available) => Fit(available).Verdict;
        FitPrediction Fit(long available) => FitCheck.Predict(new FitRequest
        {
            Shape = "qwen2.5-0.5b", Quantization = "Q8_0", ContextSize = 2048, MemoryBytes = Total(available),
        }).Single();

        Assert.Equal("fits", VerdictFor((long)(peak / 0.89)));
        Assert.Equal("tight", VerdictFor((long)(peak / 0.95)));
        Assert.Equal("tight", VerdictFor(peak));
        Assert.Equal("does not fit", VerdictFor(peak - 1));
        Assert.Equal(peak, Fit(peak).AvailableMemoryBytes);
    }

    [Fact]
    public void TheLargestContextThatFitsIsTheLastWhole256CellBlockWithinTheMemory()
    {
        ModelFootprint model = SyntheticFootprint.Of(SyntheticShapes.Get("llama-3.2-1b"), "Q4_0");
        long available = MemoryModel.Predict(model, 10240).PeakRssBytes - 1;
        FitPrediction row = FitCheck.Predict(new FitRequest { Shape = "llama-3.2-1b", Quantization = "Q4_0", ContextSize = 512, MemoryBytes = Total(available) }).Single();

        Assert.Equal(9984, row.MaxContextThatFits); // one byte short of 10240 cells
        Assert.True(MemoryModel.Predict(model, 9984).PeakRssBytes <= available);
        Assert.True(MemoryModel.Predict(model, 9984 + 256).PeakRssBytes > available);

        FitPrediction huge = FitCheck.Predict(new FitRequest { Shape = "tiny", Quantization = "F16", ContextSize = 512, MemoryBytes = 64L << 30 }).Single();
        Assert.Equal(2048, huge.MaxContextThatFits); // never beyond the trained context
        FitPrediction none = FitCheck.Predict(new FitRequest { Shape = "llama-3.2-1b", Quantization = "F16", ContextSize = 512, MemoryBytes = 1L << 30 }).Single();
        Assert.Null(none.MaxContextThatFits);
        Assert.Equal("does not fit", none.Verdict);
    }

    [Theory]
    [InlineData(0, "FitInvalidContext", "--context 0")]
    [InlineData(-5, "FitInvalidContext", "--context -5")]
    [InlineData(2049, "FitContextBeyondTraining", "trained for (2048 tokens)")]
    public void ABadContextIsRefusedNamingIt(int context, string errorId, string message)
    {
        var e = Assert.Throws<EdgeLmArgumentException>(() => FitCheck.Predict(new FitRequest { Shape = "tiny", Quantization = "Q4_0", ContextSize = context }));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void AnUnknownBoardListsTheCatalog()
    {
        var e = Assert.Throws<EdgeLmArgumentException>(() => FitCheck.Predict(new FitRequest { Shape = "tiny", Quantization = "Q4_0", ContextSize = 512, Board = "Raspberry Pi 9" }));
        Assert.Equal("UnknownBoard", e.ErrorId);
        Assert.Contains("'Raspberry Pi 9'", e.Message);
        Assert.Contains("Jetson Orin Nano Developer Kit 8GB", e.Message);
    }

    [Fact]
    public void OtherInconsistenciesAreRefusedWithTheFix()
    {
        EdgeLmArgumentException Refused(FitRequest request) => Assert.Throws<EdgeLmArgumentException>(() => FitCheck.Predict(request));

        Assert.Equal("FitTwoTargets", Refused(new FitRequest { Shape = "tiny", Quantization = "Q4_0", ContextSize = 512, Board = "Raspberry Pi 5 8GB", MemoryBytes = 1L << 33 }).ErrorId);
        Assert.Equal("FitResultsNeedTarget", Refused(new FitRequest { Shape = "tiny", Quantization = "Q4_0", ContextSize = 512, ResultsPaths = new[] { "r.jsonl" } }).ErrorId);
        Assert.Equal("FitNoModel", Refused(new FitRequest { Shape = "tiny", ContextSize = 512 }).ErrorId);
        var kQuant = Refused(new FitRequest { Shape = "llama-3.2-1b", Quantization = "Q4_K_M", ContextSize = 512 });
        Assert.Equal("FitQuantizationNotPredicted", kQuant.ErrorId);
        Assert.Contains("edgelm model synth --shape llama-3.2-1b --quantization Q4_K_M", kQuant.Message);
    }

    [Fact]
    public void MeasuredRunsOfTheSameModelAndContextSitBesideThePrediction()
    {
        using var folder = new TempFolder();
        string results = folder.File("r.jsonl");
        InferenceResult Run(int context, long rss, double rate, bool warmup = false) => new()
        {
            ModelName = "synthetic-tiny", Quantization = "Q4_0", ContextSize = context, PromptTokens = 512, PeakRssBytes = rss, DecodeTokensPerSecond = rate, Warmup = warmup,
        };
        using (var writer = new StreamWriter(results))
        {
            ResultFiles.WriteJsonLines(new object[] { Run(512, 50_000_000, 10), Run(512, 60_000_000, 30), Run(512, 55_000_000, 20), Run(1024, 1, 1), Run(512, 1, 1, warmup: true) }, writer);
        }

        FitPrediction row = FitCheck.Predict(new FitRequest { Shape = "tiny", Quantization = "Q4_0", ContextSize = 512, Board = "Raspberry Pi 5 8GB", ResultsPaths = new[] { results } }).Single();

        Assert.Equal(3, row.MeasuredRuns);
        Assert.Equal(55_000_000, row.MeasuredPeakRssBytes);
        Assert.Equal(20, row.MeasuredDecodeTokensPerSecond);
        Assert.Null(row.MeasuredJoulesPerToken);
        Assert.Equal(row.PredictedPeakRssBytes, row.PredictedPeakRssForRunsBytes);
        Assert.Equal(100.0 * (row.PredictedPeakRssBytes - 55_000_000) / 55_000_000, row.PeakRssErrorPercent!.Value, 9);
    }

    [Fact]
    public void RunsWithAShortPromptAreComparedWithThePredictionForTheirPrompt()
    {
        using var folder = new TempFolder();
        string results = folder.File("r.jsonl");
        using (var writer = new StreamWriter(results))
        {
            ResultFiles.WriteJsonLines(new object[] { new InferenceResult { ModelName = "synthetic-tiny", Quantization = "Q4_0", ContextSize = 512, PromptTokens = 64, PeakRssBytes = 50_000_000 } }, writer);
        }

        FitPrediction row = FitCheck.Predict(new FitRequest { Shape = "tiny", Quantization = "Q4_0", ContextSize = 512, Board = "Raspberry Pi 5 8GB", ResultsPaths = new[] { results } }).Single();

        // 64 of a 512-token micro-batch: an eighth of the compute activations.
        long expected = row.PredictedPeakRssBytes - row.PredictedComputeBytes + row.PredictedComputeBytes * 64 / 512;
        Assert.Equal(expected, row.PredictedPeakRssForRunsBytes);
        Assert.Equal(100.0 * (expected - 50_000_000) / 50_000_000, row.PeakRssErrorPercent!.Value, 9);
    }

    // The installed memory whose available part (after the OS reserve) is the given size.
    private static long Total(long available)
    {
        long total = available + (1L << 29);
        while (total - FitCheck.OsReserve(total) < available)
        {
            total++;
        }

        while (total - FitCheck.OsReserve(total) > available)
        {
            total--;
        }

        return total;
    }
}
