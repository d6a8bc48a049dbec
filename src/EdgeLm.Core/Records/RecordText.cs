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
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead).ToArray();

    public static string ToJsonLine(object record) => JsonSerializer.Serialize(record, record.GetType(), Json);

    public static string CsvHeader(Type type) => string.Join(",", Properties(type).Select(p => CsvField(p.Name)));

    public static string ToCsvLine(object record) =>
        string.Join(",", Properties(record.GetType()).Select(p => CsvField(Invariant(p.GetValue(record)))));

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
