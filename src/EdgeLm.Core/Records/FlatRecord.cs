namespace EdgeLm;

/// <summary>
/// A record whose columns are known only at run time (a summary's grouping keys): ordered names and scalar values,
/// written flat by the CLI and Export-EdgeResult. Methods, not properties: PowerShell shows a public interface's
/// properties as properties of every object implementing it, and a summary's properties must be its columns alone
/// (Export-Csv, Format-List *). C# reads them as record.Fields and record.TypeName (<see cref="FlatRecordExtensions"/>).
/// </summary>
public interface IFlatRecord
{
    /// <summary>The PowerShell type name (for format views), such as EdgeLm.BenchmarkSummary.</summary>
    string GetTypeName();

    /// <summary>The columns in order.</summary>
    IReadOnlyList<KeyValuePair<string, object?>> GetFields();
}

/// <summary>A flat record of given columns: a row from PowerShell (Import-Csv, deserialized objects) to export.</summary>
public sealed class FlatRow : IFlatRecord
{
    private readonly string _typeName;
    private readonly IReadOnlyList<KeyValuePair<string, object?>> _fields;

    public FlatRow(string typeName, IReadOnlyList<KeyValuePair<string, object?>> fields)
    {
        _typeName = typeName;
        _fields = fields;
    }

    public string GetTypeName() => _typeName;

    public IReadOnlyList<KeyValuePair<string, object?>> GetFields() => _fields;
}
