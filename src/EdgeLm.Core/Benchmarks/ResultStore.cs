using System.Text;
using System.Text.Json;

namespace EdgeLm.Core.Benchmarks;

/// <summary>
/// The append-only JSONL results file: one record per completed run, written whole, flushed and synced to disk
/// before the next run starts, so a benchmark killed at any moment loses at most the run in progress. On open, a
/// last line cut short by a kill is removed (and reported); any other line that is not a record refuses the file,
/// untouched; every complete record's RunKey is known for -Resume.
/// </summary>
internal sealed class ResultStore : IDisposable
{
    private readonly FileStream _stream;

    private ResultStore(string path, FileStream stream, HashSet<string> keys, HashSet<(string, string)> deviceKeys,
        Dictionary<string, HashSet<QualityFigures>> quality, int records, string? repaired)
    {
        Path = path;
        _stream = stream;
        Keys = keys;
        DeviceKeys = deviceKeys;
        Quality = quality;
        Records = records;
        Repaired = repaired;
    }

    public string Path { get; }

    /// <summary>RunKeys of the records already in the file.</summary>
    public IReadOnlySet<string> Keys { get; }

    /// <summary>(DeviceName, RunKey) of the records already in the file: a fleet's file holds each run once per board.</summary>
    public IReadOnlySet<(string DeviceName, string RunKey)> DeviceKeys { get; }

    /// <summary>The quality figures of the records already in the file, by ModelPath (for -Resume: measured once per model).</summary>
    public IReadOnlyDictionary<string, HashSet<QualityFigures>> Quality { get; }

    public int Records { get; private set; }

    /// <summary>What was removed from the end of the file on open, if anything.</summary>
    public string? Repaired { get; }

    /// <summary>Opens for appending. Without <paramref name="resume"/> an existing non-empty file is refused rather than mixed into.</summary>
    public static ResultStore Open(string path, bool resume)
    {
        string full = System.IO.Path.GetFullPath(path);
        FileKind kind = InputFiles.KindOf(full);
        if (kind is not (FileKind.Regular or FileKind.Missing))
        {
            throw new EdgeLmInvalidFileException(full, "NotARegularFile",
                $"{full} is {InputFiles.Describe(kind)}; results are written only to a regular file: name a .jsonl file");
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var stream = new FileStream(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            if (stream.Length > 0 && !resume)
            {
                throw new EdgeLmInvalidFileException(full, "ResultsExist", $"{full} already holds results; use -Resume (--resume) to continue that benchmark, or another output file");
            }

            var keys = new HashSet<string>(StringComparer.Ordinal);
            var deviceKeys = new HashSet<(string, string)>();
            var quality = new Dictionary<string, HashSet<QualityFigures>>(StringComparer.Ordinal);
            (long goodLength, int records, string? repaired) = Scan(stream, full, keys, deviceKeys, quality);
            if (goodLength < stream.Length)
            {
                stream.SetLength(goodLength);
                stream.Flush(flushToDisk: true);
            }

            stream.Seek(0, SeekOrigin.End);
            return new ResultStore(full, stream, keys, deviceKeys, quality, records, repaired);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public void Append(InferenceResult result)
    {
        byte[] line = Encoding.UTF8.GetBytes(RecordText.ToJsonLine(result) + "\n");
        _stream.Write(line);
        _stream.Flush(flushToDisk: true);
        Records++;
    }

    public void Dispose() => _stream.Dispose();

    // Complete lines are kept; a final line without its newline, or one that is not a record, is a run cut short.
    private static (long GoodLength, int Records, string? Repaired) Scan(FileStream stream, string file, HashSet<string> keys,
        HashSet<(string, string)> deviceKeys, Dictionary<string, HashSet<QualityFigures>> quality)
    {
        stream.Seek(0, SeekOrigin.Begin);
        byte[] content = new byte[stream.Length];
        stream.ReadExactly(content);
        if (ResultsFileText.Why(content.AsSpan(0, Math.Min(content.Length, 64 * 1024))) is string why)
        {
            // A gzip or binary file named as the output is no benchmark cut short: say what it is, not "line 1".
            throw new EdgeLmInvalidFileException(file, "ResultsCorrupt", $"{file} {why}; it was left untouched: name another output file");
        }

        long good = 0;
        int records = 0;
        int lineNumber = 0;
        int start = 0;
        while (start < content.Length)
        {
            int end = Array.IndexOf(content, (byte)'\n', start);
            lineNumber++;
            if (end < 0)
            {
                // Only the start of one of our records, cut by a kill mid-write, is removed: anything else is not ours.
                if (!content.AsSpan(start).StartsWith(RecordStart))
                {
                    throw NotOurs(file, lineNumber);
                }

                return (good, records, $"removed an incomplete last line (line {lineNumber}, {content.Length - start} bytes): a run cut short");
            }

            string line = Encoding.UTF8.GetString(content, start, end - start).Trim();
            if (line.Length > 0)
            {
                InferenceResult? record = TryParse(line);
                if (record is null)
                {
                    throw NotOurs(file, lineNumber);
                }

                records++;
                if (!string.IsNullOrEmpty(record.RunKey))
                {
                    keys.Add(record.RunKey);
                    deviceKeys.Add((record.DeviceName, record.RunKey));
                }

                if (QualityFigures.From(record) is { } figures)
                {
                    (quality.TryGetValue(record.ModelPath, out HashSet<QualityFigures>? known) ? known : quality[record.ModelPath] = new()).Add(figures);
                }
            }

            good = end + 1;
            start = end + 1;
        }

        return (good, records, null);
    }

    // Every record starts with its RunId (RecordText writes properties in declaration order).
    private static ReadOnlySpan<byte> RecordStart => "{\"RunId\":"u8;

    // A line is ours when it is a JSON record with a RunId: `{}` or another tool's JSON object is not.
    internal static InferenceResult? TryParse(string line)
    {
        try
        {
            InferenceResult? record = JsonSerializer.Deserialize(line, RecordJson.Text.InferenceResult);
            return string.IsNullOrEmpty(record?.RunId) ? null : record;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static EdgeLmInvalidFileException NotOurs(string file, int lineNumber) =>
        new(file, "ResultsCorrupt", $"{file} line {lineNumber} is not an EdgeLm record, so the file is not an EdgeLm results file (or was edited); " +
            "it was left untouched: name another output file, or repair or remove that line");
}
