using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using EdgeLm.Core.Benchmarks;
using EdgeLm.Core.Devices;
using EdgeLm.Core.Energy;
using EdgeLm.Core.Models;

namespace EdgeLm.Cmdlets;

/// <summary>Completes -Shape from the synthetic shape catalog (custom dimensions are parameters of their own).</summary>
public sealed class SyntheticShapeCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Complete(wordToComplete, () => SyntheticShapes.Names, "synthetic shape");
}

/// <summary>Completes -Quantization from the types EdgeLm can write.</summary>
public sealed class QuantizationCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Complete(wordToComplete, () => ModelQuantizer.SupportedQuantizations, "quantization");
}

/// <summary>
/// Completes -ChatTemplate: "model" (the model's own) and llama.cpp's built-in names. Listing those loads
/// llama.cpp's library into this process (no model); where it cannot load, "model" alone is offered.
/// </summary>
public sealed class ChatTemplateCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Complete(wordToComplete, Names, "chat template");

    private static IEnumerable<string> Names()
    {
        var names = new List<string> { EdgeLm.Core.Engine.ChatTemplates.ModelTemplate };
        try
        {
            EdgeLm.Core.Native.LlamaRuntime.Initialize(null);
            names.AddRange(EdgeLm.Core.Engine.ChatTemplates.BuiltIn());
        }
        catch (EdgeLm.Core.EdgeLmException)
        {
        }

        return names;
    }
}

/// <summary>
/// Completes InferenceResult property names (-GroupBy): the default grouping keys first, then the rest by name.
/// </summary>
public sealed class ResultPropertyCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Complete(wordToComplete, Names);

    private static IEnumerable<(string, string)> Names() =>
        ResultFields.DefaultKeys.Select(k => (k, $"InferenceResult property {k} (a default grouping key)"))
            .Concat(RecordText.Properties(typeof(InferenceResult)).Select(p => p.Name).Where(n => !ResultFields.DefaultKeys.Contains(n))
                .Order(StringComparer.OrdinalIgnoreCase).Select(n => (n, $"InferenceResult property {n}")));
}

/// <summary>
/// Completes power source names (-EnergySource, -Source) from this machine's sources as Get-EdgePowerSource finds
/// them (under -Root when given; an external -Meter by name, never read while completing), readable ones first.
/// A name after '+' completes the next part of a '+'-joined choice. Discovery that takes longer than a few
/// seconds (a hung nvidia-smi) gives no completions rather than a frozen console.
/// </summary>
public sealed class PowerSourceCompleter : IArgumentCompleter
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(3);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        int plus = word.LastIndexOf('+');
        string prefix = plus >= 0 ? word[..(plus + 1)] : string.Empty;
        string root = Completion.FileSystemPath(fakeBoundParameters["Root"] as string) ?? "/";
        string? meter = fakeBoundParameters["Meter"] as string ?? Environment.GetEnvironmentVariable(MeterSource.Variable);
        return Completion.Complete(word[prefix.Length..], () => Sources(root, meter), prefix);
    }

    private static IEnumerable<(string, string)> Sources(string root, string? meter)
    {
        var found = new List<PowerSourceInfo>();
        if (!string.IsNullOrWhiteSpace(meter))
        {
            try
            {
                using MeterSource source = MeterSource.Parse(meter);
                found.Add(new PowerSourceInfo { Name = source.Name, Kind = source.Kind, Scope = source.Scope, Readable = true });
            }
            catch (EdgeLm.Core.EdgeLmException)
            {
                // A malformed meter is reported when the command runs; nothing to offer for it here.
            }
        }

        Task<IReadOnlyList<PowerSourceInfo>> discovery = Task.Run(() =>
        {
            using PowerSourceSet sources = PowerSourceDiscovery.Discover(new ProbeRoot(root), new ExternalCommand(), meter: null);
            return sources.All;
        });
        if (!discovery.Wait(Limit))
        {
            return Array.Empty<(string, string)>();
        }

        found.AddRange(discovery.Result);
        return found.OrderBy(s => s.Readable ? 0 : 1).Select(s => (s.Name,
            $"{s.Name}: {s.Kind}, {s.Scope}" + (s.Readable ? string.Empty : $", not readable: {s.Reason}")));
    }
}

/// <summary>Completes -Meter with the meter kinds (KIND=ADDRESS) MeterSource reads.</summary>
public sealed class MeterCompleter : IArgumentCompleter
{
    /// <summary>The kinds MeterSource.Parse takes, with what each reads.</summary>
    internal static readonly IReadOnlyList<(string Kind, string Description)> Kinds = new[]
    {
        ("shelly-gen1", "Shelly Gen1 plug: shelly-gen1=http://ADDRESS"),
        ("shelly-gen2", "Shelly Gen2 plug: shelly-gen2=http://ADDRESS"),
        ("tasmota", "Tasmota plug: tasmota=http://ADDRESS"),
        ("command", "a command that prints watts: command=/path/to/command"),
    };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Complete(wordToComplete, () => Kinds.Select(k => (k.Kind + "=", k.Description)));
}

internal static class Completion
{
    public static IEnumerable<CompletionResult> Complete(string? wordToComplete, Func<IEnumerable<string>> names, string what) =>
        Complete(wordToComplete, () => names().Select(n => (n, $"{what} {n}")));

    /// <summary>The names starting with the word (ignoring case), each completed as <paramref name="prefix"/> + name, quoted where needed.</summary>
    public static IEnumerable<CompletionResult> Complete(string? wordToComplete, Func<IEnumerable<(string Name, string ToolTip)>> names, string prefix = "")
    {
        string word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        (string Name, string ToolTip)[] all;
        try
        {
            all = names().ToArray();
        }
        catch (Exception)
        {
            // A completer must never throw into the console; no completions is the honest answer.
            return Array.Empty<CompletionResult>();
        }

        return all
            .Where(n => n.Name.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .DistinctBy(n => n.Name, StringComparer.OrdinalIgnoreCase)
            .Select(n => new CompletionResult(Quote(prefix + n.Name), n.Name, CompletionResultType.ParameterValue, n.ToolTip))
            .ToArray();
    }

    /// <summary>A path argument as a file-system path, relative to the current location; null when not given.</summary>
    public static string? FileSystemPath(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        try
        {
            return System.Management.Automation.Runspaces.Runspace.DefaultRunspace?.SessionStateProxy.Path.GetUnresolvedProviderPathFromPSPath(path) ?? path;
        }
        catch (Exception)
        {
            return path;
        }
    }

    // Bare where PowerShell reads the word as one string in argument mode (rapl:package-0+rapl:dram-0, tasmota=),
    // quoted otherwise.
    private static string Quote(string name) =>
        name.Length > 0 && name[0] != '-' && name.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '+' or '=' or '/')
            ? name
            : "'" + name.Replace("'", "''") + "'";
}

/// <summary>
/// Lets -Prompt take text only. Without it, an object piped for its ModelPath or FullName (Get-EdgeModel,
/// Get-ChildItem) would also bind to -Prompt as its type name. The cast failure tells PowerShell's pipeline
/// binder to leave the parameter unbound for such objects; on the command line it is an error that says why.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class TextOnlyTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        switch (value)
        {
            case null:
                return null;
            case string text:
                return text;
            case char or sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal:
                return LanguagePrimitives.ConvertTo<string>(value);
        }

        string message = $"a prompt is text, not a {value.GetType().FullName}; pass the text itself (for a file: -Prompt (Get-Content <file> -Raw)).";
        throw new ArgumentTransformationMetadataException(message, new PSInvalidCastException(message));
    }
}
