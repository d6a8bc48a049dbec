using EdgeLm.Core.Benchmarks;
using EdgeLm.Core.Engine;
using EdgeLm.Core.Host;
using EdgeLm.Core.Worker;
using EdgeLm.Core.Devices;

namespace EdgeLm.Cli.Commands;

/// <summary>edgelm bench: runs a plan, printing and appending one record per run as it completes.</summary>
internal static class BenchCommand
{
    public static int Run(string[] args, CommandContext context)
    {
        var line = CommandLine.Parse("bench", args, new[] { "plan", "out" }, new[] { "resume" });
        LoadedPlan plan = PlanReader.Read(line.Require("plan"));
        var options = new BenchmarkOptions
        {
            OutputPath = line.Get("out"),
            Resume = line.Has("resume"),
            Notice = n => context.Error.WriteLine("edgelm: note: " + n),
            Host = new InferenceHostOptions
            {
                Worker = InferCommand.CurrentProcessWorker(),
                Log = line.Has("verbose") ? l => context.Error.WriteLine("llama.cpp: " + l) : null,
                Warning = w => context.Error.WriteLine("edgelm: warning: " + w),
            },
        };
        var printer = new RecordPrinter(context.Out, line.Format);
        IProgress<BenchmarkProgress>? progress = context.BenchmarkProgress();
        foreach (InferenceResult result in BenchmarkRunner.Run(plan, options, progress, context.Cancellation))
        {
            context.ClearProgress();
            printer.Print(result);
        }

        context.ClearProgress();
        return 0;
    }
}
