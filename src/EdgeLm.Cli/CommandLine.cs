namespace EdgeLm.Cli;

/// <summary>The command line was wrong: exit code 2.</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message) : base(message)
    {
    }
}

/// <summary>
/// A strict parser for "--name value" and "--flag" options: unknown options, missing values and
/// malformed numbers are usage errors that name the option.
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    private CommandLine(string command)
    {
        Command = command;
    }

    public string Command { get; }

    /// <summary>Arguments after "--" (for commands that run another program).</summary>
    public IReadOnlyList<string> Rest { get; private set; } = Array.Empty<string>();

    /// <param name="valued">Options that take a value, without the leading dashes.</param>
    /// <param name="flags">Options that take none.</param>
    public static CommandLine Parse(string command, IReadOnlyList<string> args, IEnumerable<string> valued, IEnumerable<string> flags)
    {
        var withValue = new HashSet<string>(valued.Concat(new[] { "format", "native-dir" }), StringComparer.Ordinal);
        var withoutValue = new HashSet<string>(flags.Concat(new[] { "verbose", "help" }), StringComparer.Ordinal);
        var line = new CommandLine(command);
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                line.Rest = args.Skip(i + 1).ToArray();
                break;
            }

            if (arg is "-h" or "-?")
            {
                arg = "--help";
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new UsageException($"{command}: unexpected argument '{arg}'; options start with --");
            }

            string name = arg[2..];
            string? inline = null;
            int equals = name.IndexOf('=');
            if (equals > 0)
            {
                inline = name[(equals + 1)..];
                name = name[..equals];
            }

            if (withoutValue.Contains(name))
            {
                if (inline is not null)
                {
                    throw new UsageException($"{command}: --{name} takes no value");
                }

                line._values[name] = null;
            }
            else if (withValue.Contains(name))
            {
                string? value = inline;
                if (value is null)
                {
                    if (i + 1 >= args.Count)
                    {
                        throw new UsageException($"{command}: --{name} needs a value");
                    }

                    value = args[++i];
                }

                if (line._values.ContainsKey(name))
                {
                    throw new UsageException($"{command}: --{name} is given twice");
                }

                line._values[name] = value;
            }
            else
            {
                string known = string.Join(" ", withValue.Concat(withoutValue).OrderBy(n => n).Select(n => "--" + n));
                throw new UsageException($"{command}: unknown option --{name}; known: {known}");
            }
        }

        return line;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? Get(string name) => _values.TryGetValue(name, out string? v) ? v : null;

    public string Require(string name) =>
        Get(name) ?? throw new UsageException($"{Command}: --{name} is required");

    public int? Int(string name, int min = int.MinValue)
    {
        string? text = Get(name);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int value))
        {
            throw new UsageException($"{Command}: --{name} must be a whole number, not '{text}'");
        }

        if (value < min)
        {
            throw new UsageException($"{Command}: --{name} must be at least {min}, not {value}");
        }

        return value;
    }

    public ulong? ULong(string name)
    {
        string? text = Get(name);
        if (text is null)
        {
            return null;
        }

        return ulong.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out ulong value)
            ? value
            : throw new UsageException($"{Command}: --{name} must be a non-negative whole number, not '{text}'");
    }

    public float? Float(string name)
    {
        string? text = Get(name);
        if (text is null)
        {
            return null;
        }

        return float.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out float value) && float.IsFinite(value)
            ? value
            : throw new UsageException($"{Command}: --{name} must be a number, not '{text}'");
    }

    public double? Double(string name, double min = double.MinValue)
    {
        string? text = Get(name);
        if (text is null)
        {
            return null;
        }

        if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            throw new UsageException($"{Command}: --{name} must be a number, not '{text}'");
        }

        return value >= min ? value : throw new UsageException($"{Command}: --{name} must be at least {min}, not {text}");
    }

    public OutputFormat Format => Get("format") switch
    {
        null or "table" => OutputFormat.Table,
        "csv" => OutputFormat.Csv,
        "json" => OutputFormat.Json,
        var other => throw new UsageException($"{Command}: --format must be table, csv or json, not '{other}'"),
    };
}

internal enum OutputFormat
{
    Table,
    Csv,
    Json,
}
