using EdgeLm.Core.Models;
using EdgeLm.Core.Native;

namespace EdgeLm.Core.Host;

/// <summary>
/// Quantizes a GGUF (Convert-EdgeModel, edgelm model quantize). The input is checked as strictly as for inference
/// first; llama.cpp then runs in a worker process, so a model that still makes it abort takes only the worker
/// down, and nothing native writes to the caller's terminal. The result is written to a temporary beside the
/// output and renamed, so an existing file is replaced whole or not at all.
/// </summary>
public static class ModelConversion
{
    public static ModelInfo Quantize(string inputPath, string outputPath, string quantization, int threads,
        WorkerLaunch? worker, string? nativeDirectory = null, bool force = false, Action<string>? log = null,
        CancellationToken cancellationToken = default)
    {
        QuantizeOrder order = ModelQuantizer.Prepare(inputPath, outputPath, quantization, threads, force);
        WorkerLaunch launch = worker ?? throw new EdgeLmException("WorkerNotFound",
            "found no way to start the EdgeLm worker that quantizes (a dotnet host for edgelm.dll, or pwsh); install the .NET 8 runtime or later");
        cancellationToken.ThrowIfCancellationRequested();
        string temporary = OutputFiles.TemporaryBeside(order.OutputPath);
        try
        {
            using (WorkerClient client = WorkerClient.Start(launch, nativeDirectory, log, cancellationToken))
            {
                client.Quantize(order with { OutputPath = temporary }, cancellationToken);
            }

            File.Move(temporary, order.OutputPath, overwrite: true);
        }
        catch (EdgeLmWorkerException died) when (!cancellationToken.IsCancellationRequested)
        {
            string how = died.Signal ?? $"exit code {died.ExitCode}";
            string said = " llama.cpp said: " + LlamaProblems.Quote(LlamaProblems.Select(died.LastLogLines, 4)) + ".";
            throw new EdgeLmInvalidFileException(order.InputPath, "QuantizeAborted",
                $"llama.cpp's quantizer stopped ({how}) on {order.InputPath}; {order.OutputPath} was not written.{said} The model passed EdgeLm's checks, so please report it with `edgelm model info` of the file");
        }
        finally
        {
            File.Delete(temporary);
        }

        return ModelInspector.Inspect(order.OutputPath);
    }
}
