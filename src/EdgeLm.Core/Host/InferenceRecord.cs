using EdgeLm.Core.Engine;
using EdgeLm.Core.Worker;
using EdgeLm.Core.Devices;
using EdgeLm.Core.Models;

namespace EdgeLm.Core.Host;

/// <summary>Completes a measured run's record with its identity, the model's description and the request.</summary>
internal static class InferenceRecord
{
    public static InferenceResult Describe(RunMeasurement measured, ModelInfo info, InferenceRequest request, IRunBackend backend,
        string sha256, string timestamp, int repetition, bool warmup, ThermalObservation thermal, double? bandwidth)
    {
        InferenceResult r = measured.Record;
        r.RunId = Guid.NewGuid().ToString("N");
        r.Timestamp = timestamp;
        r.DeviceName = DeviceIdentity.Name();
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
        r.Prompt = request.PromptTokens is null ? request.Prompt : null;
        r.PromptSha256 = r.Prompt is null ? null : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(r.Prompt))).ToLowerInvariant();
        r.ChatTemplate = request.ChatTemplate?.ToLowerInvariant() ?? string.Empty;
        r.RequestedTokens = request.MaxTokens;
        r.DepthTokens = request.DepthTokens;
        r.Temperature = request.Temperature;
        r.Seed = request.Seed;
        r.Backend = backend.Backend;
        r.LlamaVersion = backend.LlamaVersion;
        r.Isolation = backend.Isolation;
        r.WorkerStartMs = backend.StartMs;
        r.ModelLoadMs = measured.ModelLoadMs;
        r.LoadMs = backend.StartMs + measured.ModelLoadMs;
        r.MaxTemperatureCelsius = thermal.MaxTemperatureCelsius;
        r.MinCpuFrequencyMHz = thermal.MinCpuFrequencyMHz;
        r.Throttled = thermal.Throttled;

        // Each generated token reads the weights it multiplies and the KV cache up to its position; the mean
        // position over the decode phase is the prompt plus half the generation.
        double kvPerPosition = r.ContextSize > 0 ? (double)r.KvCacheBytes / r.ContextSize : 0;
        r.DecodeBytesPerToken = info.DecodeWeightBytes + (long)(kvPerPosition * (r.PromptTokens + r.GeneratedTokens / 2.0));
        r.BandwidthUtilization = bandwidth is > 0 && r.DecodeTokensPerSecond is double tps ? tps * r.DecodeBytesPerToken / bandwidth.Value : null;
        return r;
    }
}
