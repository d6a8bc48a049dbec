namespace EdgeLm.Core.Benchmarks;

/// <summary>
/// A record whose columns are known only at run time (a summary's grouping keys): ordered names and scalar values,
/// written flat by the CLI and turned into a PSObject of the same shape by the cmdlets.
/// </summary>
public interface IFlatRecord
{
    /// <summary>The PowerShell type name (for format views), such as EdgeLm.BenchmarkSummary.</summary>
    string TypeName { get; }

    IReadOnlyList<KeyValuePair<string, object?>> Fields { get; }
}
