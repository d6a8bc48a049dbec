using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using EdgeLm.Core.Host;

namespace EdgeLm.Cli;

/// <summary>The command line was wrong: exit code 2.</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message) : base(message)
    {
    }
}

internal enum OutputFormat
{
    Table,
    Csv,
    Json,
}

/// <summary>The options every command takes (System.CommandLine's recursive options on the root).</summary>
internal sealed class GlobalOptions
{
    public Option<string> Format { get; } = Opt.Choice("--format", "How records are printed: a table, CSV (header once) or JSON Lines (one object per line).",
        "table", "csv", "json").WithDefault("table");

    public Option<bool> Verbose { get; } = Opt.Flag("--verbose", "Show llama.cpp's log (and an unexpected error's details) on stderr.");

    public Option<string?> NativeDirectory { get; } = Opt.Text("--native-dir",
        "A folder with your own llama.cpp 0.5.0 libraries, for the commands that load llama.cpp (default: $EDGELM_LLAMA_DIR, then the bundled ones).", "DIR");

    public IEnumerable<Option> All => new Option[] { Format, Verbose, NativeDirectory };

    public OutputFormat FormatOf(ParseResult parse) => parse.GetValue(Format) switch
    {
        "csv" => OutputFormat.Csv,
        "json" => OutputFormat.Json,
        _ => OutputFormat.Table,
    };
}

/// <summary>
/// Options with EdgeLm's rules: numbers in the invariant culture with a range, lists as "1,2,4" or repeated options,
/// fixed choices completed and checked, and every refusal one line that names the option and the value.
/// </summary>
internal static class Opt
{
    /// <summary>Text; a PATH or DIR that is empty or blank is refused (.NET's "value cannot be an empty string" named no option).</summary>
    public static Option<string?> Text(string name, string description, string helpName = "TEXT", bool required = false)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = helpName, Required = required };
        if (helpName is "PATH" or "DIR")
        {
            option.Validators.Add(result => RefuseEmptyPath(result, name, helpName));
        }

        return option;
    }

    private static void RefuseEmptyPath(System.CommandLine.Parsing.OptionResult result, string name, string helpName)
    {
        foreach (Token token in result.Tokens.Where(t => string.IsNullOrWhiteSpace(t.Value)))
        {
            result.AddError($"{name} is '{token.Value}', which names no {(helpName == "DIR" ? "folder" : "file")}; give its path");
            return;
        }
    }

    /// <summary>A value completed from Core's names (shapes, quantizations, ...), checked by Core when used.</summary>
    public static Option<string?> Named(string name, string description, string helpName, Func<IEnumerable<CompletionName>> names, bool required = false)
    {
        Option<string?> option = Text(name, description, helpName, required);
        option.CompletionSources.Add(_ => Safe(names).Select(n => new System.CommandLine.Completions.CompletionItem(n.Name, detail: n.Description)));
        return option;
    }

    /// <summary>Like <see cref="Named"/> for a value that joins names with <paramref name="separator"/>: each part completes.</summary>
    public static Option<string?> Joined(string name, string description, string helpName, char separator, Func<IEnumerable<CompletionName>> names)
    {
        Option<string?> option = Text(name, description, helpName);
        option.CompletionSources.Add(context =>
        {
            (string done, _) = CompletionNames.SplitJoined(context.WordToComplete, separator);
            return Safe(names).Select(n => new System.CommandLine.Completions.CompletionItem(done + n.Name, detail: n.Description));
        });
        return option;
    }

    public static Option<string[]> Paths(string name, string description, string helpName = "PATH", bool required = false)
    {
        var option = new Option<string[]>(name) { Description = description, HelpName = helpName, Required = required, Arity = ArgumentArity.OneOrMore };
        option.Validators.Add(result => RefuseEmptyPath(result, name, helpName));
        return option;
    }

    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    /// <summary>One of a fixed set of values, completed and checked (a wrong one is named with the choices).</summary>
    public static Option<string> Choice(string name, string description, params string[] values)
    {
        var option = new Option<string>(name) { Description = description, HelpName = string.Join("|", values) };
        option.CompletionSources.Add(values);
        option.Validators.Add(result =>
        {
            string? value = result.Tokens.Count > 0 ? result.Tokens[^1].Value : null;
            if (value is not null && !values.Contains(value, StringComparer.Ordinal))
            {
                result.AddError($"{name} must be {Alternatives(values)}, not '{value}'");
            }
        });
        return option;
    }

    public static Option<int?> Int(string name, string description, int min = int.MinValue, int max = int.MaxValue, string helpName = "N") =>
        Number<int>(name, description, helpName, min, max, "a whole number", (string text, out int value) =>
            int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value));

    /// <summary>A whole number from 0 to <paramref name="max"/>; <paramref name="overMax"/> says why a larger one is refused.</summary>
    public static Option<uint?> UInt(string name, string description, string helpName = "N", uint max = uint.MaxValue, string? overMax = null) =>
        Number<uint>(name, description, helpName, uint.MinValue, max, "a whole number from 0 to " + max.ToString(CultureInfo.InvariantCulture), (string text, out uint value) =>
            uint.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value), overMax);

    public static Option<ulong?> ULong(string name, string description, string helpName = "N") =>
        Number<ulong>(name, description, helpName, ulong.MinValue, ulong.MaxValue, "a non-negative whole number", (string text, out ulong value) =>
            ulong.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value));

    public static Option<double?> Double(string name, string description, double min = double.MinValue, double max = double.MaxValue, string helpName = "SECONDS") =>
        Number<double>(name, description, helpName, min, max, "a number", (string text, out double value) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value));

    public static Option<float?> Float(string name, string description, float min = float.MinValue, float max = float.MaxValue, string helpName = "P") =>
        Number<float>(name, description, helpName, min, max, "a number", (string text, out float value) =>
            float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value));

    /// <summary>Whole numbers to sweep: "1,2,4", or the option repeated; each at least <paramref name="min"/> when given.</summary>
    public static Option<int[]?> Ints(string name, string description, string helpName = "N,N")
    {
        var option = new Option<int[]?>(name) { Description = description, HelpName = helpName, Arity = ArgumentArity.OneOrMore };
        option.CustomParser = result =>
        {
            var values = new List<int>();
            foreach (string part in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.TrimEntries)))
            {
                if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
                {
                    result.AddError($"{name} takes whole numbers separated by commas, not '{part}'{Why(part)}");
                    return null;
                }

                values.Add(value);
            }

            return values.ToArray();
        };
        return option;
    }

    /// <summary>Help shows the default; the value is the default when the option is not given.</summary>
    public static Option<T> WithDefault<T>(this Option<T> option, T value)
    {
        option.DefaultValueFactory = _ => value;
        return option;
    }

    /// <summary>Whether the option was on the command line (not just at its default).</summary>
    public static bool Given(this ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    public static string Alternatives(IReadOnlyList<string> values) =>
        values.Count == 1 ? values[0] : string.Join(", ", values.Take(values.Count - 1)) + " or " + values[^1];

    private delegate bool TryParse<T>(string text, out T value);

    private static Option<T?> Number<T>(string name, string description, string helpName, T min, T max, string what, TryParse<T> parse, string? overMax = null)
        where T : struct, IComparable<T>
    {
        var option = new Option<T?>(name) { Description = description, HelpName = helpName };
        option.CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
            if (!parse(text, out T value))
            {
                // Digits only, yet no value of the type: beyond its range, which is what to say (not "not a whole number").
                bool digits = text.Length > 0 && text.TrimStart('+', '-').Length > 0 && text.TrimStart('+', '-').All(char.IsAsciiDigit);
                result.AddError(digits
                    ? text.StartsWith('-') ? $"{name} must be at least {Invariant(min)}, not {text}"
                        : $"{name} must be at most {Invariant(max)}, not {text}{(overMax is null ? string.Empty : $": {overMax}")}"
                    : $"{name} must be {what}, not '{text}'{Why(text)}");
                return null;
            }

            if (value.CompareTo(min) < 0)
            {
                result.AddError($"{name} must be at least {Invariant(min)}, not {text}");
                return null;
            }

            if (value.CompareTo(max) > 0)
            {
                result.AddError($"{name} must be at most {Invariant(max)}, not {text}{(overMax is null ? string.Empty : $": {overMax}")}");
                return null;
            }

            return value;
        };
        return option;
    }

    // Why the text is no number (a digit that is not 0-9, a decimal comma), when it shows; a range error says enough.
    private static string Why(string text) => EdgeLm.Core.NumberText.Why(text) is string why ? $": {why}" : string.Empty;

    private static string Invariant<T>(T value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;

    // Completion must never fail the shell: no names is the honest answer.
    private static IEnumerable<CompletionName> Safe(Func<IEnumerable<CompletionName>> names)
    {
        try
        {
            return names().ToArray();
        }
        catch (Exception)
        {
            return Array.Empty<CompletionName>();
        }
    }
}
