
// In namespace EdgeLm (like RecordText), so that all of EdgeLm's code finds these without a using directive.
namespace EdgeLm;

/// <summary><see cref="IFlatRecord"/>'s columns and type name as properties, for C# (PowerShell does not see these).</summary>
public static class FlatRecordExtensions
{
    extension(IFlatRecord record)
    {
        /// <summary>The record's columns in order.</summary>
        public IReadOnlyList<KeyValuePair<string, object?>> Fields => record.GetFields();

        /// <summary>The PowerShell type name (for format views).</summary>
        public string TypeName => record.GetTypeName();
    }
}
