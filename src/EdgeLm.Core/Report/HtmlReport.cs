using System.Reflection;

namespace EdgeLm.Core.Report;

/// <summary>
/// Export-EdgeReport and edgelm report: one self-contained HTML page telling a board's story from its results:
/// environment, speed, latency, memory, trade-offs, cost, quality and every configuration with its warnings. Charts
/// are SVG written here, not drawn by a script library: the page needs no script at all, so it renders the same in
/// any browser, in print and with scripts off, and its content is checked by reading it.
/// </summary>
public static class HtmlReport
{
    public static string Render(ReportRequest request)
    {
        if (request.Results.Count(r => !r.Warmup) == 0)
        {
            throw new EdgeLmArgumentException("NoResults", "a report needs measured runs: give a results file (edgelm bench --out, Invoke-EdgeBenchmark -OutputPath) or pipe results");
        }

        var context = new ReportContext(request);
        var html = new HtmlDocument();
        string title = request.Title ?? $"EdgeLm report: {string.Join(", ", context.Devices)}";
        DateTime generated = request.Generated ?? DateTime.UtcNow;
        html.Heading(1, title);
        html.Paragraph($"{context.Runs.Count} measured runs of {context.Configurations.Count} configurations on {context.Devices.Count} " +
            $"device{(context.Devices.Count == 1 ? string.Empty : "s")}; made {generated:yyyy-MM-dd HH:mm} UTC by EdgeLm {Version}" +
            (request.Sources.Count > 0 ? $" from {string.Join(", ", request.Sources.Select(Path.GetFileName))}." : "."), "lead");
        EnvironmentSection.Write(context, html);
        SpeedSection.Write(context, html);
        LatencySection.Write(context, html);
        MemorySection.Write(context, html);
        TradeoffSection.Write(context, html);
        CostSection.Write(context, html);
        QualitySection.Write(context, html);
        ConfigurationSection.Write(context, html);
        return html.Render(title, Version);
    }

    /// <summary>
    /// Writes the report to <paramref name="path"/>, whole (a temporary renamed into place). An existing file is
    /// replaced only when it is an EdgeLm report: anything else there is not ours to overwrite.
    /// </summary>
    public static string Write(ReportRequest request, string path)
    {
        string full = Path.GetFullPath(path);
        RefuseForeign(full);
        string page = Render(request);
        OutputFiles.WriteText(full, "the report", writer => writer.Write(page));
        return full;
    }

    private static void RefuseForeign(string full)
    {
        FileKind kind = InputFiles.KindOf(full);
        if (kind is not (FileKind.Regular or FileKind.Missing))
        {
            throw new EdgeLmArgumentException("OutputNotARegularFile", $"{full} is {InputFiles.Describe(kind)}; the report is written only to a regular file: name an .html file");
        }

        if (kind == FileKind.Missing || new FileInfo(full).Length == 0)
        {
            return;
        }

        using FileStream stream = InputFiles.OpenRegular(full, "report");
        byte[] head = new byte[4096];
        int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (!System.Text.Encoding.UTF8.GetString(head, 0, read).Contains($"<meta name=\"generator\" content=\"{HtmlDocument.Generator}", StringComparison.Ordinal))
        {
            throw new EdgeLmInvalidFileException(full, "ReportWouldOverwrite",
                $"{full} exists and is not an EdgeLm report, so it is left as it is; name another file (--out, -OutputPath) or remove it first");
        }
    }

    private static string Version => typeof(HtmlReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
}
