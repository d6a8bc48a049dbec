using EdgeLm.Core;
using EdgeLm.Core.Benchmarks;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Benchmarks;

/// <summary>Summaries, comparisons, budgets and exports over results built by hand.</summary>
public sealed class ResultAnalysisTests
{
    private static InferenceResult Run(string quantization, int threads, double decode, double prefill = 100, long rss = 1_000_000_000, bool warmup = false) => new()
    {
        DeviceName = "pi5", ModelName = "llama", Quantization = quantization, Threads = threads, PromptTokens = 128, RequestedTokens = 128,
        ContextSize = 512, DecodeTokensPerSecond = decode, PrefillTokensPerSecond = prefill, TimeToFirstTokenMs = 1000 / prefill * 128,
        PeakRssBytes = rss, Warmup = warmup, RunId = Guid.NewGuid().ToString("N"),
    };

    [Fact]
    public void OneSummaryRowPerConfigurationWithoutWarmups()
    {
        InferenceResult[] results =
        {
            Run("Q4_0", 4, 10), Run("Q4_0", 4, 11), Run("Q4_0", 4, 12), Run("Q4_0", 4, 99, warmup: true),
            Run("Q8_0", 4, 7), Run("Q8_0", 4, 7.01), Run("Q8_0", 4, 6.99),
        };

        IReadOnlyList<BenchmarkSummary> summaries = Summaries.Summarize(results);

        Assert.Equal(2, summaries.Count);
        BenchmarkSummary q4 = summaries.Single(s => (string?)s["Quantization"] == "Q4_0");
        Assert.Equal(3, q4["Runs"]);
        Assert.Equal(11.0, q4["DecodeTokensPerSecondMedian"]);
        Assert.Equal(11.0, (double)q4["DecodeTokensPerSecondMean"]!, 12);
        Assert.True((bool)q4["Noisy"]!); // CV 9%
        Assert.Equal("DecodeTokensPerSecond", q4["NoisyFigures"]);
        Assert.False((bool)summaries.Single(s => (string?)s["Quantization"] == "Q8_0")["Noisy"]!);
        Assert.Null(q4["JoulesPerToken" + "Mean"]); // no run measured energy: no energy columns at all
        Assert.DoesNotContain(q4.Fields, f => f.Key.StartsWith("JoulesPerToken"));
        Assert.Equal("DeviceName", q4.Fields[0].Key);
    }

    [Fact]
    public void GroupingByAnUnknownPropertyNamesTheValidOnes()
    {
        var e = Assert.Throws<EdgeLmArgumentException>(() => Summaries.Summarize(new[] { Run("Q4_0", 1, 1) }, new[] { "Quantisation" }));
        Assert.Contains("Quantization", e.Message);
    }

    [Fact]
    public void ComparisonsGiveTheRatioOfMediansAndAVerdict()
    {
        InferenceResult[] baseline = { Run("Q4_0", 4, 10), Run("Q4_0", 4, 10.1), Run("Q4_0", 4, 9.9), Run("Q4_0", 4, 10.05), Run("Q4_0", 4, 9.95),
            Run("Q8_0", 4, 7), Run("Q8_0", 4, 7.1), Run("Q8_0", 4, 6.9) };
        InferenceResult[] candidate = { Run("Q4_0", 4, 12, 120), Run("Q4_0", 4, 12.1, 121), Run("Q4_0", 4, 11.9, 119), Run("Q4_0", 4, 12.05, 120.5), Run("Q4_0", 4, 11.95, 119.5),
            Run("Q8_0", 4, 7.05), Run("Q8_0", 4, 6.95), Run("Q8_0", 4, 7.0), Run("Q5_0", 4, 9) };

        IReadOnlyList<ResultComparison> comparisons = Comparisons.Compare(baseline, candidate);
        ResultComparison Decode(string q) => comparisons.Single(c => (string?)c["Quantization"] == q && (string?)c["Figure"] == "DecodeTokensPerSecond");

        Assert.Equal(1.2, (double)Decode("Q4_0")["Ratio"]!, 9);
        Assert.Equal("faster", Decode("Q4_0")["Verdict"]);
        Assert.True((double)Decode("Q4_0")["RatioCiLow"]! > 1);
        Assert.Equal("no significant difference", Decode("Q8_0")["Verdict"]);
        Assert.Equal("only in candidate", Decode("Q5_0")["Verdict"]);
        // Lower time to first token is faster too.
        Assert.Equal("faster", comparisons.Single(c => (string?)c["Quantization"] == "Q4_0" && (string?)c["Figure"] == "TimeToFirstTokenMs")["Verdict"]);
        Assert.Equal("slower", Comparisons.Compare(candidate, baseline).Single(c => (string?)c["Quantization"] == "Q4_0" && (string?)c["Figure"] == "DecodeTokensPerSecond")["Verdict"]);
    }

    [Fact]
    public void BudgetsPassAndFailPerRule()
    {
        using var folder = new TempFolder();
        string budget = folder.File("budget.yaml");
        File.WriteAllText(budget, """
            budgets:
              - figure: DecodeTokensPerSecond
                min: 5
              - figure: PeakRssBytes
                max: 3GB
                model: 'lla*'
              - figure: DecodeTokensPerSecond
                min: 20
                statistic: max
              - figure: DecodeTokensPerSecond
                min: 1
                device: 'jetson*'
            """);
        InferenceResult[] results = { Run("Q4_0", 4, 10), Run("Q4_0", 4, 12, rss: 2_000_000_000), Run("Q4_0", 4, 8) };

        IReadOnlyList<BudgetResult> verdicts = Budgets.Check(results, Budgets.Read(budget));

        Assert.Equal(new[] { true, true, false, false }, verdicts.Select(v => v.Passed));
        Assert.Equal(10, verdicts[0].Value);
        Assert.Equal(3e9, verdicts[1].Max);
        Assert.Equal(12, verdicts[2].Value);
        Assert.Contains("no run matches", verdicts[3].Message);
        Assert.StartsWith("PASS DecodeTokensPerSecond median >= 5", verdicts[0].Message);
        // Sizes read as the budget file writes them, never as 3e9.
        Assert.Contains("<= 3GB", verdicts[1].Rule);
    }

    [Theory]
    [InlineData(3e9, "PeakRssBytes", "3GB")]
    [InlineData(68719476736, "PeakRssBytes", "68.719GB")]
    [InlineData(1000, "KvCacheBytes", "1KB")]
    [InlineData(999, "PeakRssBytes", "999")]
    [InlineData(2.5e6, "TimeToFirstTokenMs", "2500000")]
    [InlineData(0.0004, "JoulesPerToken", "0.0004")]
    public void BudgetFiguresReadAsPeopleWriteThem(double value, string figure, string expected) =>
        Assert.Equal(expected, Budgets.Format(value, figure));

    [Theory]
    [InlineData("budgets:\n  - figure: DecodeTokensPerSecnd\n    min: 5\n", "DecodeTokensPerSecnd")]
    [InlineData("budgets:\n  - figure: PeakRssBytes\n    max: lots\n", "'lots' is not a number")]
    [InlineData("budgets:\n  - figure: PeakRssBytes\n    maximum: 3GB\n", "line 3, column 5")]
    [InlineData("budgets:\n  - figure: PeakRssBytes\n", "give min, max or both")]
    public void BadBudgetsAreRefusedSayingWhere(string text, string expected)
    {
        using var folder = new TempFolder();
        string budget = folder.File("b.yaml");
        File.WriteAllText(budget, text);

        var e = Assert.Throws<EdgeLmInvalidFileException>(() => Budgets.Read(budget));

        Assert.Contains(expected, e.Message);
        Assert.Contains(budget, e.Message);
    }

    [Fact]
    public void MarkdownShowsOnlyTheColumnsThatVary()
    {
        var writer = new StringWriter();
        ResultFiles.WriteMarkdown(new object[] { Run("Q4_0", 1, 10), Run("Q4_0", 2, 12.345) }, writer);
        string[] lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("| Threads | DecodeTokensPerSecond |", lines[0]);
        Assert.Equal("| 1 | 10 |", lines[2]);
        Assert.Equal("| 2 | 12.345 |", lines[3]);
    }

    [Fact]
    public void CsvAndJsonLinesRoundTrip()
    {
        using var folder = new TempFolder();
        InferenceResult[] results = { Run("Q4_0", 1, 10), Run("Q8_0", 2, 12.5) };
        results[0].Output = "a, \"quoted\"\nline";
        results[1].DecodeMs = null;
        foreach (string name in new[] { "r.csv", "r.jsonl" })
        {
            string file = folder.File(name);
            using (var writer = new StreamWriter(file))
            {
                if (name.EndsWith(".csv")) ResultFiles.WriteCsv(results, writer); else ResultFiles.WriteJsonLines(results, writer);
            }

            IReadOnlyList<InferenceResult> back = ResultFiles.Import(file);

            Assert.Equal(results.Select(RecordText.ToJsonLine), back.Select(RecordText.ToJsonLine));
        }
    }
}
