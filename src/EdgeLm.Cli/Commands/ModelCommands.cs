using EdgeLm.Core.Models;

namespace EdgeLm.Cli.Commands;

/// <summary>edgelm model synth | info | quantize.</summary>
internal static class ModelCommands
{
    private static readonly string[] CustomDimensions = { "layers", "embedding", "feed-forward", "heads", "kv-heads", "vocabulary", "context" };

    public static int Synth(string[] args, CommandContext context)
    {
        var line = CommandLine.Parse("model synth", args,
            new[] { "shape", "quantization", "seed", "out", "threads" }.Concat(CustomDimensions), new[] { "force", "tied-output" });
        var request = new SyntheticModelRequest
        {
            Shape = Shape(line),
            Quantization = line.Get("quantization") ?? "F16",
            Seed = line.ULong("seed") ?? 42,
            OutputPath = line.Require("out"),
            Force = line.Has("force"),
            Threads = line.Int("threads", min: 1) ?? 0,
            NativeDirectory = line.Get("native-dir"),
        };
        ModelInfo info = SyntheticModelBuilder.Create(request, context.Progress("writing " + Path.GetFileName(request.OutputPath)), context.Cancellation);
        new RecordPrinter(context.Out, line.Format).Print(info);
        return 0;
    }

    public static int Info(string[] args, CommandContext context)
    {
        var line = CommandLine.Parse("model info", args, new[] { "model" }, Array.Empty<string>());
        new RecordPrinter(context.Out, line.Format).Print(ModelInspector.Inspect(line.Require("model")));
        return 0;
    }

    public static int Quantize(string[] args, CommandContext context)
    {
        var line = CommandLine.Parse("model quantize", args, new[] { "model", "quantization", "out", "threads" }, new[] { "force" });
        ModelInfo info = ModelQuantizer.Quantize(line.Require("model"), line.Require("out"), line.Require("quantization"),
            line.Int("threads", min: 1) ?? 0, line.Get("native-dir"), line.Has("force"), context.Cancellation);
        new RecordPrinter(context.Out, line.Format).Print(info);
        return 0;
    }

    private static SyntheticShape Shape(CommandLine line)
    {
        bool custom = CustomDimensions.Any(line.Has) || line.Has("tied-output");
        if (!custom)
        {
            return SyntheticShapes.Get(line.Get("shape") ?? throw new UsageException("model synth: --shape is required (or give custom dimensions)"));
        }

        if (line.Has("shape"))
        {
            throw new UsageException("model synth: give either --shape or custom dimensions, not both");
        }

        int Need(string name) => line.Int(name, min: 1) ?? throw new UsageException($"model synth: custom dimensions need --{name}");
        return SyntheticShapes.Custom(Need("layers"), Need("embedding"), Need("feed-forward"), Need("heads"),
            line.Int("kv-heads", min: 1) ?? Need("heads"), Need("vocabulary"), line.Int("context", min: 1) ?? 2048, line.Has("tied-output"));
    }
}
