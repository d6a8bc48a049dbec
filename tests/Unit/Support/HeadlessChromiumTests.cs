namespace EdgeLm.Tests.Support;

/// <summary>
/// The harness the HTML report's tests stand on: each test renders a small page in real headless Chromium and checks
/// that what the report must never do (log errors, throw, fetch anything) is seen. Without Chromium these fail and
/// name tools/chromium.sh: a report test that skips silently would pass a broken report.
/// </summary>
public sealed class HeadlessChromiumTests : IDisposable
{
    private static readonly byte[] PngSignature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void ChromiumIsInstalled()
    {
        Assert.True(HeadlessChromium.Executable() is not null, HeadlessChromium.NotFound);
    }

    [Fact]
    public void CleanPageHasNoMessagesNoRequestsItsSvgAndAPng()
    {
        RenderedPage page = Render(
            "<style>svg.chart { width: 320px; height: 200px; } .mark { fill: steelblue; }</style>" +
            "<h1>Runs</h1>" +
            "<svg class=\"chart\" viewBox=\"0 0 320 200\"><rect class=\"mark\" x=\"10\" y=\"50\" width=\"40\" height=\"150\"/>" +
            "<rect class=\"mark\" x=\"60\" y=\"80\" width=\"40\" height=\"120\"/></svg>" +
            "<div style=\"height: 1500px\"></div>",
            out string screenshot);

        Assert.Empty(page.ConsoleMessages);
        Assert.Empty(page.Exceptions);
        Assert.Empty(page.Requests);
        Assert.Contains("<svg class=\"chart\"", page.Dom);
        Assert.Equal(2, CountOccurrences(page.Dom, "class=\"mark\""));
        // The tall div makes the document longer than the 900-pixel viewport: the screenshot must cover all of it.
        Assert.True(page.DocumentHeight > 1500, $"document height {page.DocumentHeight}");
        byte[] png = File.ReadAllBytes(screenshot);
        Assert.Equal(PngSignature, png.Take(PngSignature.Length).ToArray());
        Assert.Equal(page.DocumentHeight, PngHeight(png));
    }

    [Fact]
    public void DomIsReadAfterScriptsRan()
    {
        RenderedPage page = Render(
            "<div id=\"charts\"></div><script>document.getElementById('charts').innerHTML = " +
            "'<svg class=\"chart\"><circle class=\"mark\" r=\"3\"/></svg>';</script>",
            out _);

        Assert.Contains("<circle class=\"mark\"", page.Dom);
        Assert.Empty(page.ConsoleMessages);
    }

    [Fact]
    public void ConsoleErrorIsCaught()
    {
        RenderedPage page = Render("<p>x</p><script>console.error('boom')</script>", out _);

        Assert.Equal(new[] { "error: boom" }, page.ConsoleMessages);
        Assert.Empty(page.Exceptions);
    }

    [Fact]
    public void UncaughtExceptionIsCaught()
    {
        RenderedPage page = Render("<p>x</p><script>throw new Error('x')</script>", out _);

        string exception = Assert.Single(page.Exceptions);
        Assert.StartsWith("Uncaught Error: x", exception);
    }

    [Fact]
    public void ImageFromTheNetworkIsReportedAsARequest()
    {
        RenderedPage page = Render("<img src=\"http://127.0.0.1:9/x.png\">", out _);

        Assert.Equal(new[] { "http://127.0.0.1:9/x.png" }, page.Requests);
        // The failed load is also the browser's own console error, as a user with DevTools open would see it.
        Assert.Contains(page.ConsoleMessages, message => message.StartsWith("error (network):", StringComparison.Ordinal));
    }

    [Fact]
    public void CssUrlIsReportedAsARequest()
    {
        RenderedPage page = Render(
            "<style>body { background: url(https://fonts.example/bg.png); }</style><p>x</p>",
            out _);

        Assert.Equal(new[] { "https://fonts.example/bg.png" }, page.Requests);
    }

    [Fact]
    public void FetchFromAWorkerIsReportedAsARequest()
    {
        // A worker is a target of its own; its requests are seen only because the harness attaches to it. It starts
        // on a thread of its own, maybe after the page has loaded and settled: the render waits for its word that the
        // request is done (refused: nothing listens on port 9).
        RenderedPage page = Render(
            "<script>const code = \"fetch('http://127.0.0.1:9/from-worker').catch(() => {}).finally(() => postMessage('done'))\";" +
            "const worker = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));" +
            "window.workerDone = new Promise(done => { worker.onmessage = done; });" +
            "</script>",
            out _,
            waitFor: "window.workerDone.then(() => true)");

        Assert.Contains("http://127.0.0.1:9/from-worker", page.Requests);
    }

    [Fact]
    public void PageThatNeverLoadsTimesOutInsteadOfHanging()
    {
        string html = folder.File("busy.html");
        File.WriteAllText(html, "<!DOCTYPE html><p>x</p><script>while (true) {}</script>");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = Assert.Throws<TimeoutException>(() => HeadlessChromium.Render(html, folder.File("busy.png"), timeout: TimeSpan.FromSeconds(5)));

        Assert.Contains("did not finish within 5 s", error.Message);
        // Killing the browser and deleting its profile is quick; only a hang would take this long.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
    }

    [Fact]
    public void MissingPageIsNamed()
    {
        var error = Assert.Throws<FileNotFoundException>(() => HeadlessChromium.Render(folder.File("absent.html"), folder.File("absent.png")));

        Assert.Contains("absent.html", error.Message);
    }

    private RenderedPage Render(string body, out string screenshot, string? waitFor = null)
    {
        string html = folder.File("page.html");
        File.WriteAllText(html, $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>t</title></head><body>{body}</body></html>");
        screenshot = folder.File("page.png");
        return HeadlessChromium.Render(html, screenshot, waitFor: waitFor);
    }

    private static int CountOccurrences(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>The image height from the PNG's IHDR chunk (big-endian, bytes 20 to 23).</summary>
    private static int PngHeight(byte[] png) => (png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23];
}
