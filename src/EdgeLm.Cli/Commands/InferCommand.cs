using EdgeLm.Core.Inference;

namespace EdgeLm.Cli.Commands;

/// <summary>edgelm infer: one record per measured run, printed as each run completes.</summary>
internal static class InferCommand
{
    public static int Run(string[] args, CommandContext context)
    {
        var line = CommandLine.Parse("infer", args,
            new[] { "model", "prompt", "max-tokens", "threads", "gpu-layers", "context", "batch", "temperature", "top-k", "top-p", "min-p", "seed", "repeat", "flash-attn" },
            new[] { "stop-at-eos" });
        var request = new InferenceRequest
        {
            ModelPath = line.Require("model"),
            Prompt = line.Require("prompt"),
            NativeDirectory = line.Get("native-dir"),
            StopAtEos = line.Has("stop-at-eos"),
            Threads = line.Int("threads", min: 1),
            ContextSize = line.Int("context", min: 1),
            BatchSize = line.Int("batch", min: 1),
        };
        request.MaxTokens = line.Int("max-tokens", min: 1) ?? request.MaxTokens;
        request.GpuLayers = line.Int("gpu-layers", min: -1) ?? request.GpuLayers;
        request.Temperature = line.Float("temperature") ?? request.Temperature;
        request.TopK = line.Int("top-k", min: 0) ?? request.TopK;
        request.TopP = line.Float("top-p") ?? request.TopP;
        request.MinP = line.Float("min-p") ?? request.MinP;
        request.Seed = (uint)(line.ULong("seed") ?? request.Seed);
        request.Repeat = line.Int("repeat", min: 1) ?? request.Repeat;
        request.FlashAttention = line.Get("flash-attn") switch
        {
            null or "auto" => FlashAttention.Auto,
            "on" => FlashAttention.On,
            "off" => FlashAttention.Off,
            var other => throw new UsageException($"infer: --flash-attn must be auto, on or off, not '{other}'"),
        };

        var printer = new RecordPrinter(context.Out, line.Format);
        foreach (InferenceResult result in InferenceRunner.Run(request, context.Cancellation))
        {
            printer.Print(result);
        }

        return 0;
    }
}
