using System.CommandLine;
using System.Diagnostics;
using EdgeLm.Core.Energy;
using EdgeLm.Core.Host;

namespace EdgeLm.Cli.Commands;

/// <summary>edgelm power-sources and edgelm energy (Get-EdgePowerSource, Measure-EdgeEnergy).</summary>
internal static class EnergyCommands
{
    /// <summary>Every power source found, readable or not and why; the default choice marked.</summary>
    public static Command PowerSources(GlobalOptions globals)
    {
        var root = DeviceCommand.Root();
        var meter = Meter();
        var command = new Command("power-sources", "Every power and energy source found, readable or not and why; the one a measurement uses by default marked.")
        {
            root, meter,
        };
        command.SetAction(parse =>
        {
            CommandContext context = CommandContext.Of(parse, globals);
            using PowerSourceSet sources = PowerSourceDiscovery.Discover(new EnergyOptions { Root = DeviceCommand.RootOf(parse, root, "power-sources"), Meter = parse.GetValue(meter) });
            EnergySelection chosen = sources.Choose();
            RecordPrinter printer = context.Printer();
            foreach (PowerSourceInfo info in sources.All)
            {
                printer.Print(info);
            }

            foreach (string warning in chosen.Warnings)
            {
                context.Note(warning);
            }

            return 0;
        });
        return command;
    }

    /// <summary>Energy over --duration seconds, or while a command runs, after an optional idle baseline.</summary>
    public static Command Energy(GlobalOptions globals)
    {
        var root = DeviceCommand.Root();
        var source = Opt.Joined("--source", "Power sources to read ('+'-joined names from 'edgelm power-sources'; default: the widest trustworthy scope).",
            "NAME", '+', () => CompletionNames.PowerSources("/", null));
        var interval = Opt.Int("--interval-ms", "Sampling interval of power sources, in milliseconds.", min: 1, max: 60_000, helpName: "MS").WithDefault(100);
        var baseline = Opt.Double("--baseline", "Seconds of idle measured first (0: none, and net energy stays empty).", min: 0).WithDefault(0);
        var duration = Opt.Double("--duration", "Measure for this many seconds (or give a command after --).", min: 0.001);
        var meter = Meter();
        var program = new Argument<string[]>("command")
        {
            Description = "The command to measure while it runs, after --: its exit code is recorded.",
            HelpName = "COMMAND",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("energy", "Energy over a duration, or while a command runs, after an optional idle baseline: gross, idle and net joules with their source.")
        {
            root, source, interval, baseline, duration, meter, program,
        };
        command.SetAction(parse =>
        {
            CommandContext context = CommandContext.Of(parse, globals);
            string[] run = parse.GetValue(program) ?? Array.Empty<string>();
            double? seconds = parse.GetValue(duration);
            if ((seconds is null) == (run.Length == 0))
            {
                throw new UsageException("energy: give --duration SECONDS or -- COMMAND [ARGS...] (one of them)");
            }

            var options = new EnergyOptions
            {
                Root = DeviceCommand.RootOf(parse, root, "energy"),
                Source = parse.GetValue(source),
                Meter = parse.GetValue(meter),
                Interval = TimeSpan.FromMilliseconds(parse.GetValue(interval) ?? 100),
            };
            EnergyMeasurement measurement = EnergyMeasurements.Measure(options, parse.GetValue(baseline) ?? 0, seconds,
                run.Length == 0 ? null : token => new WorkloadOutcome(RunCommand(run, token)), context.Status, context.Cancellation);
            context.ClearProgress();
            context.Printer().Print(measurement);
            foreach (string warning in (measurement.Warnings ?? string.Empty).Split("; ", StringSplitOptions.RemoveEmptyEntries))
            {
                context.Note(warning);
            }

            return 0;
        });
        return command;
    }

    private static Option<string?> Meter() =>
        Opt.Named("--meter", "An external power meter, KIND=ADDRESS: shelly-gen1=, shelly-gen2=, tasmota= (http://...) or command= (default: $EDGELM_METER).",
            "KIND=ADDRESS", () => CompletionNames.MeterKinds);

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
