using System.Text.RegularExpressions;
using EdgeLm.Core.Report;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Report;

/// <summary>
/// The report as a reader's browser shows it: headless Chromium renders the page with no console message, no script
/// error and no request of any kind, every chart drawn with its marks, and a screenshot kept in out/test-results.
/// </summary>
public sealed class ReportBrowserTests : IDisposable
{
    private static readonly string[] Sections = { "environment", "speed", "latency", "memory", "tradeoffs", "cost", "quality", "configurations" };
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>The quick plan's results (examples/quick.yaml, real runs), then edgelm report, as the README's commands do.</summary>
    [Fact]
    public void AReportOfTheQuickPlanRendersEverySectionWithoutErrorsOrRequests()
    {
        string results = _folder.File("quick.jsonl");
        var bench = ProcessRunner.Edgelm("bench", "--plan", Path.Combine(Repository.Root, "examples", "quick.yaml"), "--out", results, "--format", "json");
        Assert.True(bench.Exit == 0, bench.Err);
        string report = _folder.File("report.html");

        var written = ProcessRunner.Edgelm("report", "--in", results, "--out", report, "--board-price-usd", "80");

        Assert.True(written.Exit == 0, written.Err);
        AssertRenders(report, "report-quick-plan.png");
    }

    /// <summary>Two boards with energy and quality: every chart kind, legends and fronts.</summary>
    [Fact]
    public void AReportOfTwoBoardsWithEnergyAndQualityRendersEveryChart()
    {
        string report = _folder.File("boards.html");
        HtmlReport.Write(new ReportRequest { Results = HtmlReportTests.Runs() }, report);

        string dom = AssertRenders(report, "report-two-boards.png");

        Assert.Equal(9, Regex.Matches(dom, "<svg class=\"chart\"").Count);
    }

    private static string AssertRenders(string report, string screenshotName)
    {
        string artifacts = Path.Combine(Repository.Root, "out", "test-results");
        Directory.CreateDirectory(artifacts);
        string screenshot = Path.Combine(artifacts, screenshotName);

        RenderedPage page = HeadlessChromium.Render(report, screenshot, width: 1000, height: 900);

        Assert.Empty(page.ConsoleMessages);
        Assert.Empty(page.Exceptions);
        Assert.Empty(page.Requests);
        foreach (string section in Sections)
        {
            Assert.Contains($"id=\"{section}\"", page.Dom);
        }

        string[] charts = Regex.Matches(page.Dom, "<svg class=\"chart\".*?</svg>", RegexOptions.Singleline).Select(m => m.Value).ToArray();
        Assert.Equal(Regex.Matches(File.ReadAllText(report), "<svg class=\"chart\"").Count, charts.Length);
        Assert.All(charts, chart => Assert.Contains("class=\"mark\"", chart));
        Assert.True(page.DocumentHeight > 2000, $"a page of {charts.Length} charts is {page.DocumentHeight} px high");
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot holds the drawn page");
        return page.Dom;
    }
}
