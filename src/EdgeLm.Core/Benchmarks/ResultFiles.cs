using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace EdgeLm.Core.Benchmarks;

/// <summary>Results files: JSONL (what benchmarks write) and CSV (what Export-Csv writes) in, JSONL, CSV and Markdown out.</summary>
public static class ResultFiles
{
    private static readonly IReadOnlySet<string> Identifying = new HashSet<string>(StringComparer.Ordinal)
    {
        "RunId", "Timestamp", "RunKey", "ModelSha256", "ModelPath", "Output",
    };

    /// <summary>Records from a .jsonl/.json or .csv file; a bad line is an error naming the file and line.</summary>
    public static IReadOnlyList<InferenceResult> Import(string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new EdgeLmInvalidFileException(full, "FileNotFound", $"{full}: no such results file");
        }

        return full.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? ImportCsv(full) : ImportJsonLines(full);
    }

    private static IReadOnlyList<InferenceResult> ImportJsonLines(string file)
    {
        var results = new List<InferenceResult>();
        int number = 0;
        foreach (string line in File.ReadLines(file))
        {
            number++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            try
            {
                results.Add(JsonSerializer.Deserialize<InferenceResult>(line) ?? throw new JsonException("null"));
            }
            catch (JsonException e)
            {
                throw new EdgeLmInvalidFileException(file, "ResultsCorrupt", $"{file} line {number} is not an InferenceResult: {e.Message}");
            }
        }

        return results;
    }

    private static IReadOnlyList<InferenceResult> ImportCsv(string file)
    {
        List<string[]> rows = ReadCsv(File.ReadAllText(file));
        if (rows.Count == 0)
        {
            return Array.Empty<InferenceResult>();
        }

        PropertyInfo?[] properties = rows[0].Select(h => typeof(InferenceResult).GetProperty(h)).ToArray();
        var results = new List<InferenceResult>();
        for (int i = 1; i < rows.Count; i++)
        {
            string[] cells = rows[i];
            if (cells.Length == 1 && cells[0].Length == 0)
            {
                continue;
            }

            var result = new InferenceResult();
            for (int c = 0; c < Math.Min(cells.Length, properties.Length); c++)
            {
                if (properties[c] is PropertyInfo property && property.CanWrite)
                {
                    try
                    {
                        property.SetValue(result, cells[c].Length == 0 && NullableText(property) ? null : Convert(cells[c], property.PropertyType));
                    }
                    catch (FormatException)
                    {
                        throw new EdgeLmInvalidFileException(file, "ResultsCorrupt", $"{file} record {i}: '{cells[c]}' is not a {property.Name}");
                    }
                }
            }

            results.Add(result);
        }

        return results;
    }

    // An empty CSV cell is null for string? properties (EnergySource, ...), and "" for plain strings.
    private static bool NullableText(PropertyInfo property) =>
        property.PropertyType == typeof(string) && new NullabilityInfoContext().Create(property).WriteState == NullabilityState.Nullable;

    private static object? Convert(string text, Type type)
    {
        Type target = Nullable.GetUnderlyingType(type) ?? type;
        if (text.Length == 0)
        {
            return type == typeof(string) ? string.Empty : Nullable.GetUnderlyingType(type) is not null ? null : Activator.CreateInstance(target);
        }

        return target == typeof(string) ? text
            : target == typeof(bool) ? bool.Parse(text)
            : System.Convert.ChangeType(text, target, CultureInfo.InvariantCulture);
    }

    // RFC 4180 as Export-Csv and RecordText write it: quoted fields may hold commas, doubled quotes and newlines.
    private static List<string[]> ReadCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else cell.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { row.Add(cell.ToString()); cell.Clear(); }
            else if (ch == '\r') { }
            else if (ch == '\n')
            {
                row.Add(cell.ToString());
                cell.Clear();
                rows.Add(row.ToArray());
                row.Clear();
            }
            else cell.Append(ch);
        }

        if (cell.Length > 0 || row.Count > 0)
        {
            row.Add(cell.ToString());
            rows.Add(row.ToArray());
        }

        return rows;
    }

    public static void WriteJsonLines(IEnumerable<object> records, TextWriter writer)
    {
        foreach (object record in records)
        {
            writer.WriteLine(RecordText.ToJsonLine(record));
        }
    }

    public static void WriteCsv(IEnumerable<object> records, TextWriter writer)
    {
        bool header = false;
        foreach (object record in records)
        {
            if (!header)
            {
                writer.WriteLine(RecordText.CsvHeader(record));
                header = true;
            }

            writer.WriteLine(RecordText.ToCsvLine(record));
        }
    }

    /// <summary>
    /// A Markdown table of the columns whose values differ between records (what a reader compares), leaving out
    /// identifiers and free text; one column when nothing varies.
    /// </summary>
    public static void WriteMarkdown(IReadOnlyList<object> records, TextWriter writer)
    {
        if (records.Count == 0)
        {
            return;
        }

        IReadOnlyList<KeyValuePair<string, object?>>[] rows = records.Select(RecordText.FieldsOf).ToArray();
        string[] names = rows[0].Select(f => f.Key).ToArray();
        string[] varying = names.Where(n => !Identifying.Contains(n) &&
            rows.Select(r => Cell(r.FirstOrDefault(f => f.Key == n).Value)).Distinct().Count() > 1).ToArray();
        if (varying.Length == 0)
        {
            varying = names.Take(1).ToArray();
        }

        writer.WriteLine("| " + string.Join(" | ", varying) + " |");
        writer.WriteLine("|" + string.Concat(varying.Select(_ => "---|")));
        foreach (IReadOnlyList<KeyValuePair<string, object?>> row in rows)
        {
            writer.WriteLine("| " + string.Join(" | ", varying.Select(n => Cell(row.FirstOrDefault(f => f.Key == n).Value).Replace("|", "\\|"))) + " |");
        }
    }

    private static string Cell(object? value) => value switch
    {
        double d => d.ToString(Math.Abs(d) >= 100 ? "0.0" : "0.###", CultureInfo.InvariantCulture),
        _ => RecordText.Invariant(value).ReplaceLineEndings(" "),
    };
}
