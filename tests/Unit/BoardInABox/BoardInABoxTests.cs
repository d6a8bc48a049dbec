using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.BoardInABox;

/// <summary>
/// tests/BoardInABox/run.sh for a Raspberry Pi 5 and a Jetson Orin Nano: the recorded board's profile, the quick plan
/// with energy from its recorded sensor, summary, cost and report; then the report in headless Chromium.
/// </summary>
public sealed class BoardInABoxTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("pi5")]
    [InlineData("orin")]
    public void TheBoardsWholePipelineRunsAndItsReportRenders(string board)
    {
        string work = _folder.File(board);

        var run = ProcessRunner.Run("bash", new[] { Path.Combine(Repository.Root, "tests", "BoardInABox", "run.sh"), board, work });

        Assert.True(run.Exit == 0, run.Err);
        Assert.Contains(": PASS", run.Err);
        AssertReportRenders(board, work);
    }

    internal static void AssertReportRenders(string board, string work)
    {
        string artifacts = Directory.CreateDirectory(Path.Combine(Repository.Root, "out", "test-results")).FullName;
        RenderedPage page = HeadlessChromium.Render(Path.Combine(work, "report.html"), Path.Combine(artifacts, $"board-in-a-box-{board}.png"));
        Assert.Empty(page.ConsoleMessages);
        Assert.Empty(page.Exceptions);
        Assert.Empty(page.Requests);
    }
}
