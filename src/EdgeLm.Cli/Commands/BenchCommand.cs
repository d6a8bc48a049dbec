using System.CommandLine;
using EdgeLm.Core.Benchmarks;
using EdgeLm.Core.Host;

namespace EdgeLm.Cli.Commands;

/// <summary>
/// edgelm bench (Invoke-EdgeBenchmark): a YAML plan, or a sweep from options that Core turns into the same plan;
/// each run printed and appended to the results file as it completes.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var plan = Opt.Text("--plan", "A YAML plan to run (or a sweep: --model and the options below).", "PATH");
        var models = Opt.Paths("--model", "Model files to sweep, without a plan file (repeat the option for more).");
        var threads = Opt.Ints("--threads", "Thread counts to sweep, e.g. 1,2,4 (default: the physical cores).");
        var gpuLayers = Opt.Ints("--gpu-layers", $"GPU layer counts to sweep (0 none, -1 all). [default: {BenchmarkPlan.DefaultGpuLayers}]");
        var contexts = Opt.Ints("--context", "Context sizes to sweep (default: sized to fit each run).");
        var promptTokens = Opt.Ints("--prompt-tokens", $"Prompt lengths to sweep, as random token ids. [default: {BenchmarkPlan.DefaultPromptTokens}]");
        var generationTokens = Opt.Ints("--generation-tokens", $"Generated tokens per run, to sweep. [default: {BenchmarkPlan.DefaultGenerationTokens}]");
        var depths = Opt.Ints("--depth", $"Tokens already in the context before the prompt (llama-bench -d), to sweep. [default: {BenchmarkPlan.DefaultDepth}]");
        var repetitions = Opt.Int("--repetitions", "Measured runs of each combination.", min: 1).WithDefault(BenchmarkPlan.DefaultRepetitions);
        var warmups = Opt.Int("--warmups", "Unmeasured runs before the measured ones of each combination.", min: 0).WithDefault(BenchmarkPlan.DefaultWarmups);
        var cooldown = Opt.Double("--cooldown", "Seconds of rest between configurations (0: none).", min: 0).WithDefault(0);
        var energy = Opt.Flag("--energy", "Measure the energy of every run, after an idle baseline.");
        var baseline = Opt.Double("--baseline", "Seconds of idle baseline before the first run, with --energy.", min: 0).WithDefault(BenchmarkPlan.DefaultBaselineSeconds);
        var output = Opt.Text("--out", "The results file (JSON Lines); with --plan, instead of the plan's output. Without one, runs are printed but not saved.", "PATH");
        var resume = Opt.Flag("--resume", "Skip the runs already in the results file (after an interruption) and append the rest.");
        var quietBelow = Opt.Double("--quiet-below", "Before each run, wait until CPU pressure (/proc/pressure/cpu avg10) is below this percent.", min: 0, max: 100, helpName: "PERCENT");
        var quietMaxWait = Opt.Double("--quiet-max-wait", "The longest wait for a quiet machine, in seconds; then the run goes ahead.", min: 0).WithDefault(300);
        var qualityText = Opt.Text("--quality-text", "A text to score each model's perplexity over once, before its speed runs (a plan's quality.text).", "PATH");
        var qualityReference = Opt.Text("--quality-reference", "The quality reference: a .gguf path, or a quantization (F16, Q8_0) among the swept files of the same model.", "REF");
        var qualityContext = Opt.Int("--quality-context", "Tokens per perplexity chunk.", min: 8, max: 32768).WithDefault(EdgeLm.Core.Perplexity.QualitySettings.DefaultContextSize);
        var qualityChunks = Opt.Int("--quality-chunks", "At most this many perplexity chunks (default: every whole chunk of the text).", min: 1);
        var allowLarge = Opt.Flag("--allow-large", $"Run a plan or sweep of more than {PlanReader.MaxRuns} runs (refused otherwise, with its size).");
        Option[] sweep = { threads, gpuLayers, contexts, promptTokens, generationTokens, depths, repetitions, warmups, cooldown, energy, baseline, quietBelow, quietMaxWait, qualityText, qualityReference, qualityContext, qualityChunks };

        var command = new Command("bench", "Run a benchmark: a YAML plan, or a sweep of model files over threads, lengths and depths; one record per run, saved as it completes.")
        {
            plan, models, threads, gpuLayers, contexts, promptTokens, generationTokens, depths, repetitions, warmups, cooldown, energy, baseline, quietBelow, quietMaxWait, qualityText, qualityReference, qualityContext, qualityChunks, output, resume, allowLarge,
        };
        command.SetAction(parse =>
        {
            CommandContext context = CommandContext.Of(parse, globals);
            string? planFile = parse.GetValue(plan);
            if ((planFile is null) == !parse.Given(models))
            {
                throw new UsageException("bench: give --plan PATH or --model PATH for a sweep (one of them)");
            }

            LoadedPlan loaded;
            if (planFile is not null)
            {
                Option? stray = sweep.FirstOrDefault(parse.Given);
                if (stray is not null)
                {
                    throw new UsageException($"bench: {stray.Name} sets a sweep (--model); a plan sets it in its file");
                }

                loaded = PlanReader.Read(planFile, parse.GetValue(allowLarge));
            }
            else
            {
                loaded = Usage.Check(() => new BenchmarkSweep
                {
                    Models = parse.GetValue(models)!.Select(Path.GetFullPath).ToArray(),
                    Threads = parse.Given(threads) ? parse.GetValue(threads) : null,
                    GpuLayers = parse.Given(gpuLayers) ? parse.GetValue(gpuLayers) : null,
                    Contexts = parse.Given(contexts) ? parse.GetValue(contexts) : null,
                    PromptTokens = parse.Given(promptTokens) ? parse.GetValue(promptTokens) : null,
                    GenerationTokens = parse.Given(generationTokens) ? parse.GetValue(generationTokens) : null,
                    Depths = parse.Given(depths) ? parse.GetValue(depths) : null,
                    Repetitions = parse.GetValue(repetitions),
                    Warmups = parse.GetValue(warmups),
                    CooldownSeconds = parse.GetValue(cooldown),
                    MeasureEnergy = parse.GetValue(energy),
                    BaselineSeconds = parse.Given(baseline) ? parse.GetValue(baseline) : null,
                    AllowLarge = parse.GetValue(allowLarge),
                    QuietBelow = parse.Given(quietBelow) ? parse.GetValue(quietBelow) : null,
                    QuietMaxWaitSeconds = parse.Given(quietMaxWait) ? parse.GetValue(quietMaxWait) : null,
                    QualityText = parse.GetValue(qualityText) is string text ? Path.GetFullPath(text) : null,
                    QualityReference = parse.GetValue(qualityReference),
                    QualityContextSize = parse.Given(qualityContext) ? parse.GetValue(qualityContext) : null,
                    QualityChunks = parse.Given(qualityChunks) ? parse.GetValue(qualityChunks) : null,
                }.ToPlan(), "bench");
            }

            var options = new BenchmarkOptions
            {
                OutputPath = parse.GetValue(output),
                Resume = parse.GetValue(resume),
                NativeDirectory = context.NativeDirectory,
                Notice = context.Note,
                Host = new InferenceHostOptions { Worker = InferCommand.CurrentProcessWorker(), Log = context.Log, Warning = context.Warning },
            };
            RecordPrinter printer = context.Printer();
            IEnumerable<InferenceResult> runs = Usage.Check(() => BenchmarkRunner.Run(loaded, options, context.BenchmarkProgress(), context.Cancellation), "bench");
            foreach (InferenceResult result in runs)
            {
                context.ClearProgress();
                printer.Print(result);
            }

            context.ClearProgress();
            return 0;
        });
        return command;
    }
}
