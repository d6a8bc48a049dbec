using EdgeLm.Core.Native;

namespace EdgeLm.Core.Models;

/// <summary>Quantizes a GGUF with llama.cpp's own llama_model_quantize (Convert-EdgeModel, edgelm model quantize).</summary>
public static class ModelQuantizer
{
    public static IReadOnlyList<string> SupportedQuantizations => FileTypes.QuantizeTargets;

    public static ModelInfo Quantize(string inputPath, string outputPath, string quantization, int threads = 0,
        string? nativeDirectory = null, bool force = false, CancellationToken cancellationToken = default)
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

        cancellationToken.ThrowIfCancellationRequested();
        QuantizeFile(input.Path, output, fileType, threads, nativeDirectory);
        return ModelInspector.Inspect(output);
    }

    /// <summary>Runs llama_model_quantize into a temporary beside <paramref name="output"/>, then renames it.</summary>
    internal static unsafe void QuantizeFile(string input, string output, int fileType, int threads, string? nativeDirectory)
    {
        LlamaRuntime.Initialize(nativeDirectory);
        string temporary = OutputFiles.TemporaryBeside(output);
        try
        {
            llama_model_quantize_params parameters = NativeMethods.llama_model_quantize_default_params();
            parameters.nthread = threads > 0 ? threads : Environment.ProcessorCount;
            parameters.ftype = fileType;
            parameters.allow_requantize = 1;
            uint status = NativeMethods.llama_model_quantize(input, temporary, &parameters);
            if (status != 0 || !File.Exists(temporary))
            {
                string said = string.Join(" | ", LlamaLog.RecentLines().TakeLast(3));
                throw new EdgeLmException("QuantizeFailed",
                    $"llama.cpp could not quantize {input} to {FileTypes.Name(fileType)} (status {status}). llama.cpp said: {said}");
            }

            File.Move(temporary, output, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
