using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Tests.Benchmarks;

/// <summary>The study's S_t, the energy basis, and the Pareto fronts on summaries, recomputed by hand.</summary>
public sealed class TradeoffTests
{
    private static InferenceResult Run(string quantization, int threads, double decode, double? joulesPerToken = null, long rss = 1_000_000_000,
        string? basis = "net") => new()
    {
        DeviceName = "pi5", ModelName = "llama", Quantization = quantization, Threads = threads, PromptTokens = 128, RequestedTokens = 128,
        ContextSize = 512, DecodeTokensPerSecond = decode, PrefillTokensPerSecond = 100, PeakRssBytes = rss, RunId = Guid.NewGuid().ToString("N"),
        JoulesPerToken = joulesPerToken, TokensPerJoule = joulesPerToken > 0 ? 1 / joulesPerToken : null,
        EnergyBasis = joulesPerToken is null ? null : basis,
        EnergyThroughputTradeoff = Tradeoffs.EnergyThroughput(joulesPerToken, decode),
    };

    [Theory]
    [InlineData(0.5, 10.0, 0.05)]
    [InlineData(2.0, 4.0, 0.5)]
    public void TheTradeoffIsEnergyPerTokenOverDecodeSpeed(double joulesPerToken, double tokensPerSecond, double expected)
    {
        Assert.Equal(expected, Tradeoffs.EnergyThroughput(joulesPerToken, tokensPerSecond)!.Value, 12);
    }

    [Theory]
    [InlineData(null, 10.0)]
    [InlineData(0.5, null)]
    [InlineData(0.0, 10.0)]
    [InlineData(-0.1, 10.0)] // net energy below the idle baseline: no trade-off to speak of
    [InlineData(0.5, 0.0)]
    public void WithoutPositiveFiguresThereIsNoTradeoff(double? joulesPerToken, double? tokensPerSecond)
    {
        Assert.Null(Tradeoffs.EnergyThroughput(joulesPerToken, tokensPerSecond));
    }

    [Fact]
    public void SummariesCarryTheTradeoffStatisticsAndTheEnergyBasis()
    {
        BenchmarkSummary summary = Assert.Single(Summaries.Summarize(new[] { Run("Q4_0", 4, 10, 0.5), Run("Q4_0", 4, 8, 0.4), Run("Q4_0", 4, 12, 0.6) }));

        // Per run: 0.05, 0.05, 0.05 J·s/token².
        Assert.Equal(0.05, summary.EnergyThroughputTradeoffMedian!.Value, 12);
        Assert.Equal(2.0, summary.TokensPerJouleMedian!.Value, 12);
        Assert.Equal("net", summary.EnergyBasis);
        Assert.Contains(((IFlatRecord)summary).GetFields(), f => f.Key == "EnergyThroughputTradeoffMedian");
    }

    [Fact]
    public void NetAndGrossTogetherAreMixed()
    {
        BenchmarkSummary summary = Assert.Single(Summaries.Summarize(new[] { Run("Q4_0", 4, 10, 0.5), Run("Q4_0", 4, 10, 0.7, basis: "gross") }));
        Assert.Equal("mixed", summary.EnergyBasis);
    }

    [Fact]
    public void TheParetoFrontsNameWhoDominatesWhom()
    {
        // speed, J/token, memory:  A 10 0.5 1.0 GB | B 8 0.3 0.8 GB | C 6 0.6 0.9 GB (dominated on energy by A and B, on memory by B) | D 12 0.9 2 GB
        InferenceResult[] results =
        {
            Run("A", 1, 10, 0.5, 1_000_000_000), Run("B", 1, 8, 0.3, 800_000_000), Run("C", 1, 6, 0.6, 900_000_000), Run("D", 1, 12, 0.9, 2_000_000_000),
        };

        IReadOnlyList<BenchmarkSummary> summaries = Summaries.Summarize(results);
        BenchmarkSummary S(string q) => summaries.Single(s => s.Quantization == q);

        Assert.Equal(new bool?[] { true, true, false, true }, new[] { "A", "B", "C", "D" }.Select(q => S(q).ParetoSpeedEnergy));
        Assert.Equal("pi5 llama A t=1 ngl=0 ctx=512 p=128 n=128 d=0; pi5 llama B t=1 ngl=0 ctx=512 p=128 n=128 d=0", S("C").SpeedEnergyDominatedBy);
        Assert.Null(S("A").SpeedEnergyDominatedBy);
        Assert.Equal(new bool?[] { true, true, false, true }, new[] { "A", "B", "C", "D" }.Select(q => S(q).ParetoSpeedMemory));
        Assert.Equal("pi5 llama B t=1 ngl=0 ctx=512 p=128 n=128 d=0", S("C").SpeedMemoryDominatedBy);
    }

    [Fact]
    public void EqualConfigurationsDoNotDominateEachOther()
    {
        IReadOnlyList<BenchmarkSummary> summaries = Summaries.Summarize(new[] { Run("A", 1, 10, 0.5), Run("B", 1, 10, 0.5) });
        Assert.All(summaries, s => Assert.True(s.ParetoSpeedEnergy));
    }

    [Fact]
    public void WithoutEnergyThereIsNoSpeedEnergyFrontButStillAMemoryOne()
    {
        IReadOnlyList<BenchmarkSummary> summaries = Summaries.Summarize(new[] { Run("A", 1, 10), Run("B", 1, 8, rss: 2_000_000_000) });
        Assert.All(summaries, s => Assert.Null(s.ParetoSpeedEnergy));
        Assert.Equal(new bool?[] { true, false }, summaries.OrderBy(s => s.Quantization).Select(s => s.ParetoSpeedMemory));
        Assert.Null(summaries[0].EnergyBasis);
    }
}
