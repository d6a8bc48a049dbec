using EdgeLm.Core.Devices;
using EdgeLm.Core.Models;
using EdgeLm.Core.Native;
using EdgeLm.Core.Perplexity;
using EdgeLm.Core.Worker;

namespace EdgeLm.Core.Host;

/// <summary>
/// Measure-EdgeQuality and edgelm quality: perplexity of a model over a text, as llama-perplexity computes it. The
/// model's header and the text are checked in the caller first; llama.cpp then runs in a worker process (as
/// inference does), so a model that makes it abort takes only the worker down.
/// </summary>
public static class ModelQuality
{
    public static QualityResult Measure(QualitySettings settings, WorkerLaunch? worker, Action<string>? log = null,
        Action<int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        settings.Validate();
        string modelPath = InputFiles.RequireRegular(settings.ModelPath, "GGUF model", "ModelNotFound");
        GgufFile file = GgufReader.Read(modelPath);
        Hyperparameters.Check(file);
        ModelInfo info = ModelInspector.Describe(file);
        QualityText text = QualityText.Read(settings.TextPath);
        int threads = settings.Threads ?? CpuTopology.PhysicalCores();
        WorkerLaunch launch = worker ?? throw new EdgeLmException("WorkerNotFound",
            "found no way to start the EdgeLm worker that scores perplexity (a dotnet host for edgelm.dll, or pwsh); install the .NET 8 runtime or later");
        cancellationToken.ThrowIfCancellationRequested();
        string timestamp = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        string? reference = settings.ReferenceLogitsPath is null ? null
            : InputFiles.RequireRegular(settings.ReferenceLogitsPath, "reference logits file", "ReferenceLogitsNotFound");
        GgufFile? referenceFile = null;
        string? referenceModel = null;
        if (settings.ReferenceModelPath is not null)
        {
            referenceModel = InputFiles.RequireRegular(settings.ReferenceModelPath, "GGUF reference model", "ModelNotFound");
            referenceFile = GgufReader.Read(referenceModel);
            Hyperparameters.Check(referenceFile);
        }

        string? save = settings.SaveLogitsPath is null ? null : Path.GetFullPath(settings.SaveLogitsPath);
        if (save is not null && !Directory.Exists(Path.GetDirectoryName(save)))
        {
            throw new EdgeLmArgumentException("SaveLogitsFolderMissing", $"the folder of {save} does not exist; create it first or save elsewhere");
        }

        // Written beside the target under a temporary name and moved into place when complete, so a failed run never
        // leaves a partial reference under the real name.
        string? temporary = save is null ? null : OutputFiles.TemporaryBeside(save);
        // A reference model's log-probabilities go to a temporary file, deleted after the comparison.
        string? referenceLogits = referenceModel is null ? null
            : Path.Combine(Path.GetTempPath(), $"edgelm-reference-{Environment.ProcessId}-{Guid.NewGuid():N}.logits");
        reference ??= referenceLogits;
        var order = new PerplexityOrder(modelPath, text.Text, settings.ContextSize, settings.Chunks, threads,
            settings.NativeDirectory is null ? null : Path.GetFullPath(settings.NativeDirectory), temporary, reference, settings.GpuLayers);
        PerplexityMeasurement measured;
        WorkerHello hello;
        try
        {
            using WorkerClient client = WorkerClient.Start(launch, order.NativeDirectory, log, cancellationToken);
            hello = client.Hello;
            if (referenceModel is not null)
            {
                client.Perplexity(order with { ModelPath = referenceModel, SaveLogitsPath = referenceLogits, ReferenceLogitsPath = null },
                    p => progress?.Invoke(p.Tokens, 2 * p.MaxTokens), cancellationToken);
            }

            int offset = referenceModel is null ? 0 : 1;
            measured = client.Perplexity(order, p => progress?.Invoke(p.Tokens + offset * p.MaxTokens, (1 + offset) * p.MaxTokens), cancellationToken);
            if (temporary is not null)
            {
                File.Move(temporary, save!, overwrite: true);
            }
        }
        catch (EdgeLmWorkerException died) when (!cancellationToken.IsCancellationRequested)
        {
            string how = died.Signal ?? $"exit code {died.ExitCode}";
            string said = " llama.cpp said: " + LlamaProblems.Quote(LlamaProblems.Select(died.LastLogLines, 4)) + ".";
            throw new EdgeLmInvalidFileException(modelPath, "PerplexityAborted",
                $"llama.cpp stopped ({how}) while scoring {modelPath} over {text.Path}.{said} The model passed EdgeLm's checks, so please report it with `edgelm model info` of the file");
        }
        finally
        {
            if (temporary is not null)
            {
                File.Delete(temporary);
            }

            if (referenceLogits is not null)
            {
                File.Delete(referenceLogits);
            }
        }

        KlDivergenceFigures? k = measured.Reference;

        return new QualityResult
        {
            Timestamp = timestamp,
            DeviceName = DeviceIdentity.Name(),
            HostName = Environment.MachineName,
            ModelName = info.ModelName,
            ModelPath = info.ModelPath,
            ModelSha256 = ModelHashes.Sha256(modelPath),
            Architecture = info.Architecture,
            Quantization = info.Quantization,
            ParameterCount = info.ParameterCount,
            ModelBytes = info.ModelBytes,
            SyntheticWeights = info.SyntheticWeights,
            TextPath = text.Path,
            TextSha256 = text.Sha256,
            TextBytes = text.Bytes,
            TextTokens = measured.TextTokens,
            ContextSize = measured.ContextSize,
            BatchSize = measured.BatchSize,
            Chunks = measured.Chunks,
            Threads = measured.Threads,
            GpuLayers = settings.GpuLayers,
            Backend = hello.Backend,
            LlamaVersion = hello.LlamaVersion,
            EdgeLmVersion = EdgeLmBuild.Version,
            Perplexity = measured.Perplexity,
            PerplexityUncertainty = measured.Uncertainty,
            TokensScored = measured.TokensScored,
            SavedLogitsPath = save,
            ReferenceLogitsPath = referenceModel is null ? reference : null,
            ReferenceModelName = referenceFile is null ? null : ModelInspector.Describe(referenceFile).ModelName,
            ReferenceModelPath = referenceModel,
            ReferenceModelSha256 = referenceModel is null ? null : ModelHashes.Sha256(referenceModel),
            ReferenceQuantization = referenceFile is null ? null : ModelInspector.Describe(referenceFile).Quantization,
            ReferencePerplexity = k?.ReferencePerplexity,
            PerplexityRatio = k?.PerplexityRatio,
            PerplexityRatioUncertainty = k?.PerplexityRatioUncertainty,
            KlDivergenceMean = k?.KlDivergenceMean,
            KlDivergenceUncertainty = k?.KlDivergenceUncertainty,
            KlDivergenceMedian = k?.KlDivergenceMedian,
            KlDivergenceP99 = k?.KlDivergenceP99,
            KlDivergenceMax = k?.KlDivergenceMax,
            DeltaPMeanPercent = k?.DeltaPMeanPercent,
            DeltaPUncertaintyPercent = k?.DeltaPUncertaintyPercent,
            DeltaPRmsPercent = k?.DeltaPRmsPercent,
            DeltaPRmsUncertaintyPercent = k?.DeltaPRmsUncertaintyPercent,
            SameTopPercent = k?.SameTopPercent,
            SameTopUncertaintyPercent = k?.SameTopUncertaintyPercent,
        };
    }
}
