using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
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
        var names = new List<string> { EdgeLm.Core.Inference.ChatTemplates.ModelTemplate };
        try
        {
            EdgeLm.Core.Native.LlamaRuntime.Initialize(null);
            names.AddRange(EdgeLm.Core.Inference.ChatTemplates.BuiltIn());
        }
        catch (EdgeLm.Core.EdgeLmException)
        {
        }

        return names;
    }
}

internal static class Completion
{
    public static IEnumerable<CompletionResult> Complete(string? wordToComplete, Func<IEnumerable<string>> names, string what)
    {
        string word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        IEnumerable<string> all;
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
            .Where(name => name.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Select(name => new CompletionResult(Quote(name), name, CompletionResultType.ParameterValue, $"{what} {name}"))
            .ToArray();
    }

    private static string Quote(string name) =>
        name.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.') ? name : "'" + name.Replace("'", "''") + "'";
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
