using EdgeLm.Core.Devices;
using EdgeLm.Core.Models;
using EdgeLm.Core.Settings;
using EdgeLm.Core.Worker;

namespace EdgeLm.Core.Host;

/// <summary>Where a run sits in a benchmark: its resumable key and repetition (null outside a plan).</summary>
internal sealed record RunLabel(string RunKey, int Repetition, double? QuietWaitSeconds = null);

/// <summary>
/// A run's record, built in this one place: the resolved settings, the worker's measurement, the model's
/// description, the backend, the thermal, contention and energy observations of the host, and identity.
/// </summary>
internal static class InferenceRecord
{
    public static InferenceResult Build(RunSettings settings, RunMeasurement measured, ModelInfo info, IRunBackend backend,
        string sha256, string timestamp, int repetition, bool warmup, ThermalObservation thermal, ContentionObservation contention, double? bandwidth,
        RunEnergyFigures? energy, RunLabel? label)
    {
        string? prompt = settings.PromptTokens is null ? settings.Prompt : null;

        // Each generated token reads the weights it multiplies and the KV cache up to its position; the mean
        // position over the decode phase is the prompt plus half the generation.
        double kvPerPosition = measured.ContextSize > 0 ? (double)measured.KvCacheBytes / measured.ContextSize : 0;
        long decodeBytes = DecodeTraffic.BytesPerToken(info.DecodeWeightBytes, kvPerPosition, measured.PromptTokens + measured.GeneratedTokens / 2.0);
        return new InferenceResult
        {
            RunId = Guid.NewGuid().ToString("N"),
            Timestamp = timestamp,
            DeviceName = DeviceIdentity.Name(),
            HostName = Environment.MachineName,
            RunKey = label?.RunKey ?? string.Empty,
            Repetition = label?.Repetition ?? repetition,
            QuietWaitSeconds = label?.QuietWaitSeconds,
            Warmup = warmup,
            ModelName = info.ModelName,
            ModelPath = info.ModelPath,
            ModelSha256 = sha256,
            Architecture = info.Architecture,
            Quantization = info.Quantization,
            ParameterCount = info.ParameterCount,
            ModelBytes = info.ModelBytes,
            SyntheticWeights = info.SyntheticWeights,
            Threads = measured.Threads,
            GpuLayers = settings.GpuLayers,
            ContextSize = measured.ContextSize,
            BatchSize = measured.BatchSize,
            FlashAttention = settings.FlashAttention.ToString().ToLowerInvariant(),
            PromptTokens = measured.PromptTokens,
            PromptSource = settings.PromptTokens is null ? "text" : "random",
            Prompt = prompt,
            PromptSha256 = prompt is null ? null : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(prompt))).ToLowerInvariant(),
            ChatTemplate = settings.ChatTemplate?.ToLowerInvariant() ?? string.Empty,
            RequestedTokens = settings.MaxTokens,
            DepthTokens = settings.DepthTokens,
            Temperature = settings.Temperature,
            Seed = settings.Seed,
            Backend = backend.Backend,
            LlamaVersion = backend.LlamaVersion,
            EdgeLmVersion = EdgeLmBuild.Version,
            Isolation = backend.Isolation,
            GeneratedTokens = measured.GeneratedTokens,
            StoppedAtEos = measured.StoppedAtEos,
            LoadMs = backend.StartMs + measured.ModelLoadMs,
            WorkerStartMs = backend.StartMs,
            ModelLoadMs = measured.ModelLoadMs,
            TimeToFirstTokenMs = measured.TimeToFirstTokenMs,
            PrefillMs = measured.PrefillMs,
            PrefillTokensPerSecond = measured.PrefillTokensPerSecond,
            DecodeMs = measured.DecodeMs,
            DecodeTokensPerSecond = measured.DecodeTokensPerSecond,
            InterTokenP50Ms = measured.InterTokenP50Ms,
            InterTokenP95Ms = measured.InterTokenP95Ms,
            InterTokenP99Ms = measured.InterTokenP99Ms,
            InterTokenMaxMs = measured.InterTokenMaxMs,
            TotalMs = measured.TotalMs,
            EnginePrefillMs = measured.EnginePrefillMs,
            EngineDecodeMs = measured.EngineDecodeMs,
            PeakRssBytes = measured.PeakRssBytes,
            PeakRssScope = measured.PeakRssScope,
            KvCacheBytes = measured.KvCacheBytes,
            ComputeBufferBytes = measured.ComputeBufferBytes,
            DecodeBytesPerToken = decodeBytes,
            BandwidthUtilization = bandwidth is > 0 && measured.DecodeTokensPerSecond is double tps ? tps * decodeBytes / bandwidth.Value : null,
            EnergyJoules = energy?.EnergyJoules,
            IdlePowerWatts = energy?.IdlePowerWatts,
            NetEnergyJoules = energy?.NetEnergyJoules,
            AveragePowerWatts = energy?.AveragePowerWatts,
            JoulesPerToken = energy?.JoulesPerToken,
            TokensPerJoule = energy?.TokensPerJoule,
            EnergyBasis = energy?.Basis,
            EnergyThroughputTradeoff = Tradeoffs.EnergyThroughput(energy?.JoulesPerToken, measured.DecodeTokensPerSecond),
            PrefillEnergyJoules = energy?.PrefillEnergyJoules,
            DecodeEnergyJoules = energy?.DecodeEnergyJoules,
            EnergySource = energy?.Source,
            EnergyScope = energy?.Scope,
            EnergyMethod = energy?.Method,
            EnergySamples = energy?.Samples,
            MaxTemperatureCelsius = thermal.MaxTemperatureCelsius,
            MinCpuFrequencyMHz = thermal.MinCpuFrequencyMHz,
            Throttled = thermal.Throttled,
            CpuPressurePercent = contention.CpuPressurePercent,
            StealPercent = contention.StealPercent,
            ExtraRunnableTasks = contention.ExtraRunnableTasks,
            Contended = contention.Contended,
            Output = measured.Output,
        };
    }
}
