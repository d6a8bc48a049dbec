using System.Text.RegularExpressions;
using EdgeLm.Core;
using EdgeLm.Core.Report;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Report;

/// <summary>
/// The report's HTML, read as text: every section and chart there, one mark per configuration and device, nothing
/// that could make a request (no address outside text, no script), hostile names escaped, and a file that is not a
/// report never overwritten.
/// </summary>
public sealed class HtmlReportTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    internal static InferenceResult Run(string device, string quantization, int threads, double decode, int repetition, string model = "llama-3.2-1b") => new()
    {
        RunId = Guid.NewGuid().ToString("N"), Timestamp = $"2026-12-01T10:0{repetition}:00.000Z", DeviceName = device, HostName = device,
        ModelName = model, ModelPath = $"/models/{model}-{quantization}.gguf", ModelSha256 = $"{model}{quantization}", Quantization = quantization,
        Threads = threads, ContextSize = 512, PromptTokens = 128, RequestedTokens = 64, GeneratedTokens = 64, Repetition = repetition,
        DecodeTokensPerSecond = decode + repetition * 0.1, PrefillTokensPerSecond = 10 * decode, TimeToFirstTokenMs = 1000 / decode + repetition,
        InterTokenP50Ms = 1000 / decode, InterTokenP95Ms = 1100 / decode, InterTokenP99Ms = 1200 / decode, InterTokenMaxMs = 1500 / decode,
        LoadMs = 500, PeakRssBytes = quantization == "Q4_0" ? 900_000_000 : 1_500_000_000, LlamaVersion = "0.5.0", Backend = "cpu:armv8.2",
        AveragePowerWatts = 6 + threads, JoulesPerToken = (6 + threads) / decode, TokensPerJoule = decode / (6 + threads), EnergyBasis = "net",
        EnergyThroughputTradeoff = (6 + threads) / decode / decode, EnergySource = "pi5:pmic", EnergyScope = "board-rails", EnergyMethod = "integrated-power",
        Contended = repetition == 3, SyntheticWeights = false,
        QualityTextSha256 = "ab", QualityContextSize = 512, QualityChunks = 4, QualityReference = $"{model} Q8_0", Perplexity = quantization == "Q4_0" ? 13.1 : 12.4,
        PerplexityUncertainty = 0.2, PerplexityRatio = quantization == "Q4_0" ? 1.05 : 1, KlDivergenceMean = quantization == "Q4_0" ? 0.03 : 0, SameTopPercent = quantization == "Q4_0" ? 93 : 100,
    };

    /// <summary>Two boards, two quantizations, two thread counts, three runs each.</summary>
    internal static InferenceResult[] Runs() =>
        (from device in new[] { "Raspberry Pi 5 8GB", "Jetson Orin Nano Super Developer Kit 8GB" }
         from quantization in new[] { "Q4_0", "Q8_0" }
         from threads in new[] { 2, 4 }
         from repetition in new[] { 1, 2, 3 }
         select Run(device, quantization, threads, (quantization == "Q4_0" ? 10 : 7) * threads / 2.0 * (device.StartsWith("Jetson") ? 1.5 : 1), repetition)).ToArray();

    [Fact]
    public void EverySectionDrawsItsChartsWithAMarkPerConfigurationAndDevice()
    {
        string html = HtmlReport.Render(new ReportRequest { Results = Runs(), Generated = new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc) });

        foreach (string section in new[] { "environment", "speed", "latency", "memory", "tradeoffs", "cost", "quality", "configurations" })
        {
            Assert.Contains($"<h2 id=\"{section}\">", html);
        }

        string[] charts = Regex.Matches(html, "<svg class=\"chart\".*?</svg>", RegexOptions.Singleline).Select(m => m.Value).ToArray();
        // Decode, prefill, TTFT, inter-token, memory, speed-energy, speed-memory, cost, quality.
        Assert.Equal(9, charts.Length);
        int configurations = 4, devices = 2;
        Assert.All(charts.Take(4), chart => Assert.Equal(configurations * devices, Marks(chart)));
        Assert.Equal(configurations * devices, Marks(charts[7]));
        Assert.Equal(9, Regex.Matches(html, "<figcaption><strong>Figure \\d+\\.</strong>").Count);
        Assert.Contains("Jetson Orin Nano Super Developer Kit 8GB", html);
        Assert.Equal(2, Regex.Matches(html, "4 of 12 runs shared the CPU").Count); // every third run, on each device
    }

    [Fact]
    public void TheReportHoldsNoAddressOutsideItsTextAndNoScript()
    {
        InferenceResult[] runs = Runs();
        // Names are the user's data: a hostile one must stay text.
        runs[0].ModelName = "https://example.invalid/<script>alert(1)</script>";
        runs[1].DeviceName = "\"><img src=http://example.invalid/x.png>";

        string html = HtmlReport.Render(new ReportRequest { Results = runs, Title = "<b>http://example.invalid</b>" });

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        // Everything but text: the tags with their attributes, and the style sheet.
        string markup = string.Concat(Regex.Matches(html, "<[^>]*>").Select(m => m.Value))
            + Regex.Match(html, "<style>(.*?)</style>", RegexOptions.Singleline).Groups[1].Value;
        Assert.DoesNotMatch("(?i)https?:", markup);
        Assert.DoesNotMatch("(?i)url\\((?!#)", markup);
        Assert.Contains("https://example.invalid/&lt;script&gt;", html);
    }

    [Fact]
    public void AFileThatIsNotAReportIsNeverOverwritten()
    {
        string notes = _folder.File("notes.html");
        File.WriteAllText(notes, "<html><body>my notes</body></html>");
        var request = new ReportRequest { Results = Runs() };

        var e = Assert.Throws<EdgeLmInvalidFileException>(() => HtmlReport.Write(request, notes));

        Assert.Equal("ReportWouldOverwrite", e.ErrorId);
        Assert.Equal("<html><body>my notes</body></html>", File.ReadAllText(notes));
        string report = _folder.File("report.html");
        HtmlReport.Write(request, report);
        HtmlReport.Write(request with { Title = "again" }, report);
        Assert.Contains("<title>again</title>", File.ReadAllText(report));
    }

    [Fact]
    public void WithoutMeasuredRunsThereIsNoReport()
    {
        InferenceResult warmup = Run("pi5", "Q4_0", 4, 10, 1);
        warmup.Warmup = true;

        var e = Assert.Throws<EdgeLmArgumentException>(() => HtmlReport.Render(new ReportRequest { Results = new[] { warmup } }));

        Assert.Equal("NoResults", e.ErrorId);
    }

    [Fact]
    public void SectionsWithoutTheirDataSayWhatWouldFillThem()
    {
        InferenceResult[] runs = Runs().Where(r => r.DeviceName.StartsWith("Raspberry")).ToArray();
        foreach (InferenceResult run in runs)
        {
            run.JoulesPerToken = run.TokensPerJoule = run.EnergyThroughputTradeoff = run.AveragePowerWatts = null;
            run.EnergySource = run.EnergyScope = run.EnergyMethod = run.EnergyBasis = null;
            run.Perplexity = run.KlDivergenceMean = null;
            run.QualityTextSha256 = null;
            run.DeviceName = "pi5";
        }

        string html = HtmlReport.Render(new ReportRequest { Results = runs });

        Assert.Contains("Energy was not measured", html);
        Assert.Contains("Quality was not measured", html);
        Assert.Contains("pi5: no cost:", html); // 'pi5' names no catalog board: the page says what to give
        Assert.Contains("--board-price-usd", html);
    }

    private static int Marks(string chart) => Regex.Matches(chart, "class=\"mark\"").Count;
}
