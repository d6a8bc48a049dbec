using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Core.Report;

/// <summary>
/// What every section draws from, computed once: the measured runs, the devices (each a chart series, in order of
/// first appearance), the summaries per configuration, and a short label for each configuration that names only
/// what varies between them.
/// </summary>
internal sealed class ReportContext
{
    private readonly string[] _varying;

    public ReportContext(ReportRequest request)
    {
        Request = request;
        Runs = request.Results.Where(r => !r.Warmup).ToArray();
        Devices = Runs.Select(r => r.DeviceName).Distinct(StringComparer.Ordinal).ToArray();
        Summaries = Benchmarks.Summaries.Summarize(Runs);
        string[] keys = { "ModelName", "Quantization", "Threads", "GpuLayers", "ContextSize", "PromptTokens", "RequestedTokens", "DepthTokens" };
        _varying = keys.Where(k => k is "ModelName" or "Quantization"
            || Summaries.Select(s => RecordText.Invariant(TypedRecord.Get(s, k))).Distinct().Count() > 1).ToArray();
        Configurations = Summaries.Select(Label).Distinct(StringComparer.Ordinal).ToArray();
    }

    public ReportRequest Request { get; }

    /// <summary>Measured runs (warm-ups left out).</summary>
    public IReadOnlyList<InferenceResult> Runs { get; }

    public IReadOnlyList<string> Devices { get; }

    public IReadOnlyList<BenchmarkSummary> Summaries { get; }

    /// <summary>Configuration labels in the order first seen: the rows of the per-configuration charts.</summary>
    public IReadOnlyList<string> Configurations { get; }

    public int DeviceIndex(string? device) => Math.Max(0, Array.IndexOf((string[])Devices, device ?? string.Empty));

    /// <summary>A configuration without its device: the model and quantization, then only the settings that vary ("t=4 ctx=2048").</summary>
    public string Label(BenchmarkSummary summary) => string.Join(' ', _varying.Select(k => Part(k, TypedRecord.Get(summary, k))).Where(p => p.Length > 0));

    /// <summary>The same label for a run.</summary>
    public string Label(InferenceResult run) => string.Join(' ', _varying.Select(k => Part(k, TypedRecord.Get(run, k))).Where(p => p.Length > 0));

    /// <summary>The summary of a configuration on a device, or null when that device did not run it.</summary>
    public BenchmarkSummary? Summary(string configuration, string device) =>
        Summaries.FirstOrDefault(s => s.DeviceName == device && Label(s) == configuration);

    private static string Part(string key, object? value)
    {
        string text = RecordText.Invariant(value);
        return key switch
        {
            "ModelName" or "Quantization" => text,
            "Threads" => "t=" + text,
            "GpuLayers" => "ngl=" + text,
            "ContextSize" => "ctx=" + text,
            "PromptTokens" => "p=" + text,
            "RequestedTokens" => "n=" + text,
            "DepthTokens" => "d=" + text,
            _ => text,
        };
    }
}
