using System.Collections;
using System.Management.Automation.Language;

namespace EdgeLm.Tests.Module;

/// <summary>
/// A PowerShell data file (.psd1) read as Import-PowerShellDataFile reads it: PowerShell's own parser, then
/// <see cref="Ast.SafeGetValue()"/> on the hashtable, which evaluates constants only (strings, numbers, arrays,
/// nested hashtables, $true/$false/$null) and refuses variables, commands and expandable strings. The file must be
/// that one hashtable and nothing else. Hashtables come back as case-insensitive dictionaries, arrays as lists.
/// </summary>
internal static class PsDataFile
{
    public static Dictionary<string, object?> Read(string path)
    {
        ScriptBlockAst script = Parser.ParseFile(path, out _, out ParseError[] errors);
        if (errors.Length > 0)
        {
            throw new FormatException($"{path}: {string.Join("; ", errors.Select(e => $"line {e.Extent.StartLineNumber}: {e.Message}"))}");
        }

        if (script.ParamBlock is not null || script.BeginBlock is not null || script.ProcessBlock is not null
            || script.EndBlock is not { Statements: [PipelineAst pipeline] } || pipeline.GetPureExpression() is not HashtableAst hashtable)
        {
            throw new FormatException($"{path}: a data file must hold exactly one hashtable @{{ ... }}");
        }

        try
        {
            return (Dictionary<string, object?>)Convert(hashtable.SafeGetValue())!;
        }
        catch (InvalidOperationException e)
        {
            throw new FormatException($"{path}: {e.Message}", e);
        }
    }

    private static object? Convert(object? value) => value switch
    {
        Hashtable table => table.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => Convert(e.Value), StringComparer.OrdinalIgnoreCase),
        object?[] items => items.Select(Convert).ToList(),
        _ => value,
    };
}
