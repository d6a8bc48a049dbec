using System.CommandLine;
using EdgeLm.Core.Host;
using EdgeLm.Core.Quality;
using EdgeLm.Core.Settings;

namespace EdgeLm.Cli.Commands;

/// <summary>
/// edgelm prompts (Test-EdgePrompt): a prompt suite on each --model, one record per prompt as its answer completes,
/// or with --summary one summary per model. The first model is the reference the others' answers are compared with.
/// </summary>
internal static class PromptsCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var models = Opt.Paths("--model", "GGUF models to run the suite on (repeat the option for more; the first is the reference answers are compared with).", required: true);
        var suite = Opt.Text("--suite", "The prompt suite: a YAML file of prompts and their checks (docs/prompts.md).", "FILE", required: true);
        var threads = Opt.Int("--threads", "Generation threads (default: the physical cores).", min: 1);
        var contextSize = Opt.Int("--context", "Context size in tokens (default: fits each prompt and its generation).", min: 1);
        var gpuLayers = Opt.Int("--gpu-layers", "Layers offloaded to a GPU: 0 none, -1 all (needs a GPU build, --native-dir).", min: -1).WithDefault(0);
        var chatTemplate = Opt.Named("--chat-template", $"Default: the model's own template when it has one, else none; '{PromptSuiteRunner.NoTemplate}', or a llama.cpp built-in name.",
            "NAME", () => CompletionNames.ChatTemplates());
        var summary = Opt.Flag("--summary", "Print one summary per model (prompts, passed, failed, pass rate, changed answers) instead of the prompt records.");
        var inProcess = Opt.Flag("--in-process", "Run llama.cpp in this process instead of a worker (debugging: a llama.cpp abort ends edgelm).");

        var command = new Command("prompts", "Run a prompt suite on models and check the answers: one record per prompt (pass/fail, output, tokens, time), or with --summary one per model.")
        {
            models, suite, threads, contextSize, gpuLayers, chatTemplate, summary, inProcess,
        };
        command.SetAction(parse =>
        {
            CommandContext context = CommandContext.Of(parse, globals);
            var machine = new RunSettings
            {
                Threads = parse.GetValue(threads),
                ContextSize = parse.GetValue(contextSize),
                GpuLayers = parse.GetValue(gpuLayers) ?? 0,
                ChatTemplate = parse.GetValue(chatTemplate),
                InProcess = parse.GetValue(inProcess),
                NativeDirectory = context.NativeDirectory,
            };
            var options = new InferenceHostOptions { Worker = InferCommand.CurrentProcessWorker(), Log = context.Log, Warning = context.Warning };
            using PromptSuiteRunner runner = PromptSuiteRunner.Open(parse.GetValue(suite)!, machine, options);
            RecordPrinter printer = context.Printer();
            bool summaries = parse.GetValue(summary);
            foreach (string model in parse.GetValue(models)!)
            {
                foreach (PromptCheckResult result in runner.Run(model, context.Progress(), context.Cancellation))
                {
                    context.ClearProgress();
                    if (!summaries)
                    {
                        printer.Print(result);
                    }
                }
            }

            context.ClearProgress();
            foreach (PromptSuiteSummary perModel in summaries ? runner.Summaries : Array.Empty<PromptSuiteSummary>())
            {
                printer.Print(perModel);
            }

            return 0;
        });
        return command;
    }
}
