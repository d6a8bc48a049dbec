using System.CommandLine;
using EdgeLm.Core;
using EdgeLm.Core.Benchmarks;
using EdgeLm.Core.Host;

namespace EdgeLm.Cli.Commands;

/// <summary>
/// edgelm summary, compare, budget and export (Measure-EdgeResult, Compare-EdgeResult, Test-EdgeBudget,
/// Import-EdgeResult | Export-EdgeResult): what to make of results files.
/// </summary>
internal static class ResultCommands
{
    public static Command Summary(GlobalOptions globals)
    {
        var input = Results();
        var groupBy = GroupBy();
        var command = new Command("summary", "Statistics per configuration: mean, median, percentiles and 95% confidence interval of every figure; noisy ones flagged.")
        {
            input, groupBy,
        };
        command.SetAction(parse =>
        {
            CommandContext context = CommandContext.Of(parse, globals);
            Print(Summaries.Summarize(Import(parse.GetValue(input)!), Names(parse.GetValue(groupBy))), context);
            return 0;
        });
        return command;
    }

    public static Command Compare(GlobalOptions globals)
    {
        var baseline = Opt.Text("--baseline", "The results file to compare against.", "PATH", required: true);
        var candidate = Opt.Text("--candidate", "The results file compared.", "PATH", required: true);
        var groupBy = GroupBy();
        var command = new Command("compare", "Candidate against baseline per configuration: ratio of medians, bootstrap confidence interval and a verdict.")
        {
            baseline, candidate, groupBy,
        };
        command.SetAction(parse =>
        {
            CommandContext context = CommandContext.Of(parse, globals);
            Print(Comparisons.Compare(ResultFiles.Import(parse.GetValue(baseline)!), ResultFiles.Import(parse.GetValue(candidate)!), Names(parse.GetValue(groupBy))), context);
            return 0;
        });
        return command;
    }

    /// <summary>Exit 0 when every rule passes, 1 when one fails: a CI gate.</summary>
    public static Command Budget(GlobalOptions globals)
    {
        var input = Results();
        var budget = Opt.Text("--budget", "The budget YAML: one rule per figure, with min and max.", "PATH", required: true);
        var command = new Command("budget", "Check results against a budget: one pass/fail record per rule; exit 1 when a rule fails.") { input, budget };
        command.SetAction(parse =>
        {
            CommandContext context = CommandContext.Of(parse, globals);
            IReadOnlyList<BudgetRule> rules = Budgets.Read(parse.GetValue(budget)!);
            IReadOnlyList<BudgetResult> verdicts = Budgets.Check(Import(parse.GetValue(input)!), rules);
            Print(verdicts, context);
            int failed = verdicts.Count(v => !v.Passed);
            if (failed > 0)
            {
                context.Error.WriteLine($"edgelm: {failed} of {verdicts.Count} budget rules failed");
                return 1;
            }

            return 0;
        });
        return command;
    }

    /// <summary>Converts results files: jsonl, csv, or a Markdown table of the columns that vary.</summary>
    public static Command Export(GlobalOptions globals)
    {
        var input = Results();
        var target = Opt.Choice("--to", "What to write: a Markdown table of the columns that vary, CSV as Export-Csv writes it, or JSON Lines.",
            "markdown", "csv", "jsonl").WithDefault("markdown");
        var output = Opt.Text("--out", "The file to write (default: stdout).", "PATH");
        var command = new Command("export", "Read results files and write them as Markdown, CSV or JSON Lines.") { input, target, output };
        command.SetAction(parse =>
        {
            CommandContext context = CommandContext.Of(parse, globals);
            IReadOnlyList<InferenceResult> results = Import(parse.GetValue(input)!);
            Action<TextWriter> write = parse.GetValue(target) switch
            {
                "csv" => w => ResultFiles.WriteCsv(results, w),
                "jsonl" => w => ResultFiles.WriteJsonLines(results, w),
                _ => w => ResultFiles.WriteMarkdown(results.Cast<object>().ToArray(), w),
            };
            if (parse.GetValue(output) is string file)
            {
                OutputFiles.WriteText(file, "an export", write);
            }
            else
            {
                // stdout belongs to the process: written to, never disposed here.
                write(context.Out);
            }

            return 0;
        });
        return command;
    }

    private static Option<string[]> Results() => Opt.Paths("--in", "Results files (.jsonl, or .csv as Export-Csv writes it); repeat the option for more.", required: true);

    private static Option<string?> GroupBy() =>
        Opt.Joined("--group-by", "Result properties to group by, comma-separated (default: the configuration).", "NAME,NAME", ',', CompletionNames.ResultProperties);

    private static string[]? Names(string? list) => list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static IReadOnlyList<InferenceResult> Import(IEnumerable<string> files) => files.SelectMany(ResultFiles.Import).ToArray();

    private static void Print(IEnumerable<object> records, CommandContext context)
    {
        RecordPrinter printer = context.Printer();
        foreach (object record in records)
        {
            printer.Print(record);
        }
    }
}
