using System.Buffers;
using System.Text.Unicode;

namespace EdgeLm.Core.Benchmarks;

/// <summary>
/// What a results file is when it is not the UTF-8 text of JSON Lines or comma-separated values: compressed, an
/// archive (an Excel workbook), UTF-16, binary, or CSV with another delimiter. Said once for the whole file, so such a
/// file is never "no results" or a page of per-line JSON errors.
/// </summary>
internal static class ResultsFileText
{
    // The head of a file shows what it is; a record is a few kilobytes.
    private const int SniffBytes = 64 * 1024;

    /// <summary>Refuses a file that is not UTF-8 text, naming what it is instead and what to do.</summary>
    public static void RequireText(string file)
    {
        byte[] head = new byte[SniffBytes];
        int length;
        using (FileStream stream = InputFiles.OpenRegular(file, "results file"))
        {
            length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        if (Why(head.AsSpan(0, length)) is string why)
        {
            throw new EdgeLmInvalidFileException(file, "ResultsNotText", $"{file} {why}");
        }
    }

    /// <summary>Why bytes that begin a file are not UTF-8 text ("is gzip-compressed; ..."), or null when they are.</summary>
    internal static string? Why(ReadOnlySpan<byte> head)
    {
        const string Expected = "a results file is UTF-8 text: JSON Lines (.jsonl) or comma-separated values (.csv)";
        if (head.StartsWith(new byte[] { 0x1F, 0x8B }))
        {
            return $"is gzip-compressed, not text; decompress it first (gunzip), as {Expected}";
        }

        if (head.StartsWith("PK\u0003\u0004"u8))
        {
            return $"is a ZIP archive (an Excel workbook?), not text; save the sheet as CSV (comma delimited), as {Expected}";
        }

        if (head.StartsWith(new byte[] { 0xFF, 0xFE }) || head.StartsWith(new byte[] { 0xFE, 0xFF }))
        {
            return $"is UTF-16 text (Windows PowerShell's -Encoding Unicode); save it as UTF-8 (Export-Csv -Encoding utf8), as {Expected}";
        }

        int zero = head.IndexOf((byte)0);
        if (zero >= 0)
        {
            return $"is not text: it holds a zero byte at offset {zero}; {Expected}";
        }

        // The head may end inside a character: only a sequence that can never be UTF-8 counts.
        var chars = new char[head.Length];
        OperationStatus status = Utf8.ToUtf16(head, chars, out int read, out _, replaceInvalidSequences: false, isFinalBlock: false);
        return status == OperationStatus.InvalidData
            ? $"is not UTF-8 text: byte 0x{head[read]:X2} at offset {read} begins no character; {Expected}"
            : null;
    }

    /// <summary>The delimiter a CSV header is split by when it is not a comma (';' from -UseCulture under many locales, tabs), or null.</summary>
    public static char? OtherDelimiter(IReadOnlyList<string> header)
    {
        string line = string.Join(",", header);
        foreach (char delimiter in new[] { ';', '\t', '|' })
        {
            int known = line.Split(delimiter).Count(name => ResultConversion.Required.Contains(name.Trim().Trim('"'), StringComparer.OrdinalIgnoreCase));
            // Two of a result's names split out by it are no accident (a trimmed export may hold only a few columns).
            if (known >= 2)
            {
                return delimiter;
            }
        }

        return null;
    }

    /// <summary>A delimiter as a message names it.</summary>
    public static string Name(char delimiter) => delimiter == '\t' ? "tabs" : $"'{delimiter}'";
}
