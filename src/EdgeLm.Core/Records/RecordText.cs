using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace EdgeLm;

/// <summary>
/// Writes records as CSV or JSON Lines with property names exactly as declared (records.md), the same
/// shapes Export-Csv and ConvertTo-Json give in PowerShell.
/// </summary>
public static class RecordText
{
    public static IReadOnlyList<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0).ToArray();

    /// <summary>A record's names and values in order: its properties, or a flat record's run-time fields.</summary>
    public static IReadOnlyList<KeyValuePair<string, object?>> FieldsOf(object record) => record is IFlatRecord flat
        ? flat.Fields
        : Properties(record.GetType()).Select(p => new KeyValuePair<string, object?>(p.Name, p.GetValue(record))).ToArray();

    /// <summary>
    /// One line of JSON: a record of this layer by its generated contract (<see cref="RecordJson"/>); a flat record,
    /// or a record of a layer above (a budget verdict), as its fields in order, each value by its scalar contract.
    /// </summary>
    public static string ToJsonLine(object record)
    {
        RecordJson json = RecordJson.Text;
        if (record is not IFlatRecord && json.GetTypeInfo(record.GetType()) is { Kind: JsonTypeInfoKind.Object } contract)
        {
            return JsonSerializer.Serialize(record, contract);
        }

        var node = new JsonObject();
        foreach ((string name, object? value) in FieldsOf(record))
        {
            node[name] = value is null ? null : JsonSerializer.SerializeToNode(value, ScalarContract(json, value.GetType()));
        }

        return node.ToJsonString(json.Options);
    }

    private static JsonTypeInfo ScalarContract(RecordJson json, Type type) =>
        json.GetTypeInfo(type) is { Kind: JsonTypeInfoKind.None } contract
            ? contract
            : throw new NotSupportedException($"a record field holds a {type.FullName}; record fields hold single values (text, numbers, booleans, times)");

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
