using System.CommandLine;
using EdgeLm.Core.Benchmarks;
using EdgeLm.Core.Host;

namespace EdgeLm.Cli.Commands;

/// <summary>edgelm fit (Test-EdgeFit): will a model at a context fit a board, and how fast would it decode there.</summary>
internal static class FitCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var model = Opt.Text("--model", "The GGUF file (or --shape with --quantization).", "PATH");
        var shape = Opt.Named("--shape", "A synthetic shape, described without writing it (tiny, smollm2-135m, ... llama-2-7b).", "NAME", CompletionNames.Shapes);
        var quantization = Opt.Named("--quantization", "The synthetic shape's type: F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1 or Q8_0.", "TYPE", CompletionNames.Quantizations);
        var context = Opt.Int("--context", "The context size (tokens) to predict for.", min: 1, max: FitCheck.MaxContext);
        context.Required = true;
        var board = Opt.Named("--board", "A catalog board (default: one row per catalog board).", "NAME", CompletionNames.Boards);
        var memory = Opt.ULong("--memory", "A board's installed memory in bytes, instead of a catalog board; the OS reserve is taken off.", "BYTES");
        var thisDevice = Opt.Flag("--this-device", "This machine: its available memory now and its measured (else catalog) bandwidth.");
        var results = Opt.Paths("--in", "Results files measured on the target, shown beside the prediction; repeat the option for more.");
        var boardCatalog = Opt.Text("--board-catalog", "A board catalog YAML consulted before the embedded one.", "PATH");
        var command = new Command("fit", "Will a model fit a board at a context, before anything runs: predicted peak memory, verdict, largest context that fits, predicted decode rate and energy.")
        {
            model, shape, quantization, context, board, memory, thisDevice, results, boardCatalog,
        };
        command.SetAction(parse =>
        {
            CommandContext c = CommandContext.Of(parse, globals);
            ulong? bytes = parse.GetValue(memory);
            IReadOnlyList<FitPrediction> rows = FitCheck.Predict(new FitRequest
            {
                ModelPath = parse.GetValue(model),
                Shape = parse.GetValue(shape),
                Quantization = parse.GetValue(quantization),
                ContextSize = parse.GetValue(context) ?? 0,
                Board = parse.GetValue(board),
                MemoryBytes = bytes is ulong b ? (long)Math.Min(b, long.MaxValue) : null,
                ThisDevice = parse.GetValue(thisDevice),
                ResultsPaths = parse.GetValue(results) ?? Array.Empty<string>(),
                BoardCatalogFile = parse.GetValue(boardCatalog),
                NativeDirectory = c.NativeDirectory,
            }, c.Cancellation);
            RecordPrinter printer = c.Printer();
            foreach (FitPrediction row in rows)
            {
                printer.Print(row);
            }

            return 0;
        });
        return command;
    }
}
