using EdgeLm.Core.Settings;
using System.CommandLine;
using EdgeLm.Core;
using EdgeLm.Core.Energy;
using EdgeLm.Core.Engine;
using EdgeLm.Core.Host;
using EdgeLm.Core.Worker;

namespace EdgeLm.Cli.Commands;

/// <summary>edgelm infer (Invoke-EdgeInference): one record per measured run, printed as each run completes.</summary>
internal static class InferCommand
{
    public static Command Create(GlobalOptions globals)
    {
        // Core's defaults, shown in help and used when an option is not given.
        var defaults = new RunSettings();
        var model = Opt.Text("--model", "The GGUF model file.", "PATH", required: true);
        var prompt = Opt.Text("--prompt", "The prompt text (or --prompt-tokens).");
        var promptTokens = Opt.Int("--prompt-tokens", "A prompt of N seeded random token ids, llama-bench style (or --prompt).", min: 1);
        var maxTokens = Opt.Int("--max-tokens", "Tokens to generate per run.", min: 1).WithDefault(defaults.MaxTokens);
        var threads = Opt.Int("--threads", "Generation threads (default: the physical cores).", min: 1);
        var contextSize = Opt.Int("--context", "Context size in tokens (default: fits prompt and generation).", min: 1);
        var batchSize = Opt.Int("--batch", "Logical batch for prompt processing (default: 512).", min: 1);
        var gpuLayers = Opt.Int("--gpu-layers", "Layers offloaded to a GPU: 0 none, -1 all (needs a GPU build, --native-dir).", min: -1).WithDefault(defaults.GpuLayers);
        var temperature = Opt.Float("--temperature", "Sampling temperature; 0 is greedy (argmax).", 0, 100, "T").WithDefault(defaults.Temperature);
        var topK = Opt.Int("--top-k", "Top-k sampling (with a temperature above 0).", min: 0).WithDefault(defaults.TopK);
        var topP = Opt.Float("--top-p", "Top-p sampling.", 0, 1).WithDefault(defaults.TopP);
        var minP = Opt.Float("--min-p", "Min-p sampling.", 0, 1).WithDefault(defaults.MinP);
        var seed = Opt.UInt("--seed", "Seed for sampling and random prompt tokens.", max: RunSettings.MaxSeed,
            overMax: "llama.cpp takes 4294967295 as 'draw a random seed', which a run's record could not show").WithDefault(defaults.Seed);
        var stopAtEos = Opt.Flag("--stop-at-eos", "Stop at an end-of-generation token (default: generate exactly --max-tokens).");
        var flashAttention = Opt.Choice("--flash-attn", "Flash attention: llama.cpp decides (auto), or forced on or off.", "auto", "on", "off").WithDefault("auto");
        var repeat = Opt.Int("--repeat", "Measured runs of the same prompt (the model loads once).", min: 1).WithDefault(defaults.Repeat);
        var warmup = Opt.Int("--warmup", "Unmeasured runs before the measured ones.", min: 0).WithDefault(defaults.Warmup);
        var includeWarmup = Opt.Flag("--include-warmup", "Print the warm-up runs too (Warmup = true).");
        var chatTemplate = Opt.Named("--chat-template", "Wrap --prompt in a chat template: 'model' (the model's own) or a llama.cpp built-in name.",
            "NAME", () => CompletionNames.ChatTemplates());
        var energy = Opt.Flag("--energy", "Measure the energy of every run (after an idle baseline).");
        var energySource = Opt.Joined("--energy-source", "Power sources to read with --energy ('+'-joined names from 'edgelm power-sources'; default: the widest trustworthy scope).",
            "NAME", '+', () => CompletionNames.PowerSources("/", null));
        var baseline = Opt.Double("--baseline", "Seconds of idle baseline before the first run, with --energy (0: none).", min: 0).WithDefault(defaults.BaselineSeconds);
        var meter = Opt.Named("--meter", "An external power meter for --energy, KIND=ADDRESS (default: $EDGELM_METER).", "KIND=ADDRESS", () => CompletionNames.MeterKinds);
        var inProcess = Opt.Flag("--in-process", "Run llama.cpp in this process instead of a worker (debugging: a llama.cpp abort ends edgelm).");

        var command = new Command("infer", "Run a prompt through a model with llama.cpp and measure it: one record per run, in a worker process that keeps the model loaded.")
        {
            model, prompt, promptTokens, maxTokens, threads, contextSize, batchSize, gpuLayers, temperature, topK, topP, minP, seed,
            stopAtEos, flashAttention, repeat, warmup, includeWarmup, chatTemplate, energy, energySource, baseline, meter, inProcess,
        };
        command.SetAction(parse =>
        {
            CommandContext context = CommandContext.Of(parse, globals);
            if (parse.Given(prompt) == parse.Given(promptTokens))
            {
                throw new UsageException("infer: give --prompt TEXT or --prompt-tokens N (one of them)");
            }

            Usage.Check(() => EnergyArguments.RequireMeasureEnergy(parse.GetValue(energy), parse.GetValue(energySource), parse.GetValue(meter),
                parse.Given(baseline) ? parse.GetValue(baseline) : null), "infer");
            var request = new RunSettings
            {
                ModelPath = parse.GetValue(model)!,
                Prompt = parse.GetValue(prompt),
                PromptTokens = parse.GetValue(promptTokens),
                ChatTemplate = parse.GetValue(chatTemplate),
                MaxTokens = parse.GetValue(maxTokens) ?? defaults.MaxTokens,
                Threads = parse.GetValue(threads),
                ContextSize = parse.GetValue(contextSize),
                BatchSize = parse.GetValue(batchSize),
                GpuLayers = parse.GetValue(gpuLayers) ?? defaults.GpuLayers,
                FlashAttention = parse.GetValue(flashAttention) switch
                {
                    "on" => FlashAttention.On,
                    "off" => FlashAttention.Off,
                    _ => FlashAttention.Auto,
                },
                Temperature = parse.GetValue(temperature) ?? defaults.Temperature,
                TopK = parse.GetValue(topK) ?? defaults.TopK,
                TopP = parse.GetValue(topP) ?? defaults.TopP,
                MinP = parse.GetValue(minP) ?? defaults.MinP,
                Seed = parse.GetValue(seed) ?? defaults.Seed,
                StopAtEos = parse.GetValue(stopAtEos),
                Repeat = parse.GetValue(repeat) ?? defaults.Repeat,
                Warmup = parse.GetValue(warmup) ?? defaults.Warmup,
                IncludeWarmup = parse.GetValue(includeWarmup),
                MeasureEnergy = parse.GetValue(energy),
                EnergySource = parse.GetValue(energySource),
                Meter = parse.GetValue(meter),
                BaselineSeconds = parse.GetValue(baseline) ?? defaults.BaselineSeconds,
                InProcess = parse.GetValue(inProcess),
                NativeDirectory = context.NativeDirectory,
            };
            var options = new InferenceHostOptions { Worker = CurrentProcessWorker(), Log = context.Log, Warning = context.Warning };
            RecordPrinter printer = context.Printer();
            foreach (InferenceResult result in InferenceRunner.Run(request, context.Cancellation, options, context.Progress()))
            {
                context.ClearProgress();
                printer.Print(result);
            }

            context.ClearProgress();
            return 0;
        });
        return command;
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

/// <summary>Core's refusal of what the command line asked for, as a command-line error (exit 2).</summary>
internal static class Usage
{
    public static void Check(Action check, string command) => Check(() => { check(); return true; }, command);

    public static T Check<T>(Func<T> check, string command)
    {
        try
        {
            return check();
        }
        catch (EdgeLmArgumentException e)
        {
            throw new UsageException($"{command}: {e.Message}");
        }
    }
}
