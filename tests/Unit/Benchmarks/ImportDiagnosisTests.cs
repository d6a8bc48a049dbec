using System.Globalization;
using System.IO.Compression;
using EdgeLm.Core;
using EdgeLm.Core.Benchmarks;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Benchmarks;

/// <summary>
/// A results file that is not what EdgeLm reads (a decimal comma, another delimiter, compressed or binary bytes,
/// numbers beyond range) is refused with what it is and the fix, never read as zero records or a wrong value.
/// </summary>
public sealed class ImportDiagnosisTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static InferenceResult Result(int threads) => new()
    {
        RunId = $"run{threads}", DeviceName = "pi5", ModelName = "llama", Threads = threads, ContextSize = 512, BatchSize = 512,
        PromptTokens = 16, RequestedTokens = 8, GeneratedTokens = 8, LoadMs = 1234, TimeToFirstTokenMs = 12.5, PrefillMs = 1,
        PrefillTokensPerSecond = 16, TotalMs = 2, Seed = 42,
    };

    // A CSV as EdgeLm writes it, then edited: one cell of the second result replaced.
    private string Csv(string name, string column, string cell)
    {
        var writer = new StringWriter();
        ResultFiles.WriteCsv(new[] { Result(1), Result(2) }, writer);
        string[] lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        string[] header = lines[0].Split(',');
        // Quoted as Export-Csv quotes every field, so a comma in the cell stays in it.
        string[] row = lines[2].Split(',').Select((v, i) => i == Array.IndexOf(header, column) ? cell : v).Select(v => $"\"{v}\"").ToArray();
        string file = _folder.File(name);
        File.WriteAllText(file, string.Join("\n", lines[0], lines[1], string.Join(",", row)) + "\n");
        return file;
    }

    private static EdgeLmInvalidFileException Refused(string file) => Assert.Throws<EdgeLmInvalidFileException>(() => ResultFiles.Import(file));

    private static T WithCulture<T>(string culture, Func<T> action)
    {
        CultureInfo before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            return action();
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void ADecimalCommaIsRefusedWithFileLineColumnAndTheFixWhereThisMachineWritesNone()
    {
        string file = Csv("comma.csv", "TimeToFirstTokenMs", "12,5");
        int column = Array.IndexOf(File.ReadLines(file).First().Split(','), "TimeToFirstTokenMs") + 1;

        foreach (string culture in new[] { "en-US", "" })
        {
            EdgeLmInvalidFileException e = WithCulture(culture, () => Refused(file));

            Assert.Equal("InvalidResultValue", e.ErrorId);
            Assert.Equal(file, e.Path);
            Assert.StartsWith($"{file} line 3: TimeToFirstTokenMs (column {column}) '12,5' is not a number: it has a decimal comma; write 12.5", e.Message);
            Assert.Contains("edgelm export --to csv", e.Message);
        }
    }

    [Fact]
    public void WhereThisMachineWritesADecimalCommaExportCsvsRoundTripReadsIt()
    {
        // Invoke-EdgeBenchmark | Export-Csv under German writes "12,5"; Import-EdgeResult on the same board reads it back.
        string file = Csv("comma.csv", "TimeToFirstTokenMs", "12,5");

        IReadOnlyList<InferenceResult> results = WithCulture("de-DE", () => ResultFiles.Import(file));

        Assert.Equal(12.5, results[1].TimeToFirstTokenMs);
    }

    [Fact]
    public void GroupedDigitsAreNotReadAsADecimalWhereThisMachineWritesADecimalPoint()
    {
        // Excel under English writes 1,234 for 1234 ms: never read as 1.234 where this machine writes a decimal point.
        string file = Csv("grouped.csv", "LoadMs", "1,234");

        EdgeLmInvalidFileException e = WithCulture("en-US", () => Refused(file));

        Assert.Contains("LoadMs (column ", e.Message);
        Assert.Contains("'1,234' is not a number: its digits are grouped", e.Message);
    }

    [Theory]
    [InlineData("Threads", "\u0663", "'\u0663' (U+0663) is not one of the digits 0-9")]
    [InlineData("Threads", "\uFF13", "'\uFF13' (U+FF13) is not one of the digits 0-9")]
    [InlineData("LoadMs", "\u22121", "it starts with '\u2212' (U+2212), not the minus sign '-'")]
    [InlineData("LoadMs", "1e400", "'1e400' is beyond the largest number a figure holds (about 1.8e308)")]
    [InlineData("Threads", "99999999999999999999", "'99999999999999999999' is not a whole number from -2147483648 to 2147483647")]
    [InlineData("ModelBytes", "99999999999999999999", "'99999999999999999999' is not a whole number from -9223372036854775808 to 9223372036854775807")]
    public void ACellNoNumberOrBeyondItsRangeIsNamedWithWhy(string column, string cell, string why)
    {
        string file = Csv("cell.csv", column, cell);

        EdgeLmInvalidFileException e = Refused(file);

        Assert.StartsWith($"{file} line 3: {column} (column ", e.Message);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void ANumberNeverDependsOnTheCurrentCulture()
    {
        // sv-SE writes a minus as U+2212 and reads "-1" only as invariant text: the record is the same everywhere.
        string file = Csv("minus.csv", "GpuLayers", "-2");

        int column = Array.IndexOf(File.ReadLines(file).First().Split(','), "GpuLayers") + 1;

        string message = WithCulture("sv-SE", () => Refused(file)).Message;

        Assert.EndsWith($"GpuLayers (column {column}) is -2; it is -1 or more", message);
    }

    [Theory]
    [InlineData(';', "';'")]
    [InlineData('\t', "tabs")]
    public void ACsvDelimitedByAnotherCharacterIsSaidToBe(char delimiter, string named)
    {
        string file = Csv("semicolon.csv", "Threads", "2");
        File.WriteAllText(file, File.ReadAllText(file).Replace(",", delimiter.ToString()));

        EdgeLmInvalidFileException e = Refused(file);

        Assert.Equal("CsvDelimiter", e.ErrorId);
        Assert.StartsWith($"{file} is delimited by {named}; EdgeLm reads comma-separated files", e.Message);
    }

    [Theory]
    [InlineData("r.jsonl")]
    [InlineData("r.csv")]
    public void ACompressedFileIsSaidToBeOneNotReadAsLines(string name)
    {
        string file = _folder.File(name);
        using (var gzip = new GZipStream(File.Create(file), CompressionLevel.Fastest))
        {
            gzip.Write("{\"RunId\":\"x\"}\n"u8);
        }

        EdgeLmInvalidFileException e = Refused(file);

        Assert.Equal("ResultsNotText", e.ErrorId);
        Assert.StartsWith($"{file} is gzip-compressed, not text; decompress it first", e.Message);
        // Read (what the cmdlets use to keep good lines) refuses the whole file once, not line by line.
        Assert.Throws<EdgeLmInvalidFileException>(() => ResultFiles.Read(file));
    }

    [Theory]
    [InlineData(new byte[] { 0x7B, 0x22, 0x00, 0x41 }, "is not text: it holds a zero byte at offset 2")]
    [InlineData(new byte[] { 0x7B, 0xC3, 0x28, 0x7D }, "is not UTF-8 text: byte 0xC3 at offset 1 begins no character")]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x52, 0x00 }, "is UTF-16 text")]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14 }, "is a ZIP archive (an Excel workbook?)")]
    public void BytesThatAreNoUtf8TextAreSaidToBe(byte[] bytes, string what)
    {
        foreach (string name in new[] { "b.jsonl", "b.csv" })
        {
            string file = _folder.File(name);
            File.WriteAllBytes(file, bytes);

            Assert.StartsWith($"{file} {what}", Refused(file).Message);
        }
    }

    [Fact]
    public void TextThatEndsInsideACharacterIsStillText()
    {
        // The head read to sniff a file may cut a character in two: that is no reason to call it binary.
        byte[] head = "{\"Output\":\"caf\u00E9"u8.ToArray();
        Assert.Null(ResultsFileText.Why(head.AsSpan(0, head.Length - 1)));
    }

    [Fact]
    public void AUtf8ByteOrderMarkIsNoPartOfTheFirstColumnName()
    {
        // Excel's "CSV UTF-8" starts with one; the first column was read as "\uFEFFRunId" and every row refused.
        string file = Csv("bom.csv", "Threads", "2");
        File.WriteAllText(file, File.ReadAllText(file), new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        Assert.Equal(0xEF, File.ReadAllBytes(file)[0]);

        Assert.Equal(new[] { "run1", "run2" }, ResultFiles.Import(file).Select(r => r.RunId));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void AnEmptyPathIsNamedAsSuch(string path)
    {
        var e = Assert.Throws<EdgeLmArgumentException>(() => ResultFiles.Read(path));
        Assert.Equal("ResultsPathEmpty", e.ErrorId);
        Assert.Contains($"the results file's path is '{path}'", e.Message);
    }

    [Fact]
    public void ResumingIntoACompressedFileSaysSoAndLeavesItUntouched()
    {
        string file = _folder.File("results.jsonl");
        byte[] gzip = { 0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00 };
        File.WriteAllBytes(file, gzip);

        var e = Assert.Throws<EdgeLmInvalidFileException>(() => ResultStore.Open(file, resume: true));

        Assert.Equal("ResultsCorrupt", e.ErrorId);
        Assert.StartsWith($"{file} is gzip-compressed, not text", e.Message);
        Assert.Equal(gzip, File.ReadAllBytes(file));
    }
}
