using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace EdgeLm;

/// <summary>
/// Writes records as CSV or JSON Lines with property names exactly as declared (records.md), the same
/// shapes Export-Csv and ConvertTo-Json give in PowerShell.
/// </summary>
public static class RecordText
{
    // Relaxed escaping: JSON Lines for files and pipes, not HTML, so '+' and '<' stay readable.
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IReadOnlyList<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0).ToArray();

    /// <summary>A record's names and values in order: its properties, or a flat record's run-time fields.</summary>
    public static IReadOnlyList<KeyValuePair<string, object?>> FieldsOf(object record) => record is IFlatRecord flat
        ? flat.Fields
        : Properties(record.GetType()).Select(p => new KeyValuePair<string, object?>(p.Name, p.GetValue(record))).ToArray();

    public static string ToJsonLine(object record)
    {
        if (record is not IFlatRecord flat)
        {
            return JsonSerializer.Serialize(record, record.GetType(), Json);
        }

        var node = new System.Text.Json.Nodes.JsonObject();
        foreach ((string name, object? value) in flat.Fields)
        {
            node[name] = value is null ? null : JsonSerializer.SerializeToNode(value, value.GetType(), Json);
        }

        return node.ToJsonString(Json);
    }

    public static string CsvHeader(Type type) => string.Join(",", Properties(type).Select(p => CsvField(p.Name)));

    public static string CsvHeader(object record) => string.Join(",", FieldsOf(record).Select(f => CsvField(f.Key)));

    public static string ToCsvLine(object record) =>
        string.Join(",", FieldsOf(record).Select(f => CsvField(Invariant(f.Value))));

    /// <summary>A value as invariant text: "" for null, round-trippable numbers, lower-case booleans as PowerShell writes them.</summary>
    public static string Invariant(object? value) => value switch
    {
        null => string.Empty,
        bool b => b ? "True" : "False",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string CsvField(string text)
    {
        if (text.IndexOfAny(new[] { ',', '"', '\n', '\r' }) < 0)
        {
            return text;
        }

        return new StringBuilder("\"").Append(text.Replace("\"", "\"\"")).Append('"').ToString();
    }
}
