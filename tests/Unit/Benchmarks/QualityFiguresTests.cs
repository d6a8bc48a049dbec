using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Tests.Benchmarks;

/// <summary>Quality figures on runs reach summaries, the speed-quality Pareto front and cost rows, per model, never mixed.</summary>
public sealed class QualityFiguresTests
{
    private static InferenceResult Run(string quantization, double decode, double? kld, double perplexity) => new()
    {
        RunId = Guid.NewGuid().ToString("N"), DeviceName = "Raspberry Pi 5 8GB", ModelName = "llama", Quantization = quantization, Threads = 4,
        PromptTokens = 128, RequestedTokens = 128, ContextSize = 512, DecodeTokensPerSecond = decode, PrefillTokensPerSecond = 100,
        AveragePowerWatts = 7, EnergyScope = "board-rails", EnergyMethod = "integrated-power",
        SyntheticWeights = false, QualityTextSha256 = "ab", QualityContextSize = 512, QualityChunks = 10, QualityReference = kld is null ? null : "llama F16",
        Perplexity = perplexity, PerplexityUncertainty = perplexity / 100, KlDivergenceMean = kld, SameTopPercent = kld is null ? null : 100 - 1000 * kld,
    };

    // Q4_0 fastest and worst, Q8_0 between, Q5_0 slower than Q8_0 and worse (dominated), F16 slowest and the reference.
    private static readonly InferenceResult[] Runs =
    {
        Run("Q4_0", 10, 0.03, 12.9), Run("Q4_0", 11, 0.03, 12.9),
        Run("Q8_0", 7, 0.001, 12.41), Run("Q8_0", 7, 0.001, 12.41),
        Run("Q5_0", 6, 0.01, 12.6), Run("Q5_0", 6.5, 0.01, 12.6),
        Run("F16", 4, 0, 12.4), Run("F16", 4, 0, 12.4),
    };

    [Fact]
    public void SummariesCarryTheirModelsFiguresAndMarkTheSpeedQualityFront()
    {
        IReadOnlyList<BenchmarkSummary> summaries = Summaries.Summarize(Runs);

        BenchmarkSummary q4 = summaries.Single(s => s.Quantization == "Q4_0");
        Assert.Equal(0.03, q4.KlDivergenceMean);
        Assert.Equal(12.9, q4.Perplexity);
        Assert.Equal(70, q4.SameTopPercent!.Value, 9);
        Assert.Equal("llama F16", q4.QualityReference);
        Assert.False(q4.SyntheticWeights);
        Assert.Equal(new[] { "Q4_0", "Q8_0", "F16" }, summaries.Where(s => s.ParetoSpeedQuality == true).Select(s => s.Quantization));
        BenchmarkSummary q5 = summaries.Single(s => s.Quantization == "Q5_0");
        Assert.False(q5.ParetoSpeedQuality);
        Assert.Equal("Raspberry Pi 5 8GB llama Q8_0 t=4 ngl=0 ctx=512 p=128 n=128 d=0", q5.SpeedQualityDominatedBy);
        Assert.Contains(((IFlatRecord)q5).GetFields(), f => f.Key == "ParetoSpeedQuality");
    }

    [Fact]
    public void TheSpeedQualityFrontIsDrawnPerReference()
    {
        // A second model, slower and with more divergence from its own reference than any quantization above: still
        // on its own front, since divergences from different references do not compare.
        InferenceResult other = Run("Q4_0", 1, 0.5, 40);
        other.ModelName = "qwen";
        other.QualityReference = "qwen F16";

        IReadOnlyList<BenchmarkSummary> summaries = Summaries.Summarize(Runs.Append(other));

        Assert.True(summaries.Single(s => s.ModelName == "qwen").ParetoSpeedQuality);
        Assert.Equal(new[] { "Q4_0", "Q8_0", "F16" }, summaries.Where(s => s.ModelName == "llama" && s.ParetoSpeedQuality == true).Select(s => s.Quantization));
    }

    [Fact]
    public void AGroupOfSeveralModelsHasNoQualityFiguresRatherThanOneOfThem()
    {
        BenchmarkSummary all = Assert.Single(Summaries.Summarize(Runs, new[] { "DeviceName" }));

        Assert.Null(all.KlDivergenceMean);
        Assert.Null(all.Perplexity);
        Assert.False(all.SyntheticWeights); // the same on every run, so it stays
        Assert.Null(all.ParetoSpeedQuality);
        Assert.Contains(((IFlatRecord)all).GetFields(), f => f.Key == "KlDivergenceMean");
    }

    [Fact]
    public void WithoutQualityFiguresSummariesHaveNoQualityColumns()
    {
        InferenceResult plain = Run("Q4_0", 10, null, 1);
        plain.Perplexity = null;
        plain.SyntheticWeights = null;

        BenchmarkSummary summary = Assert.Single(Summaries.Summarize(new[] { plain }));

        Assert.DoesNotContain(((IFlatRecord)summary).GetFields(), f => f.Key is "Perplexity" or "ParetoSpeedQuality" or "SyntheticWeights");
    }

    [Fact]
    public void CostRowsCarryTheQualityOfWhatTheyPrice()
    {
        var settings = new CostSettings { CloudModel = new[] { "gpt-4o-mini" } };

        CostEstimate fromRuns = Costs.Estimate(Runs, settings).Single(c => c.Quantization == "Q8_0");
        CostEstimate fromSummary = Costs.Estimate(Summaries.Summarize(Runs), settings).Single(c => c.Quantization == "Q8_0");

        foreach (CostEstimate cost in new[] { fromRuns, fromSummary })
        {
            Assert.Equal(0.001, cost.KlDivergenceMean);
            Assert.Equal(12.41, cost.Perplexity);
            Assert.Equal(99, cost.SameTopPercent!.Value, 9);
            Assert.Equal("llama F16", cost.QualityReference);
            Assert.False(cost.SyntheticWeights);
        }
    }

    [Fact]
    public void TheReferenceIsItsOwnReferenceByDefinition()
    {
        var measured = new QualityResult
        {
            ModelName = "llama", Quantization = "F16", TextSha256 = "ab", ContextSize = 512, Chunks = 10, Perplexity = 12.4, PerplexityUncertainty = 0.1,
        };

        QualityFigures own = QualityFigures.OfReference(measured);
        var result = new InferenceResult();
        own.ApplyTo(result);

        Assert.Equal((0.0, 0.0, 100.0, 1.0, "llama F16"), (result.KlDivergenceMean!.Value, result.DeltaPRmsPercent!.Value, result.SameTopPercent!.Value, result.PerplexityRatio!.Value, result.QualityReference!));
        Assert.Equal(own, QualityFigures.From(result));
        Assert.True(own.Answers("ab", 512, null, "llama F16"));
        Assert.True(own.Answers("ab", 512, 10, "llama F16"));
        Assert.False(own.Answers("ab", 512, 5, "llama F16")); // fewer chunks asked for than were scored
        Assert.False(own.Answers("cd", 512, null, "llama F16"));
        Assert.False(own.Answers("ab", 256, null, "llama F16"));
        Assert.False(own.Answers("ab", 512, null, null));
    }
}
