using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using EdgeLm.Core.Host;

namespace EdgeLm.Cmdlets;

/// <summary>Completes -Shape from the synthetic shape catalog (custom dimensions are parameters of their own).</summary>
public sealed class SyntheticShapeCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Complete(wordToComplete, CompletionNames.Shapes);
}

/// <summary>Completes -Board from the board catalog (names with spaces come quoted).</summary>
public sealed class BoardCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Complete(wordToComplete, CompletionNames.Boards);
}

/// <summary>Completes -Quantization from the types EdgeLm can write.</summary>
public sealed class QuantizationCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Complete(wordToComplete, CompletionNames.Quantizations);
}

/// <summary>
/// Completes -ChatTemplate: "model" (the model's own) and llama.cpp's built-in names. Listing those loads
/// llama.cpp's library into this process (no model); where it cannot load, "model" alone is offered.
/// </summary>
public sealed class ChatTemplateCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Complete(wordToComplete, () => CompletionNames.ChatTemplates());
}

/// <summary>
/// Completes InferenceResult property names (-GroupBy): the default grouping keys first, then the rest by name.
/// </summary>
public sealed class ResultPropertyCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Complete(wordToComplete, CompletionNames.ResultProperties);
}

/// <summary>
/// Completes power source names (-EnergySource, -Source) from this machine's sources as Get-EdgePowerSource finds
/// them (under -Root when given; an external -Meter by name, never read while completing), readable ones first.
/// A name after '+' completes the next part of a '+'-joined choice.
/// </summary>
public sealed class PowerSourceCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        (string done, string typed) = CompletionNames.SplitJoined((wordToComplete ?? string.Empty).Trim('\'', '"'), '+');
        string root = Completion.FileSystemPath(fakeBoundParameters["Root"] as string) ?? "/";
        string? meter = fakeBoundParameters["Meter"] as string;
        return Completion.Complete(typed, () => CompletionNames.PowerSources(root, meter), done);
    }
}

/// <summary>Completes -Meter with the meter kinds (KIND=ADDRESS) MeterSource reads.</summary>
public sealed class MeterCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Complete(wordToComplete, () => CompletionNames.MeterKinds);
}

internal static class Completion
{
    /// <summary>The names starting with the word (ignoring case), each completed as <paramref name="prefix"/> + name, quoted where needed.</summary>
    public static IEnumerable<CompletionResult> Complete(string? wordToComplete, Func<IEnumerable<CompletionName>> names, string prefix = "")
    {
        string word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        CompletionName[] all;
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
            .Select(n => new CompletionResult(Quote(prefix + n.Name), n.Name, CompletionResultType.ParameterValue, n.Description))
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
