using EdgeLm.Core.Native;

namespace EdgeLm.Core.Models;

/// <summary>
/// Quantization with llama.cpp's own llama_model_quantize. <see cref="Prepare"/> checks everything llama.cpp would
/// otherwise abort on; the host then runs the order in a worker (Convert-EdgeModel, edgelm model quantize), so a
/// model we misjudge can only take the worker down.
/// </summary>
internal static class ModelQuantizer
{
    internal static IReadOnlyList<string> SupportedQuantizations => FileTypes.QuantizeTargets;

    /// <summary>The order for quantizing <paramref name="inputPath"/>, or an EdgeLmException saying why there is none.</summary>
    internal static QuantizeOrder Prepare(string inputPath, string outputPath, string quantization, int threads, bool force)
    {
        GgufFile input = GgufReader.Read(inputPath);
        Hyperparameters.Check(input);
        int fileType = FileTypes.Parse(quantization) is int ft && FileTypes.QuantizeTargets.Contains(FileTypes.Name(ft))
            ? ft
            : throw new EdgeLmArgumentException("UnknownQuantization",
                $"'{quantization}' is not a quantization llama.cpp can make without an importance matrix; use one of {string.Join(", ", FileTypes.QuantizeTargets)}");
        string output = OutputFiles.Prepare(outputPath, force);
        if (string.Equals(Path.GetFullPath(input.Path), output, StringComparison.Ordinal))
        {
            throw new EdgeLmArgumentException("OutputIsInput", $"{output} is both input and output; write the quantized model to another file");
        }

        return new QuantizeOrder(input.Path, output, fileType, threads);
    }

    /// <summary>
    /// Quantizes in this process through a temporary beside the output, then renames it: for models EdgeLm wrote
    /// itself (synthetic models), which cannot make llama.cpp abort.
    /// </summary>
    internal static void QuantizeFile(string input, string output, int fileType, int threads, string? nativeDirectory)
    {
        LlamaRuntime.Initialize(nativeDirectory);
        string temporary = OutputFiles.TemporaryBeside(output);
        try
        {
            Run(new QuantizeOrder(input, temporary, fileType, threads));
            File.Move(temporary, output, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Writes <see cref="QuantizeOrder.OutputPath"/> with llama.cpp; the runtime must be loaded.</summary>
    internal static unsafe void Run(QuantizeOrder order)
    {
        llama_model_quantize_params parameters = NativeMethods.llama_model_quantize_default_params();
        parameters.nthread = order.Threads > 0 ? order.Threads : Environment.ProcessorCount;
        parameters.ftype = order.FileType;
        parameters.allow_requantize = 1;
        uint status = NativeMethods.llama_model_quantize(order.InputPath, order.OutputPath, &parameters);
        if (status != 0 || !File.Exists(order.OutputPath))
        {
            string said = LlamaLog.SaidAboutFailure();
            throw new EdgeLmException("QuantizeFailed",
                $"llama.cpp could not quantize {order.InputPath} to {FileTypes.Name(order.FileType)} (status {status}). llama.cpp said: {said}");
        }
    }
}
