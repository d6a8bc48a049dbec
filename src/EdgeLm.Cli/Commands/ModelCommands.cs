using System.CommandLine;
using EdgeLm.Core;
using EdgeLm.Core.Host;
using EdgeLm.Core.Models;

namespace EdgeLm.Cli.Commands;

/// <summary>edgelm model synth | info | quantize (New-EdgeSyntheticModel, Get-EdgeModel, Convert-EdgeModel).</summary>
internal static class ModelCommands
{
    public static Command Create(GlobalOptions globals) =>
        new("model", "Synthetic models, what a GGUF file holds, and quantization.") { Synth(globals), Info(globals), Quantize(globals) };

    private static Command Synth(GlobalOptions globals)
    {
        var shape = Opt.Named("--shape", "A named shape (tiny, smollm2-135m, ... llama-2-7b); the dimension options change some of its dimensions.",
            "NAME", CompletionNames.Shapes, required: true);
        var layers = Opt.Int("--layers", "Transformer blocks, instead of the shape's.", min: 1);
        var embedding = Opt.Int("--embedding", "Hidden (embedding) size, instead of the shape's; divisible by the heads.", min: 1);
        var feedForward = Opt.Int("--feed-forward", "Feed-forward (intermediate) size, instead of the shape's.", min: 1);
        var heads = Opt.Int("--heads", "Attention heads, instead of the shape's.", min: 1);
        var kvHeads = Opt.Int("--kv-heads", "Key/value heads (grouped-query attention), instead of the shape's; they divide the heads.", min: 1);
        var vocabulary = Opt.Int("--vocabulary", "Vocabulary size, instead of the shape's.", min: 1);
        var context = Opt.Int("--context", "Trained context length, instead of the shape's.", min: 1);
        var tiedOutput = new Option<bool?>("--tied-output")
        {
            Description = "Tie the output matrix to the input embedding (--tied-output false unties a shape that ties them).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var quantization = Opt.Named("--quantization", "The llama.cpp type to write: F32 and F16 directly, the rest through llama.cpp's quantizer.",
            "TYPE", CompletionNames.Quantizations).WithDefault("F16");
        var seed = Opt.ULong("--seed", "Seed of the random weights.").WithDefault(42UL);
        var output = Opt.Text("--out", "The GGUF file to write.", "PATH", required: true);
        var force = Opt.Flag("--force", "Overwrite an existing file.");
        var threads = Opt.Int("--threads", "Quantization threads (default: all cores).", min: 1);

        var command = new Command("synth", "Write a GGUF model with a real model's dimensions and random weights (speed, memory and energy need no download).")
        {
            shape, layers, embedding, feedForward, heads, kvHeads, vocabulary, context, tiedOutput, quantization, seed, output, force, threads,
        };
        command.SetAction(parse =>
        {
            CommandContext c = CommandContext.Of(parse, globals);
            var request = new SyntheticModelRequest
            {
                Shape = SyntheticShapes.Resolve(parse.GetValue(shape)!, new SyntheticShapeOverrides
                {
                    Layers = parse.GetValue(layers),
                    EmbeddingSize = parse.GetValue(embedding),
                    FeedForwardSize = parse.GetValue(feedForward),
                    Heads = parse.GetValue(heads),
                    KvHeads = parse.GetValue(kvHeads),
                    VocabularySize = parse.GetValue(vocabulary),
                    ContextLength = parse.GetValue(context),
                    TiedOutput = parse.Given(tiedOutput) ? parse.GetValue(tiedOutput) ?? true : null,
                }),
                Quantization = parse.GetValue(quantization)!,
                Seed = parse.GetValue(seed) ?? 42,
                OutputPath = parse.GetValue(output)!,
                Force = parse.GetValue(force),
                Threads = parse.GetValue(threads) ?? 0,
                NativeDirectory = c.NativeDirectory,
            };
            ModelInfo info = SyntheticModelBuilder.Create(request, c.Progress("writing " + Path.GetFileName(request.OutputPath)), c.Cancellation);
            c.Printer().Print(info);
            return 0;
        });
        return command;
    }

    private static Command Info(GlobalOptions globals)
    {
        var models = Opt.Paths("--model", "GGUF files to read (repeat the option for more).", required: true);
        var command = new Command("info", "What GGUF files hold, from their headers: no weights are loaded.") { models };
        command.SetAction(parse =>
        {
            CommandContext c = CommandContext.Of(parse, globals);
            RecordPrinter printer = c.Printer();
            int failed = 0;
            foreach (string model in parse.GetValue(models)!)
            {
                try
                {
                    printer.Print(ModelInspector.Inspect(model));
                }
                catch (EdgeLmInvalidFileException e) when (parse.GetValue(models)!.Length > 1)
                {
                    // One bad file among several: its line, and the others still read.
                    c.Error.WriteLine("edgelm: " + Program.OneLine(e.Message));
                    failed++;
                }
            }

            return failed == 0 ? 0 : 1;
        });
        return command;
    }

    private static Command Quantize(GlobalOptions globals)
    {
        var model = Opt.Text("--model", "The GGUF model to quantize.", "PATH", required: true);
        var quantization = Opt.Named("--quantization", "The llama.cpp type to write.", "TYPE", CompletionNames.Quantizations, required: true);
        var output = Opt.Text("--out", "The GGUF file to write.", "PATH", required: true);
        var force = Opt.Flag("--force", "Overwrite an existing file.");
        var threads = Opt.Int("--threads", "Quantization threads (default: all cores).", min: 1);
        var command = new Command("quantize", "Quantize a GGUF model to another type with llama.cpp's quantizer.") { model, quantization, output, force, threads };
        command.SetAction(parse =>
        {
            CommandContext c = CommandContext.Of(parse, globals);
            ModelInfo info = ModelConversion.Quantize(parse.GetValue(model)!, parse.GetValue(output)!, parse.GetValue(quantization)!,
                parse.GetValue(threads) ?? 0, InferCommand.CurrentProcessWorker(), c.NativeDirectory, parse.GetValue(force), c.Log, c.Cancellation);
            c.Printer().Print(info);
            return 0;
        });
        return command;
    }
}
