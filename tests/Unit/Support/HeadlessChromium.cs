using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;

namespace EdgeLm.Tests.Support;

/// <summary>
/// What a real browser made of an HTML file.
/// </summary>
/// <param name="ConsoleMessages">Errors and warnings, each "level: text" (console calls) or "level (source): text"
/// (the browser's own, such as "error (network): Failed to load resource: ...").</param>
/// <param name="Exceptions">Uncaught exceptions and unhandled rejections, "Uncaught Error: x (url:line)".</param>
/// <param name="Requests">Every URL the page requested other than the page itself (data: and blob: URLs excepted:
/// they never leave the document).</param>
/// <param name="Dom">document.documentElement.outerHTML after load, scripts run.</param>
/// <param name="DocumentHeight">The scroll height in CSS pixels, the height of the screenshot.</param>
public sealed record RenderedPage(
    IReadOnlyList<string> ConsoleMessages,
    IReadOnlyList<string> Exceptions,
    IReadOnlyList<string> Requests,
    string Dom,
    int DocumentHeight);

/// <summary>
/// Renders a local HTML file in headless Chromium through the DevTools protocol and reports console errors,
/// uncaught exceptions, network requests and the resulting DOM, with a full-page PNG screenshot. One browser per
/// call, killed with its profile afterwards, also on timeout.
/// </summary>
public static class HeadlessChromium
{
    public const string NotFound =
        "Chromium was not found (EDGELM_CHROMIUM, chromium on PATH, /usr/bin/chromium); run tools/chromium.sh, " +
        "which installs Debian's chromium package, or set EDGELM_CHROMIUM to a Chromium or Chrome executable";

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    // After the load event: two animation frames (layout and paint of what scripts added) and a short wait for
    // timers scripts set on load; a page where frames never come (hidden) still settles after a second.
    private const string SettleScript =
        "new Promise(done => { setTimeout(done, 1000); " +
        "requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 100))); })";

    private const string SizeScript =
        "[Math.ceil(Math.max(document.documentElement.scrollWidth, document.body ? document.body.scrollWidth : 0)), " +
        "Math.ceil(Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0))]";

    /// <summary>EDGELM_CHROMIUM, else chromium on PATH, else /usr/bin/chromium; null when there is none.</summary>
    public static string? Executable()
    {
        string? chosen = Environment.GetEnvironmentVariable("EDGELM_CHROMIUM");
        if (!string.IsNullOrEmpty(chosen))
        {
            // Returned even when missing: a wrong EDGELM_CHROMIUM must fail by its name, not quietly use another browser.
            return chosen.Contains('/') ? chosen : OnPath(chosen) ?? chosen;
        }

        return OnPath("chromium") ?? (File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : null);
    }

    /// <summary>
    /// Opens <paramref name="htmlPath"/> in a <paramref name="width"/> x <paramref name="height"/> viewport, waits for
    /// its load event and a settle, and writes a PNG of the whole document to <paramref name="screenshotPath"/>.
    /// Throws TimeoutException (naming the step and Chromium's last output) when it takes longer than
    /// <paramref name="timeout"/> (60 s unless given). <paramref name="waitFor"/>, a JavaScript expression, is awaited
    /// after the load event where a page does something later that the result must see (a worker's request).
    /// </summary>
    public static RenderedPage Render(string htmlPath, string screenshotPath, int width = 1280, int height = 900, TimeSpan? timeout = null, string? waitFor = null)
    {
        string executable = Executable() ?? throw new InvalidOperationException(NotFound);
        if (!File.Exists(executable))
        {
            // Only EDGELM_CHROMIUM can name a missing file; the other places are looked at before they are returned.
            throw new InvalidOperationException(
                $"EDGELM_CHROMIUM={executable}: no such executable; point it at a Chromium or Chrome, or unset it and run tools/chromium.sh");
        }

        string page = Path.GetFullPath(htmlPath);
        if (!File.Exists(page))
        {
            throw new FileNotFoundException($"{page}: no such HTML file to render", page);
        }

        // Off the caller's synchronization context: xunit's would otherwise be needed to finish the render it waits on.
        return Task.Run(() => RenderAsync(executable, page, Path.GetFullPath(screenshotPath), width, height, timeout ?? DefaultTimeout, waitFor))
            .GetAwaiter().GetResult();
    }

    private static async Task<RenderedPage> RenderAsync(string executable, string page, string screenshot, int width, int height, TimeSpan timeout, string? waitFor)
    {
        using var deadline = new CancellationTokenSource(timeout);
        CancellationToken cancel = deadline.Token;
        var seen = new PageEvents();
        string step = "starting Chromium";
        using ChromiumProcess chromium = ChromiumProcess.Start(executable, width, height);
        try
        {
            step = "waiting for Chromium's DevTools port";
            int port = await chromium.DevToolsPortAsync(cancel).ConfigureAwait(false);

            step = "finding the blank page's DevTools target";
            Uri target = await PageTargetAsync(port, cancel).ConfigureAwait(false);

            using var devTools = new DevToolsConnection((method, parameters, session) => seen.Add(method, parameters, session));
            seen.Connection = devTools;
            seen.Cancel = cancel;
            await devTools.ConnectAsync(target, cancel).ConfigureAwait(false);

            step = "enabling the Runtime, Log, Network and Page domains";
            await PrepareAsync(devTools, cancel, session: null).ConfigureAwait(false);
            await devTools.SendAsync("Page.enable", null, cancel).ConfigureAwait(false);
            await devTools.SendAsync("Emulation.setDeviceMetricsOverride", new { width, height, deviceScaleFactor = 1, mobile = false }, cancel).ConfigureAwait(false);

            step = "loading the page (until its load event)";
            JsonElement navigation = await devTools.SendAsync("Page.navigate", new { url = new Uri(page).AbsoluteUri }, cancel).ConfigureAwait(false);
            string? navigationError = Text(navigation, "errorText");
            if (!string.IsNullOrEmpty(navigationError))
            {
                throw new InvalidOperationException($"Chromium could not open the page: {navigationError}");
            }

            seen.NavigationRequestId = Text(navigation, "loaderId");
            await seen.Loaded.Task.WaitAsync(cancel).ConfigureAwait(false);
            if (waitFor is not null)
            {
                step = $"waiting for {waitFor}";
                await Evaluate(devTools, waitFor, cancel).ConfigureAwait(false);
            }

            step = "letting the page settle after its load event";
            await Evaluate(devTools, SettleScript, cancel).ConfigureAwait(false);

            step = "reading the DOM and the document size";
            string dom = (await Evaluate(devTools, "document.documentElement.outerHTML", cancel).ConfigureAwait(false)).GetString() ?? string.Empty;
            JsonElement size = await Evaluate(devTools, SizeScript, cancel).ConfigureAwait(false);
            int documentWidth = Math.Max(width, size[0].GetInt32());
            int documentHeight = Math.Max(1, size[1].GetInt32());

            step = "capturing the screenshot";
            JsonElement shot = await devTools.SendAsync(
                "Page.captureScreenshot",
                new
                {
                    format = "png",
                    captureBeyondViewport = true,
                    clip = new { x = 0, y = 0, width = documentWidth, height = documentHeight, scale = 1 },
                },
                cancel).ConfigureAwait(false);
            Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
            string png = Text(shot, "data") ?? throw new InvalidOperationException("Page.captureScreenshot returned no image");
            await File.WriteAllBytesAsync(screenshot, Convert.FromBase64String(png), cancel).ConfigureAwait(false);

            return seen.Result(dom, documentHeight);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"{page}: Chromium did not finish within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s, " +
                $"while {step}; Chromium's last output:\n{chromium.RecentOutput()}");
        }
        catch (Exception e) when (e is InvalidOperationException or WebSocketException or HttpRequestException or IOException or JsonException)
        {
            throw new InvalidOperationException($"{page}: rendering in Chromium failed while {step}: {e.Message}\nChromium's last output:\n{chromium.RecentOutput()}", e);
        }
    }

    /// <summary>The WebSocket of the page Chromium opened (about:blank); the list also holds the browser's own UI.</summary>
    private static async Task<Uri> PageTargetAsync(int port, CancellationToken cancel)
    {
        // No proxy: one set in the environment would not reach the browser's 127.0.0.1 port.
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        while (true)
        {
            using JsonDocument targets = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list", cancel).ConfigureAwait(false));
            foreach (JsonElement target in targets.RootElement.EnumerateArray())
            {
                if (Text(target, "type") == "page" && Text(target, "webSocketDebuggerUrl") is { } socket)
                {
                    return new Uri(socket);
                }
            }

            await Task.Delay(100, cancel).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Turns on the events the report is judged by, for the page or for an attached target (an iframe in its own
    /// process, a worker): those are paused until runIfWaitingForDebugger, so none of their requests is missed.
    /// </summary>
    private static async Task PrepareAsync(DevToolsConnection devTools, CancellationToken cancel, string? session)
    {
        await devTools.SendAsync("Runtime.enable", null, cancel, session).ConfigureAwait(false);
        await devTools.SendAsync("Log.enable", null, cancel, session).ConfigureAwait(false);
        await devTools.SendAsync("Network.enable", null, cancel, session).ConfigureAwait(false);
        await devTools.SendAsync("Target.setAutoAttach", new { autoAttach = true, waitForDebuggerOnStart = true, flatten = true }, cancel, session).ConfigureAwait(false);
        if (session is not null)
        {
            await devTools.SendAsync("Runtime.runIfWaitingForDebugger", null, cancel, session).ConfigureAwait(false);
        }
    }

    private static async Task<JsonElement> Evaluate(DevToolsConnection devTools, string expression, CancellationToken cancel)
    {
        JsonElement reply = await devTools.SendAsync("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true }, cancel).ConfigureAwait(false);
        if (reply.TryGetProperty("exceptionDetails", out JsonElement failure))
        {
            throw new InvalidOperationException($"evaluating '{expression}' threw: {failure.GetRawText()}");
        }

        // undefined (the settle promise's value) comes without a value.
        return reply.TryGetProperty("result", out JsonElement result) && result.TryGetProperty("value", out JsonElement value) ? value : default;
    }

    private static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    /// <summary>A string field of a protocol object; the protocol leaves out absent fields instead of writing null.</summary>
    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>The events of one render, collected as they arrive on the connection's receiving loop.</summary>
    private sealed class PageEvents
    {
        private readonly object gate = new();
        private readonly List<string> consoleMessages = new();
        private readonly List<string> exceptions = new();
        private readonly List<(string? RequestId, string Url)> requests = new();

        public TaskCompletionSource Loaded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public DevToolsConnection? Connection { get; set; }

        public CancellationToken Cancel { get; set; }

        /// <summary>Page.navigate's loaderId: the navigation request's id, the one request that is the page itself.</summary>
        public string? NavigationRequestId { get; set; }

        public void Add(string method, JsonElement parameters, string? session)
        {
            switch (method)
            {
                case "Page.loadEventFired" when session is null:
                    Loaded.TrySetResult();
                    break;
                case "Runtime.consoleAPICalled":
                    string? level = Text(parameters, "type") switch
                    {
                        "error" or "assert" => "error",
                        "warning" => "warning",
                        _ => null,
                    };
                    if (level is not null)
                    {
                        Keep(consoleMessages, $"{level}: {ConsoleText(parameters)}");
                    }

                    break;
                case "Log.entryAdded":
                    JsonElement entry = parameters.GetProperty("entry");
                    if (Text(entry, "level") is "error" or "warning")
                    {
                        string? url = Text(entry, "url");
                        Keep(consoleMessages, $"{Text(entry, "level")} ({Text(entry, "source")}): {Text(entry, "text")}{(url is null ? string.Empty : " " + url)}");
                    }

                    break;
                case "Runtime.exceptionThrown":
                    Keep(exceptions, ExceptionText(parameters.GetProperty("exceptionDetails")));
                    break;
                case "Network.requestWillBeSent":
                    string requestUrl = Text(parameters.GetProperty("request"), "url") ?? string.Empty;
                    if (!requestUrl.StartsWith("data:", StringComparison.OrdinalIgnoreCase) && !requestUrl.StartsWith("blob:", StringComparison.OrdinalIgnoreCase))
                    {
                        lock (gate)
                        {
                            requests.Add((Text(parameters, "requestId"), requestUrl));
                        }
                    }

                    break;
                case "Target.attachedToTarget" when Connection is not null && Text(parameters, "sessionId") is { } child:
                    // Not awaited: this runs on the loop that reads the answers. A target that goes away before it is
                    // prepared has nothing left to report.
                    _ = PrepareAsync(Connection, Cancel, child).ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
                    break;
            }
        }

        public RenderedPage Result(string dom, int documentHeight)
        {
            lock (gate)
            {
                return new RenderedPage(
                    consoleMessages.ToArray(),
                    exceptions.ToArray(),
                    requests.Where(r => r.RequestId is null || r.RequestId != NavigationRequestId).Select(r => r.Url).ToArray(),
                    dom,
                    documentHeight);
            }
        }

        private void Keep(List<string> list, string text)
        {
            lock (gate)
            {
                list.Add(text);
            }
        }

        private static string ConsoleText(JsonElement parameters) =>
            string.Join(' ', parameters.GetProperty("args").EnumerateArray().Select(arg =>
                arg.TryGetProperty("value", out JsonElement value)
                    ? (value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText())
                    : Text(arg, "unserializableValue") ?? Text(arg, "description") ?? Text(arg, "type")));

        private static string ExceptionText(JsonElement details)
        {
            // description is the error's own text and stack ("Error: x\n    at ..."); its first line is the message.
            string? description = details.TryGetProperty("exception", out JsonElement exception) ? Text(exception, "description") : null;
            string message = description is null
                ? Text(details, "text") ?? "Uncaught exception"
                : $"{Text(details, "text")} {description.Split('\n')[0]}".Trim();
            string? url = Text(details, "url");
            int line = details.TryGetProperty("lineNumber", out JsonElement l) ? l.GetInt32() + 1 : 0;
            return url is null ? message : $"{message} ({url}:{line})";
        }
    }
}
