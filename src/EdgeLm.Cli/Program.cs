using EdgeLm.Cli.Commands;
using EdgeLm.Core;
using EdgeLm.Core.Native;

namespace EdgeLm.Cli;

/// <summary>
/// `edgelm`: the cmdlets' operations for shells without pwsh. Exit codes: 0 success, 1 the operation
/// failed, 2 the command line was wrong, 130 interrupted. Errors are one "edgelm:" line on stderr.
/// </summary>
internal static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // The first Ctrl+C stops at the next token and keeps what finished; a second one kills.
            if (!cancellation.IsCancellationRequested)
            {
                e.Cancel = true;
                cancellation.Cancel();
            }
        };
        Console.CancelKeyPress += onCancel;
        bool verbose = args.Contains("--verbose");
        try
        {
            if (verbose)
            {
                LlamaLog.Sink = line => stderr.WriteLine("llama.cpp: " + line);
            }

            return Dispatch(args, stdout, stderr, cancellation.Token);
        }
        catch (UsageException e)
        {
            stderr.WriteLine("edgelm: " + e.Message);
            stderr.WriteLine("Run 'edgelm help' for the commands and their options.");
            return 2;
        }
        catch (EdgeLmException e)
        {
            stderr.WriteLine("edgelm: " + e.Message);
            if (verbose && e.InnerException is not null)
            {
                stderr.WriteLine(e.InnerException.ToString());
            }

            return 1;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("edgelm: interrupted; results printed so far are complete");
            return 130;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine("edgelm: " + e.Message);
            return 1;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"edgelm: unexpected {e.GetType().Name}: {e.Message}" + (verbose ? Environment.NewLine + e : " (--verbose shows details)"));
            return 1;
        }
        finally
        {
            LlamaLog.Sink = null;
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static int Dispatch(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            stdout.Write(Usage.Text);
            return args.Length == 0 ? 2 : 0;
        }

        var context = new CommandContext(stdout, stderr, cancellationToken);
        string[] rest = args.Skip(1).ToArray();
        switch (args[0])
        {
            case "model":
                if (rest.Length == 0)
                {
                    throw new UsageException("model: say which: synth, info or quantize");
                }

                string[] options = rest.Skip(1).ToArray();
                return rest[0] switch
                {
                    "synth" => ModelCommands.Synth(options, context),
                    "info" => ModelCommands.Info(options, context),
                    "quantize" => ModelCommands.Quantize(options, context),
                    _ => throw new UsageException($"model: unknown subcommand '{rest[0]}'; use synth, info or quantize"),
                };
            case "infer":
                return InferCommand.Run(rest, context);
            case "bench":
                return BenchCommand.Run(rest, context);
            case "summary":
                return ResultCommands.Summary(rest, context);
            case "compare":
                return ResultCommands.Compare(rest, context);
            case "budget":
                return ResultCommands.Budget(rest, context);
            case "export":
                return ResultCommands.Export(rest, context);
            case "power-sources":
                return EnergyCommands.PowerSources(rest, context);
            case "energy":
                return EnergyCommands.Energy(rest, context);
            case "device":
                return DeviceCommand.Run(rest, context);
            case "worker":
                return WorkerCommand.Run(rest);
            case "version":
                return VersionCommand.Run(rest, context);
            default:
                throw new UsageException($"unknown command '{args[0]}'");
        }
    }
}

/// <summary>What every command writes to and listens on.</summary>
internal sealed record CommandContext(TextWriter Out, TextWriter Error, CancellationToken Cancellation)
{
    private bool ShowsProgress => !Console.IsErrorRedirected && ReferenceEquals(Error, Console.Error);

    /// <summary>Inference progress on one stderr line, only when a person is watching stderr.</summary>
    public IProgress<EdgeLm.Core.Host.InferenceProgress>? Progress()
    {
        if (!ShowsProgress)
        {
            return null;
        }

        return new SynchronousProgress<EdgeLm.Core.Host.InferenceProgress>(p =>
            Error.Write($"\r\u001b[K{p.ModelName}: {p.Status} ({p.Fraction * 100:0}%)"));
    }

    /// <summary>Benchmark progress with the estimated time left, on one stderr line when a person watches.</summary>
    public IProgress<EdgeLm.Core.Benchmarks.BenchmarkProgress>? BenchmarkProgress()
    {
        if (!ShowsProgress)
        {
            return null;
        }

        return new SynchronousProgress<EdgeLm.Core.Benchmarks.BenchmarkProgress>(p =>
            Error.Write($"\r\u001b[K[{p.Done}/{p.Total}{(p.Remaining is TimeSpan left ? $", {left:hh\\:mm\\:ss} left" : "")}] {p.Configuration}: {p.Status}"));
    }

    /// <summary>Clears the progress line before a record or the prompt is printed.</summary>
    public void ClearProgress()
    {
        if (ShowsProgress)
        {
            Error.Write("\r\u001b[K");
        }
    }

    /// <summary>Progress goes to stderr only when a person is watching it.</summary>
    public IProgress<double>? Progress(string what)
    {
        if (!ShowsProgress)
        {
            return null;
        }

        int last = -1;
        return new SynchronousProgress<double>(p =>
        {
            int percent = (int)(p * 100);
            if (percent != last)
            {
                last = percent;
                Error.Write($"\r{what} {percent,3}%");
                if (percent >= 100)
                {
                    Error.WriteLine();
                }
            }
        });
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
