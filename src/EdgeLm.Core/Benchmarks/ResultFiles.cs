using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EdgeLm.Core.Benchmarks;

/// <summary>One record of a results file: the result, or why that line is none.</summary>
public sealed record ResultFileEntry(InferenceResult? Result, EdgeLmInvalidFileException? Error);

/// <summary>Results files: JSONL (what benchmarks write) and CSV (what Export-Csv writes) in, JSONL, CSV and Markdown out.</summary>
public static class ResultFiles
{
    private static readonly IReadOnlySet<string> Identifying = new HashSet<string>(StringComparer.Ordinal)
    {
        nameof(InferenceResult.RunId), nameof(InferenceResult.Timestamp), nameof(InferenceResult.RunKey),
        nameof(InferenceResult.ModelSha256), nameof(InferenceResult.ModelPath), nameof(InferenceResult.Output),
    };

    /// <summary>
    /// Records from a .jsonl/.json or .csv file, all or nothing: the first line that is no result is an error
    /// naming the file and line (what the CLI wants). <see cref="Read"/> keeps the good lines instead.
    /// </summary>
    public static IReadOnlyList<InferenceResult> Import(string path)
    {
        var results = new List<InferenceResult>();
        foreach (ResultFileEntry entry in Read(path))
        {
            results.Add(entry.Result ?? throw entry.Error!);
        }

        return results;
    }

    /// <summary>
    /// Each record of a results file in order, or the error for a line that is none (named by file and line), so
    /// that one bad line loses no result before or after it. A missing file, or a CSV whose header lacks what
    /// every result has, throws: no line of it could be a result.
    /// </summary>
    public static IEnumerable<ResultFileEntry> Read(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new EdgeLmArgumentException("ResultsPathEmpty", $"the results file's path is '{path}'; name a .jsonl or .csv file");
        }

        string full = Path.GetFullPath(path);
        InputFiles.RequireRegular(full, "results file");
        ResultsFileText.RequireText(full);
        return full.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? ReadCsvFile(full) : ReadJsonLines(full);
    }

    // A record is a few kilobytes (its Output text the most); 64 MiB is far beyond one. A CSV export is read whole.
    private const int MaxRecordChars = 64 << 20;
    private const long MaxCsvBytes = 1L << 30;

    private static IEnumerable<ResultFileEntry> ReadJsonLines(string file)
    {
        int number = 0;
        foreach (string line in InputFiles.ReadLines(file, MaxRecordChars, "results file"))
        {
            number++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            yield return JsonLine(file, number, line);
        }
    }

    private static ResultFileEntry JsonLine(string file, int number, string line)
    {
        List<KeyValuePair<string, object?>> fields;
        try
        {
            fields = JsonFields(line);
        }
        catch (JsonException e)
        {
            // System.Text.Json counts lines within the one line it was given; say the file's line and the column.
            string reason = System.Text.RegularExpressions.Regex.Replace(e.Message, @"\s*LineNumber: \d+ \| BytePositionInLine: \d+\.$", string.Empty);
            string column = e.BytePositionInLine is long position ? $", column {position + 1}" : string.Empty;
            return Bad(file, "ResultsCorrupt", $"{file} line {number}{column} is not a JSON record: {reason}");
        }

        return Entry(file, number, fields);
    }

    private static ResultFileEntry Entry(string file, int line, IEnumerable<KeyValuePair<string, object?>> fields, Func<string, string?>? columns = null)
    {
        try
        {
            return new ResultFileEntry(ResultConversion.FromFields(fields, columns), null);
        }
        catch (EdgeLmInvalidResultException e)
        {
            return Bad(file, e.ErrorId, $"{file} line {line}: {e.Message}");
        }
    }

    // A JSON object's members as names and scalar values: numbers keep their text (parsed by the result's rules).
    private static List<KeyValuePair<string, object?>> JsonFields(string line)
    {
        using JsonDocument document = JsonDocument.Parse(line);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object");
        }

        var fields = new List<KeyValuePair<string, object?>>();
        foreach (JsonProperty property in document.RootElement.EnumerateObject())
        {
            object? value = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number => property.Value.GetRawText(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Null => null,
                _ => property.Value.Clone(),
            };
            fields.Add(new(property.Name, value));
        }

        return fields;
    }

    private static IEnumerable<ResultFileEntry> ReadCsvFile(string file)
    {
        // A UTF-8 byte order mark (Excel's "CSV UTF-8", Export-Csv -Encoding utf8BOM) is no part of the first name.
        List<(int Line, string[] Cells)> rows = ReadCsv(InputFiles.ReadText(file, MaxCsvBytes, "CSV results file").TrimStart('\uFEFF'));
        if (rows.Count == 0)
        {
            yield break;
        }

        // Export-Csv -IncludeTypeInformation (and Windows PowerShell's default) writes a #TYPE line first.
        if (rows[0].Cells is [string type] && type.StartsWith("#TYPE", StringComparison.Ordinal))
        {
            rows.RemoveAt(0);
            if (rows.Count == 0)
            {
                yield break;
            }
        }

        string[] header = rows[0].Cells;
        string[] missing = ResultConversion.Required.Where(n => !header.Contains(n, StringComparer.OrdinalIgnoreCase)).ToArray();
        if (missing.Length > 0)
        {
            if (ResultsFileText.OtherDelimiter(header) is char delimiter)
            {
                throw new EdgeLmInvalidFileException(file, "CsvDelimiter",
                    $"{file} is delimited by {ResultsFileText.Name(delimiter)}; EdgeLm reads comma-separated files (as Export-Csv writes them without -Delimiter or -UseCulture): " +
                    "write it again with Export-EdgeResult or edgelm export --to csv, or with Export-Csv and no -Delimiter or -UseCulture");
            }

            throw new EdgeLmInvalidFileException(file, "NotAResult", $"{file} holds no results: {ResultConversion.NotAResultMessage(header, missing)}");
        }

        // A refused value is named with its column (1 the first), as a spreadsheet shows it.
        var byName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int c = 0; c < header.Length; c++)
        {
            byName.TryAdd(header[c], c + 1);
        }

        Func<string, string?> columns = name => byName.TryGetValue(name, out int column) ? $"column {column}" : null;
        for (int i = 1; i < rows.Count; i++)
        {
            (int line, string[] cells) = rows[i];
            if (cells.Length == 1 && cells[0].Length == 0)
            {
                continue;
            }

            if (cells.Length != header.Length)
            {
                yield return Bad(file, "ResultsCorrupt", $"{file} line {line} has {cells.Length} fields where the header has {header.Length}");
                continue;
            }

            yield return Entry(file, line, header.Select((name, c) => new KeyValuePair<string, object?>(name, cells[c])), columns);
        }
    }

    private static ResultFileEntry Bad(string file, string errorId, string message) =>
        new(null, new EdgeLmInvalidFileException(file, errorId, message));

    // RFC 4180 as Export-Csv and RecordText write it: quoted fields may hold commas, doubled quotes and newlines.
    // Each row comes with the line it starts on.
    private static List<(int Line, string[] Cells)> ReadCsv(string text)
    {
        var rows = new List<(int, string[])>();
        var row = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false;
        int line = 1, rowLine = 1;
        for (int i = 0; i < text.Length; i++)
        {
            char ch = text[i];
            if (ch == '\n')
            {
                line++;
            }

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
                rows.Add((rowLine, row.ToArray()));
                row.Clear();
                rowLine = line;
            }
            else cell.Append(ch);
        }

        if (cell.Length > 0 || row.Count > 0)
        {
            row.Add(cell.ToString());
            rows.Add((rowLine, row.ToArray()));
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

    /// <summary>
    /// CSV with one column per name any record has, in the order first seen, each row filled by name: records of
    /// different shapes (results beside summaries, summaries grouped differently) never shift a value into
    /// another column. Values as <see cref="RecordText.Invariant"/> writes them.
    /// </summary>
    public static void WriteCsv(IEnumerable<object> records, TextWriter writer)
    {
        IReadOnlyList<KeyValuePair<string, object?>>[] rows = records.Select(RecordText.FieldsOf).ToArray();
        if (rows.Length == 0)
        {
            return;
        }

        string[] names = Columns(rows);
        writer.WriteLine(string.Join(",", names.Select(CsvField)));
        foreach (IReadOnlyList<KeyValuePair<string, object?>> row in rows)
        {
            Dictionary<string, object?> byName = ByName(row);
            writer.WriteLine(string.Join(",", names.Select(n => CsvField(byName.TryGetValue(n, out object? v) ? RecordText.Invariant(v) : string.Empty))));
        }
    }

    /// <summary>
    /// A Markdown report. One record: a Property | Value table of all its properties. Several: a table of the
    /// columns whose values differ between records (what a reader compares; identifiers and free text left out),
    /// then the columns that are the same in every row, with their value, so nothing measured is lost.
    /// </summary>
    public static void WriteMarkdown(IReadOnlyList<object> records, TextWriter writer)
    {
        if (records.Count == 0)
        {
            return;
        }

        IReadOnlyList<KeyValuePair<string, object?>>[] rows = records.Select(RecordText.FieldsOf).ToArray();
        Dictionary<string, object?>[] byName = rows.Select(ByName).ToArray();
        string[] names = Columns(rows);
        string CellOf(Dictionary<string, object?> row, string name) => row.TryGetValue(name, out object? v) ? Cell(v) : string.Empty;

        if (rows.Length == 1)
        {
            WriteTable(writer, new[] { "Property", "Value" }, names.Select(n => new[] { n, CellOf(byName[0], n) }));
            return;
        }

        string[] varying = names.Where(n => byName.Select(r => CellOf(r, n)).Distinct().Count() > 1).ToArray();
        string[] shown = varying.Where(n => !Identifying.Contains(n)).ToArray();
        if (shown.Length == 0)
        {
            shown = names.Take(1).ToArray();
        }

        WriteTable(writer, shown, byName.Select(r => shown.Select(n => CellOf(r, n)).ToArray()));
        string[] same = names.Where(n => !varying.Contains(n) && !shown.Contains(n) && CellOf(byName[0], n).Length > 0).ToArray();
        if (same.Length > 0)
        {
            writer.WriteLine();
            writer.WriteLine($"The same in all {rows.Length} rows:");
            writer.WriteLine();
            WriteTable(writer, new[] { "Property", "Value" }, same.Select(n => new[] { n, CellOf(byName[0], n) }));
        }
    }

    private static void WriteTable(TextWriter writer, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        writer.WriteLine("| " + string.Join(" | ", header) + " |");
        writer.WriteLine("|" + string.Concat(header.Select(_ => "---|")));
        foreach (IReadOnlyList<string> row in rows)
        {
            writer.WriteLine("| " + string.Join(" | ", row.Select(c => c.Replace("|", "\\|"))) + " |");
        }
    }

    // Every name any row has, in the order first seen.
    private static string[] Columns(IEnumerable<IReadOnlyList<KeyValuePair<string, object?>>> rows)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return rows.SelectMany(r => r.Select(f => f.Key)).Where(seen.Add).ToArray();
    }

    private static Dictionary<string, object?> ByName(IReadOnlyList<KeyValuePair<string, object?>> row)
    {
        var byName = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach ((string name, object? value) in row)
        {
            byName.TryAdd(name, value);
        }

        return byName;
    }

    private static string CsvField(string text) =>
        text.IndexOfAny(new[] { ',', '"', '\n', '\r' }) < 0 ? text : "\"" + text.Replace("\"", "\"\"") + "\"";

    private static string Cell(object? value) => value switch
    {
        double d => d.ToString(Math.Abs(d) >= 100 ? "0.0" : "0.###", CultureInfo.InvariantCulture),
        _ => RecordText.Invariant(value).ReplaceLineEndings(" "),
    };
}
