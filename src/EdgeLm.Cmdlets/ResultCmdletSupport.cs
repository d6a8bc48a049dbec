using System.Management.Automation;
using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Cmdlets;

/// <summary>What the result cmdlets share: reading files, accepting results in several shapes, flat records as PSObjects.</summary>
internal static class ResultCmdletSupport
{
    public static IEnumerable<InferenceResult> Import(PSCmdlet cmdlet, IEnumerable<string>? paths) =>
        (paths ?? Array.Empty<string>()).SelectMany(p => ResultFiles.Import(cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(p)));

    /// <summary>A results file path, or InferenceResult objects (one or many).</summary>
    public static IReadOnlyList<InferenceResult> Results(PSCmdlet cmdlet, object value)
    {
        object unwrapped = Unwrap(value);
        return unwrapped switch
        {
            string path => ResultFiles.Import(cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path)),
            InferenceResult one => new[] { one },
            System.Collections.IEnumerable many => many.Cast<object>().Select(Unwrap).OfType<InferenceResult>().ToArray(),
            _ => throw new PSArgumentException($"expected a results file or InferenceResult objects, not {unwrapped.GetType().Name}"),
        };
    }

    public static object Unwrap(object value) => value is PSObject wrapped ? wrapped.BaseObject : value;

    /// <summary>A flat record as a PSObject with one note property per field, typed for its format view.</summary>
    public static PSObject ToPSObject(IFlatRecord record)
    {
        var result = new PSObject();
        foreach ((string name, object? value) in record.Fields)
        {
            result.Properties.Add(new PSNoteProperty(name, value));
        }

        result.TypeNames.Insert(0, record.TypeName);
        return result;
    }
}
