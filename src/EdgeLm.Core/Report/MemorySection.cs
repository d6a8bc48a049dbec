using EdgeLm.Core.Benchmarks;
using EdgeLm.Core.Devices;
using EdgeLm.Core.Models;

namespace EdgeLm.Core.Report;

/// <summary>
/// Peak memory against context size per model and device, the device's memory as a line, and the memory model's
/// prediction (Test-EdgeFit) dashed beside the measurement where the model can be described: a synthetic shape by
/// its name, a model file when it is still at its path.
/// </summary>
internal static class MemorySection
{
    public static void Write(ReportContext context, HtmlDocument html)
    {
        html.Heading(2, "Memory", "memory");
        var series = new List<ScatterSeries>();
        var levels = new List<LevelLine>();
        int style = 0;
        foreach (string device in context.Devices)
        {
            foreach (IGrouping<string, BenchmarkSummary> model in context.Summaries
                         .Where(s => s.DeviceName == device && s.PeakRssBytesMedian is not null)
                         .GroupBy(s => $"{s.ModelName} {s.Quantization}"))
            {
                string name = context.Devices.Count > 1 ? $"{model.Key} · {device}" : model.Key;
                ScatterPoint[] measured = model.GroupBy(s => s.ContextSize ?? 0).OrderBy(g => g.Key)
                    .Select(g => new ScatterPoint(g.Key, g.Max(s => s.PeakRssBytesMedian!.Value) / 1e9,
                        $"{name}, context {g.Key}: peak resident memory {ReportText.Bytes(g.Max(s => s.PeakRssBytesMedian))} (median over the runs; the largest over the other settings)"))
                    .ToArray();
                series.Add(new ScatterSeries(name, measured, style, Line: measured.Length > 1));
                ScatterPoint[] predicted = Predict(context, model.First(), measured.Select(p => (int)p.X), name);
                if (predicted.Length > 0)
                {
                    series.Add(new ScatterSeries(string.Empty, predicted, style, Line: predicted.Length > 1, Dashed: true, Hollow: true));
                }

                style++;
            }

            if (MemoryOf(context, device) is long total)
            {
                levels.Add(new LevelLine(total / 1e9, $"{device}: {ReportText.Bytes(total)} installed"));
            }
        }

        if (series.Count == 0)
        {
            html.Paragraph("Memory: no run recorded its peak memory.", "missing");
            return;
        }

        // A board's memory far above what the models used would flatten them to the axis: then a log scale shows both.
        double measuredMax = series.SelectMany(s => s.Points).Select(p => p.Y).DefaultIfEmpty(0).Max();
        bool log = levels.Any(l => l.Value > 8 * measuredMax);
        var chart = new ScatterChart
        {
            Id = "memory", Description = "Peak memory against context size", XAxis = "Context size, tokens", YAxis = "Peak memory, GB",
            Series = series, Levels = levels, XFromZero = false, YLog = log,
        };
        html.Figure(chart.Render(), "Peak resident memory of the worker that ran each model (the kernel's high-water mark, reset before each run), " +
            "median over the runs, against the context size; hollow dashed circles and dashed lines: the memory model's prediction (Test-EdgeFit: weights, repacked copies, KV cache, " +
            "compute buffers, overhead); the horizontal line: the memory the board has installed (its profile or the board catalog). " +
            "The operating system keeps part of it: Test-EdgeFit says how much is left.");
    }

    private static ScatterPoint[] Predict(ReportContext context, BenchmarkSummary summary, IEnumerable<int> contexts, string name)
    {
        InferenceResult? run = context.Runs.FirstOrDefault(r => r.DeviceName == summary.DeviceName && r.ModelName == summary.ModelName && r.Quantization == summary.Quantization);
        if (run is null)
        {
            return Array.Empty<ScatterPoint>();
        }

        string? shape = run.ModelName.StartsWith("synthetic-", StringComparison.Ordinal) && SyntheticShapes.Names.Contains(run.ModelName["synthetic-".Length..])
            ? run.ModelName["synthetic-".Length..] : null;
        bool file = shape is null && File.Exists(run.ModelPath);
        if (shape is null && !file)
        {
            return Array.Empty<ScatterPoint>();
        }

        var points = new List<ScatterPoint>();
        foreach (int size in contexts.Where(c => c > 0))
        {
            try
            {
                FitPrediction prediction = FitCheck.Predict(new FitRequest
                {
                    ModelPath = file ? run.ModelPath : null, Shape = shape, Quantization = shape is null ? null : run.Quantization,
                    ContextSize = size, MemoryBytes = 8L << 30,
                })[0];
                points.Add(new ScatterPoint(size, prediction.PredictedPeakRssBytes / 1e9, $"{name}, context {size}: predicted {ReportText.Bytes(prediction.PredictedPeakRssBytes)}"));
            }
            catch (EdgeLmException)
            {
                // A model the memory model cannot describe (a type it does not know, a file changed since): measured only.
            }
        }

        return points.ToArray();
    }

    /// <summary>The device's installed memory: its profile, else the catalog entry its name matches.</summary>
    private static long? MemoryOf(ReportContext context, string device)
    {
        if (context.Request.Profiles.LastOrDefault(p => p.DeviceName == device)?.TotalMemoryBytes is long total)
        {
            return total;
        }

        BoardEntry? entry = BoardCatalog.EmbeddedEntries.FirstOrDefault(e => string.Equals(e.Name, context.Request.Board ?? device, StringComparison.OrdinalIgnoreCase));
        return entry?.MemoryGb is double gb ? (long)(gb * (1L << 30)) : null;
    }
}
