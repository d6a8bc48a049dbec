using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Cli.Commands;

/// <summary>edgelm summary, compare, budget and export: what to make of a results file.</summary>
internal static class ResultCommands
{
    public static int Summary(string[] args, CommandContext context)
    {
        var line = CommandLine.Parse("summary", args, new[] { "in", "group-by" }, Array.Empty<string>());
        IReadOnlyList<InferenceResult> results = ResultFiles.Import(line.Require("in"));
        string[]? groupBy = line.Get("group-by")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Print(Summaries.Summarize(results, groupBy), line, context);
        return 0;
    }

    public static int Compare(string[] args, CommandContext context)
    {
        var line = CommandLine.Parse("compare", args, new[] { "baseline", "candidate", "group-by" }, Array.Empty<string>());
        string[]? groupBy = line.Get("group-by")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Print(Comparisons.Compare(ResultFiles.Import(line.Require("baseline")), ResultFiles.Import(line.Require("candidate")), groupBy), line, context);
        return 0;
    }

    /// <summary>Exit 0 when every rule passes, 1 when one fails: a CI gate.</summary>
    public static int Budget(string[] args, CommandContext context)
    {
        var line = CommandLine.Parse("budget", args, new[] { "in", "budget" }, Array.Empty<string>());
        IReadOnlyList<BudgetRule> rules = Budgets.Read(line.Require("budget"));
        IReadOnlyList<BudgetResult> verdicts = Budgets.Check(ResultFiles.Import(line.Require("in")), rules);
        Print(verdicts, line, context);
        int failed = verdicts.Count(v => !v.Passed);
        if (failed > 0)
        {
            context.Error.WriteLine($"edgelm: {failed} of {verdicts.Count} budget rules failed");
            return 1;
        }

        return 0;
    }

    /// <summary>Converts a results file: jsonl, csv, or a Markdown table of the columns that vary.</summary>
    public static int Export(string[] args, CommandContext context)
    {
        var line = CommandLine.Parse("export", args, new[] { "in", "to", "out" }, Array.Empty<string>());
        IReadOnlyList<InferenceResult> results = ResultFiles.Import(line.Require("in"));
        string target = line.Get("to") ?? "markdown";
        Action<TextWriter> write = target switch
        {
            "markdown" => w => ResultFiles.WriteMarkdown(results.Cast<object>().ToArray(), w),
            "csv" => w => ResultFiles.WriteCsv(results, w),
            "jsonl" => w => ResultFiles.WriteJsonLines(results, w),
            _ => throw new UsageException($"export: --to must be markdown, csv or jsonl, not '{target}'"),
        };
        if (line.Get("out") is string file)
        {
            using var writer = new StreamWriter(file);
            write(writer);
        }
        else
        {
            // stdout belongs to the process: written to, never disposed here.
            write(context.Out);
        }

        return 0;
    }

    private static void Print(IEnumerable<object> records, CommandLine line, CommandContext context)
    {
        var printer = new RecordPrinter(context.Out, line.Format);
        foreach (object record in records)
        {
            printer.Print(record);
        }
    }
}
