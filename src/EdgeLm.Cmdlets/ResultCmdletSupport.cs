using System.Collections;
using System.Management.Automation;
using EdgeLm.Core;
using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Cmdlets;

/// <summary>What the result cmdlets share: reading files, accepting results in several shapes, flat records as PSObjects.</summary>
internal static class ResultCmdletSupport
{
    /// <summary>
    /// A typed flat record (BenchmarkSummary, ResultComparison) as PowerShell sees it: the object itself, so its
    /// typed properties complete and sort (its class name is the type name its format view selects on), plus a
    /// note property for each column that is not one of its properties (a -GroupBy key outside the defaults).
    /// </summary>
    public static PSObject ToPSObject(IFlatRecord record)
    {
        var result = new PSObject(record);
        Type type = record.GetType();
        foreach ((string name, object? value) in record.Fields)
        {
            if (type.GetProperty(name) is null)
            {
                result.Properties.Add(new PSNoteProperty(name, value));
            }
        }

        if (result.TypeNames[0] != record.TypeName)
        {
            result.TypeNames.Insert(0, record.TypeName);
        }

        return result;
    }

    public static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

    /// <summary>True for a record of EdgeLm's own (InferenceResult, DeviceProfile, BenchmarkSummary, ...).</summary>
    public static bool IsEdgeLmRecord(object value) =>
        value.GetType().Assembly == typeof(InferenceResult).Assembly && value is not IEnumerable;

    /// <summary>
    /// The names and values of a row: a PSObject's properties (Import-Csv rows, deserialized objects, Select-Object
    /// output) or a dictionary's entries; null when <paramref name="value"/> is neither.
    /// </summary>
    public static List<KeyValuePair<string, object?>>? RowFields(object value)
    {
        if (Unwrap(value) is IDictionary dictionary)
        {
            var entries = new List<KeyValuePair<string, object?>>();
            foreach (DictionaryEntry entry in dictionary)
            {
                entries.Add(new(Unwrap(entry.Key)?.ToString() ?? string.Empty, Unwrap(entry.Value)));
            }

            return entries;
        }

        if (value is not PSObject row || row.BaseObject is not PSCustomObject)
        {
            return null;
        }

        return Properties(row);
    }

    /// <summary>Every property of an object as PowerShell sees it, values unwrapped; one that cannot be read is an error naming it.</summary>
    public static List<KeyValuePair<string, object?>> Properties(PSObject value)
    {
        var fields = new List<KeyValuePair<string, object?>>();
        foreach (PSPropertyInfo property in value.Properties)
        {
            object? read;
            try
            {
                read = Unwrap(property.Value);
            }
            catch (Exception e) when (e is GetValueException or ExtendedTypeSystemException)
            {
                throw new EdgeLmInvalidResultException("InvalidResultValue", $"{property.Name} cannot be read: {e.Message}");
            }

            fields.Add(new(property.Name, read));
        }

        return fields;
    }

    private static readonly HashSet<string> ResultTypeNames = new(StringComparer.Ordinal)
    {
        "EdgeLm.InferenceResult", "Deserialized.EdgeLm.InferenceResult", "CSV:EdgeLm.InferenceResult", "CSV:Deserialized.EdgeLm.InferenceResult",
    };

    /// <summary>
    /// True when a row says it is a result: InferenceResult's type name as remoting, Import-Clixml or Import-Csv
    /// (from Export-Csv -IncludeTypeInformation) give it, or a RunId. Select-Object's "Selected." rows without a
    /// RunId are a choice of columns, not a result.
    /// </summary>
    public static bool LooksLikeResult(object value, IReadOnlyList<KeyValuePair<string, object?>> fields) =>
        (value is PSObject ps && ps.TypeNames.Count > 0 && ResultTypeNames.Contains(ps.TypeNames[0])) ||
        fields.Any(f => string.Equals(f.Key, "RunId", StringComparison.OrdinalIgnoreCase));

    /// <summary>The type name PowerShell shows for a value (TypeNames[0]).</summary>
    public static string TypeNameOf(object value) =>
        value is PSObject ps && ps.TypeNames.Count > 0 ? ps.TypeNames[0] : value.GetType().FullName ?? value.GetType().Name;
}

/// <summary>
/// Results given to a cmdlet in any shape: InferenceResult objects, results files (paths or files, where the
/// parameter takes them), and rows that carry a result's properties by name (Import-Csv, Import-Clixml,
/// remoting, hashtables), converted by <see cref="ResultConversion"/>, the rules results files are read with.
/// Anything that is no result is a non-terminating error naming the input and what is wrong; the rest go on.
/// </summary>
internal sealed class ResultInputs
{
    private readonly PSCmdlet _cmdlet;
    private readonly string _what;
    private int _count;

    /// <param name="what">How errors name an input: "input", "-Baseline item", ...</param>
    public ResultInputs(PSCmdlet cmdlet, string what = "input")
    {
        _cmdlet = cmdlet;
        _what = what;
    }

    public List<InferenceResult> Results { get; } = new();

    /// <summary>One pipeline item or parameter value; collections are taken item by item.</summary>
    public void Add(object? input, bool allowPaths = false)
    {
        object? value = ResultCmdletSupport.Unwrap(input);
        switch (value)
        {
            case null:
                return;
            case InferenceResult result:
                _count++;
                Results.Add(result);
                return;
            case string or FileInfo when allowPaths:
                _count++;
                AddFile(value is FileInfo file ? file.FullName : _cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath((string)value));
                return;
            case string text:
                _count++;
                Refuse(input!, new EdgeLmInvalidResultException("NotAResult",
                    $"'{text}' is text, not a result; pipe results (Import-EdgeResult, Import-Csv) or give results files with -Path"));
                return;
            case IEnumerable many and not IDictionary:
                foreach (object? item in many)
                {
                    Add(item, allowPaths);
                }

                return;
        }

        _count++;
        try
        {
            // Rows by their properties; EdgeLm's other records too, so that a summary is named as one.
            List<KeyValuePair<string, object?>> fields = ResultCmdletSupport.RowFields(input!)
                ?? (ResultCmdletSupport.IsEdgeLmRecord(value) ? ResultCmdletSupport.Properties(PSObject.AsPSObject(input!))
                    : throw new EdgeLmInvalidResultException("NotAResult", "not a result; pipe results (Import-EdgeResult, Import-Csv) or rows with their properties"));
            Results.Add(ResultConversion.FromFields(fields));
        }
        catch (EdgeLmInvalidResultException e)
        {
            Refuse(input!, e);
        }
    }

    /// <summary>Results files given by path: a bad line is an error naming its file and line; the good lines are kept.</summary>
    public void AddFiles(IEnumerable<string>? paths)
    {
        foreach (string path in paths ?? Array.Empty<string>())
        {
            AddFile(_cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path));
        }
    }

    private void AddFile(string file)
    {
        try
        {
            foreach (ResultFileEntry entry in ResultFiles.Read(file))
            {
                if (entry.Result is not null)
                {
                    Results.Add(entry.Result);
                }
                else
                {
                    _cmdlet.WriteError(EdgeLmCmdlet.ToErrorRecord(entry.Error!, file));
                }
            }
        }
        catch (EdgeLmException e)
        {
            _cmdlet.WriteError(EdgeLmCmdlet.ToErrorRecord(e, file));
        }
    }

    private void Refuse(object input, EdgeLmInvalidResultException e)
    {
        object value = ResultCmdletSupport.Unwrap(input)!;
        string runId = string.Empty;
        try
        {
            runId = value is string ? string.Empty
                : (ResultCmdletSupport.RowFields(input) ?? new()).FirstOrDefault(f => string.Equals(f.Key, "RunId", StringComparison.OrdinalIgnoreCase)).Value?.ToString() ?? string.Empty;
        }
        catch (EdgeLmInvalidResultException)
        {
            // A row whose properties cannot all be read is named by its position alone.
        }

        string type = ResultCmdletSupport.TypeNameOf(input);
        string about = value is PSCustomObject or IDictionary
            ? runId.Length > 0 ? $" (RunId {runId})" : string.Empty
            : $" ({type})";
        var described = new EdgeLmInvalidResultException(e.ErrorId, $"{_what} {_count}{about}: {e.Message}");
        _cmdlet.WriteError(EdgeLmCmdlet.ToErrorRecord(described, input));
    }
}
