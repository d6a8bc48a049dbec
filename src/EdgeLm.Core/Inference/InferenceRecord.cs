using EdgeLm.Core.Models;

namespace EdgeLm.Core.Inference;

/// <summary>Builds the flat record from a run's measurement, the model's description and the request.</summary>
internal static class InferenceRecord
{
    public static InferenceResult Compose(RunMeasurement m, ModelInfo info, InferenceRequest request, IRunBackend backend,
        string sha256, string timestamp, int repetition, bool warmup) => new()
    {
        RunId = Guid.NewGuid().ToString("N"),
        Timestamp = timestamp,
        // The device profile (Get-DeviceProfile) names the board; until it is wired in, the host name stands for it.
        DeviceName = Environment.MachineName,
        HostName = Environment.MachineName,
        Repetition = repetition,
        Warmup = warmup,
        ModelName = info.ModelName,
        ModelPath = info.ModelPath,
        ModelSha256 = sha256,
        Architecture = info.Architecture,
        Quantization = info.Quantization,
        ParameterCount = info.ParameterCount,
        ModelBytes = info.ModelBytes,
        Threads = m.Threads,
        GpuLayers = request.GpuLayers,
        ContextSize = m.ContextSize,
        BatchSize = m.BatchSize,
        FlashAttention = request.FlashAttention.ToString().ToLowerInvariant(),
        PromptTokens = m.PromptTokens,
        PromptSource = request.PromptTokens is null ? "text" : "random",
        ChatTemplate = request.ChatTemplate?.ToLowerInvariant() ?? string.Empty,
        RequestedTokens = request.MaxTokens,
        Temperature = request.Temperature,
        Seed = request.Seed,
        Backend = backend.Backend,
        LlamaVersion = backend.LlamaVersion,
        Isolation = backend.Isolation,
        GeneratedTokens = m.GeneratedTokens,
        StoppedAtEos = m.StoppedAtEos,
        LoadMs = backend.StartMs + m.ModelLoadMs,
        TimeToFirstTokenMs = m.TimeToFirstTokenMs,
        PrefillMs = m.PrefillMs,
        PrefillTokensPerSecond = m.PrefillMs > 0 ? m.PromptTokens / m.PrefillMs * 1000 : 0,
        DecodeMs = m.DecodeMs,
        DecodeTokensPerSecond = m.DecodeMs is > 0 ? (m.GeneratedTokens - 1) / m.DecodeMs.Value * 1000 : null,
        InterTokenP50Ms = m.InterTokenP50Ms,
        InterTokenP95Ms = m.InterTokenP95Ms,
        InterTokenP99Ms = m.InterTokenP99Ms,
        InterTokenMaxMs = m.InterTokenMaxMs,
        TotalMs = m.TotalMs,
        EnginePrefillMs = m.EnginePrefillMs,
        EngineDecodeMs = m.EngineDecodeMs,
        PeakRssBytes = m.PeakRssBytes,
        PeakRssScope = m.PeakRssScope,
        KvCacheBytes = m.KvCacheBytes,
        ComputeBufferBytes = m.ComputeBufferBytes,
        Output = m.Output,
    };
}
