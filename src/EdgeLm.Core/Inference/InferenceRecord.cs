using EdgeLm.Core.Models;

namespace EdgeLm.Core.Inference;

/// <summary>Completes a measured run's record with its identity, the model's description and the request.</summary>
internal static class InferenceRecord
{
    public static InferenceResult Describe(RunMeasurement measured, ModelInfo info, InferenceRequest request, IRunBackend backend,
        string sha256, string timestamp, int repetition, bool warmup)
    {
        InferenceResult r = measured.Record;
        r.RunId = Guid.NewGuid().ToString("N");
        r.Timestamp = timestamp;
        // The device profile (Get-DeviceProfile) names the board; until it is wired in, the host name stands for it.
        r.DeviceName = Environment.MachineName;
        r.HostName = Environment.MachineName;
        r.Repetition = repetition;
        r.Warmup = warmup;
        r.ModelName = info.ModelName;
        r.ModelPath = info.ModelPath;
        r.ModelSha256 = sha256;
        r.Architecture = info.Architecture;
        r.Quantization = info.Quantization;
        r.ParameterCount = info.ParameterCount;
        r.ModelBytes = info.ModelBytes;
        r.GpuLayers = request.GpuLayers;
        r.FlashAttention = request.FlashAttention.ToString().ToLowerInvariant();
        r.PromptSource = request.PromptTokens is null ? "text" : "random";
        r.ChatTemplate = request.ChatTemplate?.ToLowerInvariant() ?? string.Empty;
        r.RequestedTokens = request.MaxTokens;
        r.Temperature = request.Temperature;
        r.Seed = request.Seed;
        r.Backend = backend.Backend;
        r.LlamaVersion = backend.LlamaVersion;
        r.Isolation = backend.Isolation;
        r.LoadMs = backend.StartMs + measured.ModelLoadMs;
        return r;
    }
}
