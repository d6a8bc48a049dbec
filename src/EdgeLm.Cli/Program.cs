using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using EdgeLm.Cli.Commands;
using EdgeLm.Core;
using EdgeLm.Core.Native;

namespace EdgeLm.Cli;

/// <summary>
/// `edgelm`: the cmdlets' operations for shells without pwsh, on System.CommandLine (generated help, completions
/// through its [suggest] directive). Exit codes: 0 success, 1 the operation failed, 2 the command line was wrong,
/// 130 interrupted. Every error is one "edgelm: " line on stderr. docs/cli.md is the contract.
/// </summary>
internal static class Program
{
    private static string HelpHint(string path) => path.Length == 0 ? "'edgelm --help' lists the commands" : $"'edgelm {path} --help' lists its options";

    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Every command and option of edgelm: what runs, and what help, completions, the docs and the twin tests read.</summary>
    internal static RootCommand BuildRootCommand() => BuildRootCommand(new GlobalOptions());

    private static RootCommand BuildRootCommand(GlobalOptions globals)
    {
        var root = new RootCommand("edgelm: measure what it costs to run a language model on this device (llama.cpp inside). " +
            "Commands print one record per line (--format table|csv|json), the same records as the EdgeLm PowerShell module's cmdlets.");
        // `edgelm version` says more than a bare version number.
        foreach (Option version in root.Options.OfType<VersionOption>().ToArray())
        {
            root.Options.Remove(version);
        }

        foreach (Option option in globals.All)
        {
            option.Recursive = true;
            root.Options.Add(option);
        }

        HelpOption help = root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithExitCodes((HelpAction)help.Action!);
        root.Subcommands.Add(ModelCommands.Create(globals));
        root.Subcommands.Add(InferCommand.Create(globals));
        root.Subcommands.Add(BenchCommand.Create(globals));
        root.Subcommands.Add(FleetCommand.Create(globals));
        root.Subcommands.Add(PromptsCommand.Create(globals));
        root.Subcommands.Add(ResultCommands.Summary(globals));
        root.Subcommands.Add(ResultCommands.Compare(globals));
        root.Subcommands.Add(ResultCommands.Budget(globals));
        root.Subcommands.Add(CostCommand.Create(globals));
        root.Subcommands.Add(ReportCommand.Create(globals));
        root.Subcommands.Add(FitCommand.Create(globals));
        root.Subcommands.Add(QualityCommand.Create(globals));
        root.Subcommands.Add(ResultCommands.Export(globals));
        root.Subcommands.Add(DeviceCommand.Create(globals));
        root.Subcommands.Add(EnergyCommands.PowerSources(globals));
        root.Subcommands.Add(EnergyCommands.Energy(globals));
        root.Subcommands.Add(VersionCommand.Create(globals));
        root.Subcommands.Add(HelpCommand());
        root.Subcommands.Add(WorkerCommand.Create(globals));
        return root;
    }

    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var globals = new GlobalOptions();
        RootCommand root = BuildRootCommand(globals);
        ((HelpWithExitCodes)root.Options.OfType<HelpOption>().Single().Action!).MaxWidth = HelpWidth(stdout);
        // '@file' is a prompt's text here, never a response file.
        ParseResult parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        using var cancellation = new CancellationTokenSource();
        var invocation = new CliInvocation
        {
            Output = stdout,
            Error = stderr,
            Cancellation = cancellation.Token,
            EnableDefaultExceptionHandler = false,
            // Ctrl+C is ours (below): the first stops at the next token and keeps what finished.
            ProcessTerminationTimeout = null,
        };
        if (args.Length == 0)
        {
            // No command: the usage, and the exit code of a wrong command line.
            root.Parse(new[] { "--help" }).Invoke(invocation);
            return 2;
        }

        if (parse.Action is ParseErrorAction)
        {
            stderr.WriteLine("edgelm: " + ErrorLine(parse));
            return 2;
        }

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
        bool verbose = parse.GetValue(globals.Verbose);
        try
        {
            if (verbose)
            {
                LlamaLog.Sink = line => stderr.WriteLine("llama.cpp: " + line);
            }

            return parse.Invoke(invocation);
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"edgelm: {e.Message} ({HelpHint(CommandPath(parse.CommandResult))})");
            return 2;
        }
        catch (EdgeLmException e)
        {
            stderr.WriteLine("edgelm: " + OneLine(e.Message));
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
            stderr.WriteLine("edgelm: " + OneLine(e.Message));
            return 1;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"edgelm: unexpected {e.GetType().Name}: {OneLine(e.Message)}" + (verbose ? Environment.NewLine + e : " (--verbose shows details)"));
            return 1;
        }
        finally
        {
            LlamaLog.Sink = null;
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>`edgelm help [COMMAND...]`: the help of the root or of the command named, exit 0.</summary>
    private static Command HelpCommand()
    {
        var names = new Argument<string[]>("command") { Description = "The command (and subcommand) to describe, e.g. 'model synth'.", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("help", "Describe edgelm, or one of its commands (the same as --help).") { names };
        command.SetAction(parse =>
        {
            string[] path = parse.GetValue(names) ?? Array.Empty<string>();
            Command? target = parse.RootCommandResult.Command;
            foreach (string name in path)
            {
                target = target.Subcommands.FirstOrDefault(c => c.Name == name)
                    ?? throw new UsageException($"help: there is no command '{string.Join(' ', path)}'");
            }

            return parse.RootCommandResult.Command.Parse(path.Append("--help").ToArray()).Invoke(parse.InvocationConfiguration);
        });
        return command;
    }

    /// <summary>Help wraps at $COLUMNS, else the terminal's width, else 80 (a pipe, a file, a test).</summary>
    private static int HelpWidth(TextWriter stdout)
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out int columns) && columns >= 40)
        {
            return columns;
        }

        try
        {
            if (ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected && Console.WindowWidth >= 40)
            {
                return Console.WindowWidth;
            }
        }
        catch (IOException)
        {
        }

        return 80;
    }

    private static readonly Regex RequiredOption = new(@"^Option '(?<name>[^']+)' is required\.$", RegexOptions.CultureInvariant);
    private static readonly Regex MissingValue = new(@"^Required argument missing for option: '(?<name>[^']+)'\.$", RegexOptions.CultureInvariant);

    /// <summary>System.CommandLine's parse errors as one line: the command, what is wrong, and the fix where there is one.</summary>
    internal static string ErrorLine(ParseResult parse)
    {
        Command command = parse.CommandResult.Command;
        string path = CommandPath(parse.CommandResult);
        string prefix = path.Length == 0 ? string.Empty : path + ": ";
        string help = HelpHint(path);
        if (parse.UnmatchedTokens.Count > 0)
        {
            string token = parse.UnmatchedTokens[0];
            if (token.StartsWith('-'))
            {
                string name = token.Split('=', ':')[0];
                string? near = Nearest(name, OptionsOf(parse.CommandResult).SelectMany(o => o.Aliases.Prepend(o.Name)));
                return $"{prefix}unknown option {name}{(near is null ? "" : $"; did you mean {near}?")} ({help})";
            }

            if (command.Subcommands.Count > 0)
            {
                string? near = Nearest(token, command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
                return $"{prefix}unknown command '{token}'{(near is null ? $"; use {Opt.Alternatives(command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToArray())}" : $"; did you mean {near}?")} ({help})";
            }

            return $"{prefix}unexpected argument '{token}'; options start with -- ({help})";
        }

        ParseError error = parse.Errors[0];
        if (error.SymbolResult is CommandResult { Command: { Action: null } group } && group.Subcommands.Count > 0)
        {
            return $"{prefix}say which: {Opt.Alternatives(group.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToArray())} ({help})";
        }

        string message = OneLine(error.Message);
        Match required = RequiredOption.Match(message);
        if (required.Success)
        {
            return $"{prefix}{required.Groups["name"].Value} is required ({help})";
        }

        Match missing = MissingValue.Match(message);
        return missing.Success ? $"{prefix}{missing.Groups["name"].Value} needs a value" : prefix + message;
    }

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is CommandResult c && c.Parent is not null; r = r.Parent)
        {
            names.Insert(0, c.Command.Name);
        }

        return string.Join(' ', names);
    }

    // A command's options and those of the commands above it that reach it (--format, --verbose, --native-dir, --help).
    private static IEnumerable<Option> OptionsOf(CommandResult result)
    {
        foreach (Option option in result.Command.Options)
        {
            yield return option;
        }

        for (SymbolResult? r = result.Parent; r is CommandResult c; r = r.Parent)
        {
            foreach (Option option in c.Command.Options.Where(o => o.Recursive))
            {
                yield return option;
            }
        }
    }

    /// <summary>The name closest to what was typed, when it is a plausible typo (at most two edits, or a prefix).</summary>
    private static string? Nearest(string typed, IEnumerable<string> names) =>
        names.Select(n => (Name: n, Distance: n.StartsWith(typed, StringComparison.Ordinal) && typed.Length > 3 ? 1 : Distance(typed, n)))
            .Where(x => x.Distance <= 2)
            .OrderBy(x => x.Distance)
            .Select(x => x.Name)
            .FirstOrDefault();

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    internal static string OneLine(string message) => string.Join(' ', message.Split('\n', '\r', '\t').Select(p => p.Trim()).Where(p => p.Length > 0));

    /// <summary>Help, and for edgelm itself the exit codes and where the contract is written.</summary>
    private sealed class HelpWithExitCodes(HelpAction help) : SynchronousCommandLineAction
    {
        private const string ExitCodes = "Exit codes: 0 success, 1 the operation failed, 2 the command line was wrong, 130 interrupted. " +
            "Every error is one line on stderr starting 'edgelm: '. 'edgelm COMMAND --help' describes a command; docs/cli.md describes them all.";

        private int _width = 80;

        public int MaxWidth
        {
            set
            {
                _width = value;
                help.MaxWidth = value;
            }
        }

        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parse)
        {
            help.Invoke(parse);
            if (parse.CommandResult.Parent is null)
            {
                TextWriter output = parse.InvocationConfiguration.Output;
                foreach (string line in Wrap(ExitCodes, _width))
                {
                    output.WriteLine(line);
                }

                output.WriteLine();
            }

            return 0;
        }

        private static IEnumerable<string> Wrap(string text, int width)
        {
            string line = string.Empty;
            foreach (string word in text.Split(' '))
            {
                if (line.Length > 0 && line.Length + 1 + word.Length > width)
                {
                    yield return line;
                    line = string.Empty;
                }

                line = line.Length == 0 ? word : line + " " + word;
            }

            yield return line;
        }
    }
}

/// <summary>System.CommandLine's invocation settings plus our Ctrl+C token.</summary>
internal sealed class CliInvocation : InvocationConfiguration
{
    public CancellationToken Cancellation { get; init; }
}

/// <summary>What every command writes to and listens on, and how it prints records.</summary>
internal sealed record CommandContext(TextWriter Out, TextWriter Error, CancellationToken Cancellation)
{
    public OutputFormat Format { get; init; }
    public bool Verbose { get; init; }

    /// <summary>--native-dir, as a full path; null for the default libraries.</summary>
    public string? NativeDirectory { get; init; }

    public static CommandContext Of(ParseResult parse, GlobalOptions globals)
    {
        InvocationConfiguration invocation = parse.InvocationConfiguration;
        string? native = parse.GetValue(globals.NativeDirectory);
        return new CommandContext(invocation.Output, invocation.Error, (invocation as CliInvocation)?.Cancellation ?? CancellationToken.None)
        {
            Format = globals.FormatOf(parse),
            Verbose = parse.GetValue(globals.Verbose),
            NativeDirectory = native is null ? null : Path.GetFullPath(native),
        };
    }

    public RecordPrinter Printer() => new(Out, Format);

    /// <summary>llama.cpp's log on stderr with --verbose.</summary>
    public Action<string>? Log => Verbose ? line => Error.WriteLine("llama.cpp: " + line) : null;

    public void Warning(string message) => Error.WriteLine("edgelm: warning: " + message);

    public void Note(string message) => Error.WriteLine("edgelm: note: " + message);

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

    /// <summary>A status line on stderr when a person watches (a baseline being measured).</summary>
    public void Status(string status)
    {
        if (ShowsProgress)
        {
            Error.Write($"\r\u001b[K{status}");
        }
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
