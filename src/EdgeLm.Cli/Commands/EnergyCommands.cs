using System.Diagnostics;
using EdgeLm.Core.Energy;

namespace EdgeLm.Cli.Commands;

/// <summary>edgelm power-sources and edgelm energy.</summary>
internal static class EnergyCommands
{
    /// <summary>Every power source found, readable or not and why; the default choice marked.</summary>
    public static int PowerSources(string[] args, CommandContext context)
    {
        var line = CommandLine.Parse("power-sources", args, new[] { "root", "meter" }, Array.Empty<string>());
        using PowerSourceSet sources = PowerSourceDiscovery.Discover(new EnergyOptions { Root = Root(line, "power-sources"), Meter = line.Get("meter") });
        EnergySelection chosen = sources.Choose();
        var printer = new RecordPrinter(context.Out, line.Format);
        foreach (PowerSourceInfo info in sources.All)
        {
            printer.Print(info);
        }

        foreach (string warning in chosen.Warnings)
        {
            context.Error.WriteLine("edgelm: note: " + warning);
        }

        return 0;
    }

    /// <summary>Energy over --duration seconds, or while a command runs, after an optional idle baseline.</summary>
    public static int Energy(string[] args, CommandContext context)
    {
        var line = CommandLine.Parse("energy", args, new[] { "root", "source", "interval-ms", "baseline", "duration", "meter" }, Array.Empty<string>());
        double? duration = line.Double("duration", min: 0.001);
        if ((duration is null) == (line.Rest.Count == 0))
        {
            throw new UsageException("energy: give --duration SECONDS or -- COMMAND [ARGS...] (one of them)");
        }

        double baseline = line.Double("baseline", min: 0) ?? 0;
        var options = new EnergyOptions
        {
            Root = Root(line, "energy"),
            Source = line.Get("source"),
            Meter = line.Get("meter"),
            Interval = TimeSpan.FromMilliseconds(line.Int("interval-ms", min: 1) ?? 100),
        };

        using EnergySession session = EnergySession.Open(options);
        double? idle = baseline > 0 ? session.MeasureBaseline(baseline, context.Cancellation) : null;
        long from = session.Begin();
        int? exitCode = null;
        if (duration is double seconds)
        {
            if (context.Cancellation.WaitHandle.WaitOne(TimeSpan.FromSeconds(seconds)))
            {
                throw new OperationCanceledException(context.Cancellation);
            }
        }
        else
        {
            exitCode = RunCommand(line.Rest, context.Cancellation);
        }

        EnergyMeasurement measurement = session.End(from, idle, baseline > 0 ? baseline : null, exitCode);
        new RecordPrinter(context.Out, line.Format).Print(measurement);
        foreach (string warning in (measurement.Warnings ?? string.Empty).Split("; ", StringSplitOptions.RemoveEmptyEntries))
        {
            context.Error.WriteLine("edgelm: note: " + warning);
        }

        return 0;
    }

    private static string Root(CommandLine line, string command)
    {
        string? root = line.Get("root");
        if (root is not null && !Directory.Exists(root))
        {
            throw new UsageException($"{command}: --root {root} is not a folder");
        }

        return root ?? "/";
    }

    // The measured command shares our terminal; Ctrl+C stops it with us.
    private static int RunCommand(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false };
        foreach (string argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new EdgeLm.Core.EdgeLmException("CommandNotStarted", $"could not start {command[0]}: {e.Message}");
        }

        using (process)
        using (cancellationToken.Register(() => { try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }))
        {
            process.WaitForExit();
            cancellationToken.ThrowIfCancellationRequested();
            return process.ExitCode;
        }
    }
}
