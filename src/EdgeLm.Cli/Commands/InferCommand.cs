using EdgeLm.Core.Settings;
using EdgeLm.Core.Engine;
using EdgeLm.Core.Host;
using EdgeLm.Core.Worker;
using EdgeLm.Core.Devices;

namespace EdgeLm.Cli.Commands;

/// <summary>edgelm infer: one record per measured run, printed as each run completes.</summary>
internal static class InferCommand
{
    public static int Run(string[] args, CommandContext context)
    {
        var line = CommandLine.Parse("infer", args,
            new[] { "model", "prompt", "prompt-tokens", "max-tokens", "threads", "gpu-layers", "context", "batch", "temperature", "top-k", "top-p", "min-p", "seed", "repeat", "warmup", "flash-attn", "chat-template", "energy-source", "baseline", "meter" },
            new[] { "stop-at-eos", "in-process", "include-warmup", "energy" });
        int? promptTokens = line.Int("prompt-tokens", min: 1);
        string? prompt = line.Get("prompt");
        if ((prompt is null) == (promptTokens is null))
        {
            throw new UsageException("infer: give --prompt TEXT or --prompt-tokens N (one of them)");
        }

        if (!line.Has("energy") && (line.Has("energy-source") || line.Has("baseline") || line.Has("meter")))
        {
            throw new UsageException("infer: --energy-source, --baseline and --meter need --energy");
        }

        var defaults = new RunSettings();
        var request = new RunSettings
        {
            ModelPath = line.Require("model"),
            Prompt = prompt,
            PromptTokens = promptTokens,
            ChatTemplate = line.Get("chat-template"),
            NativeDirectory = line.Get("native-dir"),
            StopAtEos = line.Has("stop-at-eos"),
            InProcess = line.Has("in-process"),
            IncludeWarmup = line.Has("include-warmup"),
            MeasureEnergy = line.Has("energy"),
            EnergySource = line.Get("energy-source"),
            Meter = line.Get("meter"),
            Threads = line.Int("threads", min: 1),
            ContextSize = line.Int("context", min: 1),
            BatchSize = line.Int("batch", min: 1),
            MaxTokens = line.Int("max-tokens", min: 1) ?? defaults.MaxTokens,
            GpuLayers = line.Int("gpu-layers", min: -1) ?? defaults.GpuLayers,
            Temperature = line.Float("temperature") ?? defaults.Temperature,
            TopK = line.Int("top-k", min: 0) ?? defaults.TopK,
            TopP = line.Float("top-p") ?? defaults.TopP,
            MinP = line.Float("min-p") ?? defaults.MinP,
            Seed = (uint)(line.ULong("seed") ?? defaults.Seed),
            Repeat = line.Int("repeat", min: 1) ?? defaults.Repeat,
            Warmup = line.Int("warmup", min: 0) ?? defaults.Warmup,
            BaselineSeconds = line.Double("baseline", min: 0) ?? defaults.BaselineSeconds,
            FlashAttention = line.Get("flash-attn") switch
            {
                null or "auto" => FlashAttention.Auto,
                "on" => FlashAttention.On,
                "off" => FlashAttention.Off,
                var other => throw new UsageException($"infer: --flash-attn must be auto, on or off, not '{other}'"),
            },
        };

        var options = new InferenceHostOptions
        {
            Worker = CurrentProcessWorker(),
            Log = line.Has("verbose") ? l => context.Error.WriteLine("llama.cpp: " + l) : null,
            Warning = w => context.Error.WriteLine("edgelm: warning: " + w),
        };
        var printer = new RecordPrinter(context.Out, line.Format);
        IProgress<InferenceProgress>? progress = context.Progress();
        foreach (InferenceResult result in InferenceRunner.Run(request, context.Cancellation, options, progress))
        {
            context.ClearProgress();
            printer.Print(result);
        }

        context.ClearProgress();
        return 0;
    }

    /// <summary>This very program in worker mode: `dotnet edgelm.dll worker`, or the apphost `edgelm worker`.</summary>
    internal static WorkerLaunch CurrentProcessWorker()
    {
        string program = Environment.ProcessPath ?? "dotnet";
        string assembly = typeof(InferCommand).Assembly.Location;
        return Path.GetFileNameWithoutExtension(program) == "dotnet"
            ? new WorkerLaunch(program, new[] { assembly, "worker" })
            : new WorkerLaunch(program, new[] { "worker" });
    }
}
