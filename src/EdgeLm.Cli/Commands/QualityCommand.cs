using System.CommandLine;
using EdgeLm.Core.Host;
using EdgeLm.Core.Perplexity;

namespace EdgeLm.Cli.Commands;

/// <summary>edgelm quality (Measure-EdgeQuality): perplexity over a text, as llama-perplexity computes it.</summary>
internal static class QualityCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var model = Opt.Text("--model", "The GGUF model to score.", "PATH", required: true);
        var text = Opt.Text("--text", "A UTF-8 text file of at least twice the context in tokens (llama-perplexity's -f).", "PATH", required: true);
        var contextSize = Opt.Int("--context", "Tokens per chunk (llama-perplexity's -c); the second half of each chunk is scored.",
            min: QualitySettings.MinContextSize, max: QualitySettings.MaxContextSize).WithDefault(QualitySettings.DefaultContextSize);
        var chunks = Opt.Int("--chunks", "Score at most this many chunks (default: every whole chunk of the text).", min: 1);
        var threads = Opt.Int("--threads", "llama.cpp threads (default: the physical cores).", min: 1);
        var gpuLayers = Opt.Int("--gpu-layers", "Layers offloaded to a GPU: 0 none, -1 all (needs a GPU build, --native-dir).", min: -1).WithDefault(0);
        var saveLogits = Opt.Text("--save-logits", "Save this model's log-probabilities (llama-perplexity's --kl-divergence-base format) as a reference for other quantizations.", "PATH");
        var referenceModel = Opt.Text("--reference-model", "A reference model (the F16 or Q8_0 of the same model) scored first in the same call; the same figures as --reference-logits.", "PATH");
        var referenceLogits = Opt.Text("--reference-logits", "A reference's saved log-probabilities: adds KL divergence, Δp, same-top-token and the perplexity ratio.", "PATH");
        var command = new Command("quality", "Perplexity of a model over a text, exactly as llama-perplexity of the same llama.cpp release computes it.")
        {
            model, text, contextSize, chunks, threads, gpuLayers, saveLogits, referenceLogits, referenceModel,
        };
        command.SetAction(parse =>
        {
            CommandContext c = CommandContext.Of(parse, globals);
            var settings = new QualitySettings
            {
                ModelPath = parse.GetValue(model)!,
                TextPath = parse.GetValue(text)!,
                ContextSize = parse.GetValue(contextSize)!.Value,
                Chunks = parse.GetValue(chunks),
                Threads = parse.GetValue(threads),
                GpuLayers = parse.GetValue(gpuLayers) ?? 0,
                NativeDirectory = c.NativeDirectory,
                SaveLogitsPath = parse.GetValue(saveLogits),
                ReferenceLogitsPath = parse.GetValue(referenceLogits),
                ReferenceModelPath = parse.GetValue(referenceModel),
            };
            IProgress<double>? progress = c.Progress("scoring perplexity");
            QualityResult result = ModelQuality.Measure(settings, InferCommand.CurrentProcessWorker(), c.Log,
                (done, all) => progress?.Report(all == 0 ? 0 : (double)done / all), c.Cancellation);
            c.ClearProgress();
            c.Printer().Print(result);
            return 0;
        });
        return command;
    }
}
