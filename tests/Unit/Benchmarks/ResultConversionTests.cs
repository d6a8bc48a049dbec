using System.Globalization;
using System.Reflection;
using System.Text.Json;
using EdgeLm.Core;
using EdgeLm.Core.Benchmarks;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Benchmarks;

/// <summary>
/// One conversion for every shape a result arrives in (CSV rows, JSON lines, PowerShell rows from Import-Csv,
/// Import-Clixml and remoting): same answers as the typed path, or an error naming the property and value.
/// </summary>
public sealed class ResultConversionTests
{
    private static InferenceResult Full(int threads = 4, bool warmup = false) => new()
    {
        RunId = Guid.NewGuid().ToString("N"), Timestamp = "2026-12-01T02:44:24.385Z", DeviceName = "pi5", HostName = "pi5", RunKey = "k",
        Repetition = 2, Warmup = warmup, ModelName = "llama", ModelPath = "/m.gguf", Quantization = "Q4_0", ParameterCount = 1_000_000, ModelBytes = 123_456_789,
        Threads = threads, ContextSize = 512, BatchSize = 512, PromptTokens = 16, RequestedTokens = 8, Seed = 4_000_000_000, Temperature = 0.7,
        GeneratedTokens = 8, LoadMs = 264.70029999999997, TimeToFirstTokenMs = 0.8279, PrefillMs = 0.815, PrefillTokensPerSecond = 19631.9018404908,
        DecodeMs = 0.6727, DecodeTokensPerSecond = 10405.827263267429, InterTokenP95Ms = 1e-5, TotalMs = 1.5, PeakRssBytes = 51_286_016,
        EnergySource = null, Throttled = false, Output = "a, \"quoted\"\nline",
    };

    // A row as Import-Csv gives it: every value the text Export-Csv wrote (null as empty).
    private static List<KeyValuePair<string, object?>> CsvRow(InferenceResult r) =>
        RecordText.FieldsOf(r).Select(f => new KeyValuePair<string, object?>(f.Key, RecordText.Invariant(f.Value))).ToList();

    // A row as Import-Clixml or remoting gives it: the typed values.
    private static List<KeyValuePair<string, object?>> TypedRow(InferenceResult r) => RecordText.FieldsOf(r).ToList();

    private static EdgeLmInvalidResultException Refused(IEnumerable<KeyValuePair<string, object?>> row) =>
        Assert.Throws<EdgeLmInvalidResultException>(() => ResultConversion.FromFields(row));

    private static List<KeyValuePair<string, object?>> With(List<KeyValuePair<string, object?>> row, string name, object? value) =>
        row.Select(f => f.Key == name ? new KeyValuePair<string, object?>(name, value) : f).ToList();

    [Fact]
    public void TextRowsAndTypedRowsGiveTheSameResultAsTheTypedPath()
    {
        InferenceResult original = Full();

        Assert.Equal(RecordText.ToJsonLine(original), RecordText.ToJsonLine(ResultConversion.FromFields(CsvRow(original))));
        Assert.Equal(RecordText.ToJsonLine(original), RecordText.ToJsonLine(ResultConversion.FromFields(TypedRow(original))));
    }

    [Fact]
    public void FalseAsTextIsFalse()
    {
        // PowerShell's own conversion binds the text "False" to a bool as $true: every run became a warm-up.
        Assert.False(ResultConversion.FromFields(CsvRow(Full(warmup: false))).Warmup);
        Assert.True(ResultConversion.FromFields(CsvRow(Full(warmup: true))).Warmup);
        Assert.False(ResultConversion.FromFields(With(CsvRow(Full()), "Warmup", "false")).Warmup);
    }

    [Fact]
    public void NamesMatchIgnoringCaseAndUnknownNamesAreIgnored()
    {
        var row = CsvRow(Full()).Select(f => new KeyValuePair<string, object?>(f.Key.ToLowerInvariant(), f.Value)).ToList();
        row.Add(new("PromptText", "a column from a newer file"));

        Assert.Equal(4, ResultConversion.FromFields(row).Threads);
    }

    [Fact]
    public void EmptyTextIsNullWhereNullIsAllowedAndAnErrorForANumberThatCannotBeNull()
    {
        InferenceResult converted = ResultConversion.FromFields(With(With(CsvRow(Full()), "DecodeTokensPerSecond", ""), "ChatTemplate", ""));

        Assert.Null(converted.DecodeTokensPerSecond);
        Assert.Null(converted.EnergySource);
        Assert.Equal(string.Empty, converted.ChatTemplate);
        Assert.Contains("PrefillTokensPerSecond is empty", Refused(With(CsvRow(Full()), "PrefillTokensPerSecond", "")).Message);
        Assert.Contains("Threads is empty", Refused(With(TypedRow(Full()), "Threads", null)).Message);
    }

    [Fact]
    public void AValueThatCannotBeThePropertyIsAnErrorNamingPropertyAndValue()
    {
        EdgeLmInvalidResultException e = Refused(With(With(CsvRow(Full()), "Threads", "abc"), "Warmup", "yes"));

        Assert.Equal("InvalidResultValue", e.ErrorId);
        Assert.Equal("InvalidData", e.Category);
        Assert.Contains("Threads 'abc' is not a whole number", e.Message);
        Assert.Contains("Warmup 'yes' is not True or False", e.Message);
        Assert.Contains("Threads '4.5' is not a whole number", Refused(With(TypedRow(Full()), "Threads", 4.5)).Message);
        Assert.Contains("Seed '-1' is not a whole number from 0", Refused(With(CsvRow(Full()), "Seed", "-1")).Message);
        // Too large for the property says so, rather than calling the number not whole.
        Assert.Contains("Threads '99999999999999' is not a whole number from -2147483648 to 2147483647", Refused(With(CsvRow(Full()), "Threads", "99999999999999")).Message);
        Assert.Contains("Threads holds a System.Object[], not a single value", Refused(With(TypedRow(Full()), "Threads", new object[] { 1, 2 })).Message);
    }

    [Theory]
    [InlineData("DecodeTokensPerSecond", "NaN", "DecodeTokensPerSecond is NaN, which no run measures")]
    [InlineData("DecodeTokensPerSecond", "-5", "DecodeTokensPerSecond is -5, which no run measures (a figure is a finite number of 0 or more)")]
    [InlineData("PrefillTokensPerSecond", "Infinity", "PrefillTokensPerSecond is Infinity, which no run measures")]
    [InlineData("EnergyJoules", "-Infinity", "EnergyJoules is -Infinity, which no run measures")]
    [InlineData("PromptTokens", "-3", "PromptTokens is -3; it is 0 or more")]
    [InlineData("GpuLayers", "-2", "GpuLayers is -2; it is -1 or more")]
    public void NonFiniteOrNegativeFiguresAreNoRun(string property, string value, string message)
    {
        Assert.Contains(message, Refused(With(CsvRow(Full()), property, value)).Message);
    }

    [Fact]
    public void NetEnergyBelowIdleAndAllGpuLayersAreTaken()
    {
        InferenceResult r = ResultConversion.FromFields(With(With(With(CsvRow(Full()), "NetEnergyJoules", "-1.5"), "JoulesPerToken", "-0.01"), "GpuLayers", "-1"));
        Assert.Equal(-1.5, r.NetEnergyJoules);
        Assert.Equal(-0.01, r.JoulesPerToken); // net per token, as the run wrote it
        Assert.Equal(-1, r.GpuLayers);
    }

    [Fact]
    public void WholeNumbersWrittenAsDecimalsAndDatesFromJsonAreTaken()
    {
        List<KeyValuePair<string, object?>> row = With(With(TypedRow(Full()), "Threads", 4.0), "ModelBytes", "1e3");
        row = With(row, "Timestamp", new DateTime(2026, 12, 1, 2, 44, 24, 385, DateTimeKind.Utc));

        InferenceResult converted = ResultConversion.FromFields(row);

        Assert.Equal(4, converted.Threads);
        Assert.Equal(1000, converted.ModelBytes);
        Assert.Equal("2026-12-01T02:44:24.385Z", converted.Timestamp);
    }

    [Fact]
    public void NumbersAreReadInTheInvariantCultureAndADecimalCommaOnlyWhereThisMachineWritesOne()
    {
        CultureInfo before = CultureInfo.CurrentCulture;
        try
        {
            // Export-Csv writes each value with ToString(): 0,8279 in German. On an English machine that is refused
            // with the fix, as is 1,234 (Excel's grouped 1234); on a German one both are what Export-Csv wrote here.
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("en-US");
            EdgeLmInvalidResultException e = Refused(With(CsvRow(Full()), "TimeToFirstTokenMs", "0,8279"));
            Assert.Equal("TimeToFirstTokenMs '0,8279' is not a number: it has a decimal comma; write 0.8279 (EdgeLm reads numbers with the digits 0-9, " +
                "a dot as decimal point and no thousands separators); Export-Csv writes numbers in the current culture, so write results files with " +
                "Export-EdgeResult or edgelm export --to csv", e.Message);
            Assert.Contains("LoadMs '1,234' is not a number: its digits are grouped", Refused(With(CsvRow(Full()), "LoadMs", "1,234")).Message);
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal(0.8279, ResultConversion.FromFields(With(CsvRow(Full()), "TimeToFirstTokenMs", "0,8279")).TimeToFirstTokenMs);
            Assert.Equal(1.234, ResultConversion.FromFields(With(CsvRow(Full()), "LoadMs", "1,234")).LoadMs);
            Assert.Contains("LoadMs '1,234,567' is not a number", Refused(With(CsvRow(Full()), "LoadMs", "1,234,567")).Message);
            Assert.Equal(0.8279, ResultConversion.FromFields(With(CsvRow(Full()), "TimeToFirstTokenMs", "0.8279")).TimeToFirstTokenMs);
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void ARecordWithoutWhatEveryResultHasIsNoResult()
    {
        EdgeLmInvalidResultException e = Refused(new Dictionary<string, object?> { ["a"] = 1 });
        Assert.Equal("NotAResult", e.ErrorId);
        Assert.StartsWith("not an InferenceResult: no RunId, DeviceName, Repetition, Warmup and ", e.Message);

        e = Refused(CsvRow(Full()).Where(f => f.Key is not ("Warmup" or "PrefillTokensPerSecond")));
        Assert.Equal("not an InferenceResult: no Warmup, PrefillTokensPerSecond", e.Message);

        IFlatRecord summary = Summaries.Summarize(new[] { Full() }).Single();
        Assert.StartsWith("a benchmark summary (Measure-EdgeResult, edgelm summary), not an InferenceResult (no RunId",
            Refused(summary.Fields).Message);
        IFlatRecord comparison = Comparisons.Compare(new[] { Full() }, new[] { Full() }).First();
        Assert.StartsWith("a comparison (Compare-EdgeResult, edgelm compare), not an InferenceResult", Refused(comparison.Fields).Message);
    }

    [Fact]
    public void RequiredAreTheIdentityAndEveryNumberOrFlagThatCannotBeNull()
    {
        // A new property that is a number or flag and cannot be null makes older results files unreadable (an
        // absent number would read as a measured 0): make it nullable (null = not recorded) instead.
        Assert.Equal(new[]
        {
            "RunId", "DeviceName", "Repetition", "Warmup", "ModelName", "ParameterCount", "ModelBytes", "Threads", "GpuLayers", "ContextSize",
            "BatchSize", "PromptTokens", "RequestedTokens", "DepthTokens", "Temperature", "Seed", "GeneratedTokens", "StoppedAtEos", "LoadMs",
            "TimeToFirstTokenMs", "PrefillMs", "PrefillTokensPerSecond", "TotalMs", "EnginePrefillMs", "EngineDecodeMs", "KvCacheBytes",
            "ComputeBufferBytes", "DecodeBytesPerToken",
        }, ResultConversion.Required);
    }

    [Fact]
    public void AResultsFileKeepsEveryGoodLineAndNamesEachBadOne()
    {
        using var folder = new TempFolder();
        string file = folder.File("r.jsonl");
        File.WriteAllLines(file, new[]
        {
            RecordText.ToJsonLine(Full(1)), "{\"a\":1}", "{\"RunId\": cut short", RecordText.ToJsonLine(Full(2)), "", "[1, 2]",
            RecordText.ToJsonLine(Full(3)).Replace("\"Threads\":3", "\"Threads\":\"abc\""),
        });

        ResultFileEntry[] entries = ResultFiles.Read(file).ToArray();

        Assert.Equal(new int?[] { 1, 2 }, entries.Where(e => e.Result is not null).Select(e => (int?)e.Result!.Threads));
        string[] errors = entries.Where(e => e.Error is not null).Select(e => e.Error!.Message).ToArray();
        Assert.Equal(4, errors.Length);
        Assert.StartsWith($"{file} line 2: not an InferenceResult: no RunId", errors[0]);
        Assert.StartsWith($"{file} line 3, column 11 is not a JSON record: ", errors[1]);
        Assert.DoesNotContain("LineNumber", errors[1]);
        Assert.StartsWith($"{file} line 6 is not a JSON record: a JSON array, not an object", errors[2]);
        Assert.Equal($"{file} line 7: Threads 'abc' is not a whole number from -2147483648 to 2147483647", errors[3]);
        Assert.All(entries.Where(e => e.Error is not null), e => Assert.Equal(file, e.Error!.Path));

        // Import, all or nothing, is refused at the first bad line (the CLI's behaviour).
        var e = Assert.Throws<EdgeLmInvalidFileException>(() => ResultFiles.Import(file));
        Assert.StartsWith($"{file} line 2:", e.Message);
    }

    [Fact]
    public void ACsvFileNamesTheLineOfABadRowCountingQuotedNewlines()
    {
        using var folder = new TempFolder();
        string file = folder.File("r.csv");
        InferenceResult[] results = { Full(1), Full(2), Full(3) };
        using (var writer = new StreamWriter(file))
        {
            ResultFiles.WriteCsv(results, writer);
        }

        // Output holds a newline, so each record takes two lines: #TYPE 1, header 2, records at 3, 5, 7.
        string text = File.ReadAllText(file);
        File.WriteAllText(file, "#TYPE EdgeLm.InferenceResult\n" + text.Replace(",Q4_0,1000000,123456789,,2,", ",Q4_0,1000000,123456789,,x2,"));

        ResultFileEntry[] entries = ResultFiles.Read(file).ToArray();

        Assert.Equal(new[] { 1, 3 }, entries.Where(e => e.Result is not null).Select(e => e.Result!.Threads));
        // The column is counted as a spreadsheet shows it, from 1.
        int column = Array.IndexOf(RecordText.FieldsOf(Full()).Select(f => f.Key).ToArray(), "Threads") + 1;
        Assert.Equal($"{file} line 5: Threads (column {column}) 'x2' is not a whole number from -2147483648 to 2147483647", Assert.Single(entries, e => e.Error is not null).Error!.Message);
    }

    [Fact]
    public void AFileOfSummariesIsNoResultsFile()
    {
        using var folder = new TempFolder();
        IReadOnlyList<BenchmarkSummary> summaries = Summaries.Summarize(new[] { Full(1), Full(2) });
        foreach (string name in new[] { "s.csv", "s.jsonl" })
        {
            string file = folder.File(name);
            using (var writer = new StreamWriter(file))
            {
                if (name.EndsWith(".csv")) ResultFiles.WriteCsv(summaries, writer); else ResultFiles.WriteJsonLines(summaries, writer);
            }

            var e = Assert.Throws<EdgeLmInvalidFileException>(() => ResultFiles.Import(file));
            Assert.Contains("a benchmark summary (Measure-EdgeResult, edgelm summary), not an InferenceResult", e.Message);
            Assert.Contains(file, e.Message);
        }
    }

    [Fact]
    public void SummariesAndComparisonsHaveTypedPropertiesForTheirColumns()
    {
        InferenceResult measured = Full();
        measured.EnergyJoules = 1;
        measured.JoulesPerToken = 0.1;
        measured.TokensPerJoule = 10;
        measured.EnergyThroughputTradeoff = 0.01;
        measured.BandwidthUtilization = 0.5;
        measured.Perplexity = 12.5;
        BenchmarkSummary summary = Summaries.Summarize(new[] { measured, Full() }).Single();
        ResultComparison comparison = Comparisons.Compare(new[] { Full() }, new[] { Full() }).First();

        foreach ((object record, IReadOnlyList<KeyValuePair<string, object?>> fields) in new (object, IReadOnlyList<KeyValuePair<string, object?>>)[]
        {
            (summary, ((IFlatRecord)summary).Fields), (comparison, ((IFlatRecord)comparison).Fields),
        })
        {
            PropertyInfo[] properties = record.GetType().GetProperties().Where(p => p.GetIndexParameters().Length == 0).ToArray();
            Assert.Equal(properties.Select(p => p.Name).Where(n => n != "DeviceName" || record is BenchmarkSummary), fields.Select(f => f.Key));
            foreach ((string name, object? value) in fields)
            {
                Assert.Equal(value, record.GetType().GetProperty(name)!.GetValue(record));
            }
        }

        Assert.Equal(summary.DecodeTokensPerSecondMedian, summary["DecodeTokensPerSecondMedian"]);
        Assert.Equal(BenchmarkSummary.Figures.Count * BenchmarkSummary.StatisticNames.Count,
            typeof(BenchmarkSummary).GetProperties().Count(p => BenchmarkSummary.Figures.Any(f => p.Name.StartsWith(f, StringComparison.Ordinal))));
    }

    [Fact]
    public void ASummaryOrComparisonMadeByHandHasTheColumnsItsPropertiesHold()
    {
        // As Views.Tests.ps1 makes realistic ones: a new object with properties set, never an empty export.
        var summary = new BenchmarkSummary { ModelName = "llama", Threads = 4, Runs = 10, DecodeTokensPerSecondMedian = 12.4 };
        var comparison = new ResultComparison { ModelName = "llama", Figure = "DecodeTokensPerSecond", Ratio = 1.1, Verdict = "faster" };

        Assert.Equal(new[] { "ModelName", "Threads", "Runs" }, ((IFlatRecord)summary).Fields.Select(f => f.Key).Take(3));
        Assert.Equal(12.4, summary["DecodeTokensPerSecondMedian"]);
        Assert.Equal(BenchmarkSummary.StatisticNames.Select(s => "DecodeTokensPerSecond" + s),
            ((IFlatRecord)summary).Fields.Select(f => f.Key).Where(k => k.StartsWith("DecodeTokensPerSecond", StringComparison.Ordinal)));
        Assert.DoesNotContain(((IFlatRecord)summary).Fields, f => f.Key.StartsWith("Energy", StringComparison.Ordinal));
        Assert.Equal("ModelName", ((IFlatRecord)comparison).Fields[0].Key);
        Assert.Equal("faster", comparison["Verdict"]);
        Assert.Equal("EdgeLm.BenchmarkSummary", typeof(BenchmarkSummary).FullName);
        Assert.Equal("EdgeLm.ResultComparison", typeof(ResultComparison).FullName);
    }

    [Fact]
    public void AKeyOutsideTheDefaultsIsAColumnAndTheDefaultsNotGroupedByAreNull()
    {
        BenchmarkSummary summary = Summaries.Summarize(new[] { Full() }, new[] { "backend", "Threads" }).Single();

        Assert.Equal(new[] { "Backend", "Threads", "Runs" }, ((IFlatRecord)summary).Fields.Select(f => f.Key).Take(3));
        Assert.Equal(4, summary.Threads);
        Assert.Null(summary.ModelName);
        Assert.DoesNotContain(((IFlatRecord)summary).Fields, f => f.Key == "ModelName");
    }

    [Fact]
    public void CsvOfRecordsOfDifferentShapesKeepsEveryValueInItsColumn()
    {
        IFlatRecord byThreads = Summaries.Summarize(new[] { Full(1) }, new[] { "Threads" }).Single();
        IFlatRecord byModel = Summaries.Summarize(new[] { Full(2) }, new[] { "ModelName" }).Single();
        var writer = new StringWriter();

        ResultFiles.WriteCsv(new object[] { byThreads, byModel }, writer);

        string[] lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        string[] header = lines[0].Split(',');
        Assert.Equal(new[] { "Threads", "Runs" }, header.Take(2));
        Assert.Contains("ModelName", header);
        string[] second = lines[2].Split(',');
        Assert.Equal(string.Empty, second[0]);
        Assert.Equal("llama", second[Array.IndexOf(header, "ModelName")]);
        Assert.Equal("1", second[Array.IndexOf(header, "Runs")]);
    }

    [Fact]
    public void EveryRecordExportsWithAllItsPropertiesInEveryFormat()
    {
        Type[] records = typeof(InferenceResult).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == "EdgeLm" && t.IsClass && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null &&
                t.GetProperties().Length > 3 && t.GetProperties().All(p => p.CanWrite))
            .Append(typeof(BudgetResult)).ToArray();
        Assert.Contains(typeof(DeviceProfile), records);
        Assert.Contains(typeof(PowerSourceInfo), records);
        foreach (Type type in records)
        {
            object[] two = { Sample(type, 1), Sample(type, 2) };
            string[] names = type.GetProperties().Select(p => p.Name).ToArray();

            var jsonl = new StringWriter();
            ResultFiles.WriteJsonLines(two, jsonl);
            using JsonDocument json = JsonDocument.Parse(jsonl.ToString().Split('\n')[0]);
            Assert.Equal(names, json.RootElement.EnumerateObject().Select(p => p.Name));

            var csv = new StringWriter();
            ResultFiles.WriteCsv(two, csv);
            Assert.Equal(string.Join(",", names), csv.ToString().Split('\n')[0].TrimEnd('\r'));

            // Markdown: what differs as columns, what is the same below, so every property is there but the
            // identifiers and free text that differ in every run.
            var markdown = new StringWriter();
            ResultFiles.WriteMarkdown(two, markdown);
            Assert.All(names.Except(new[] { "RunId", "Timestamp", "RunKey", "ModelSha256", "ModelPath", "Output" }), n => Assert.Contains($" {n} |", markdown.ToString()));

            var one = new StringWriter();
            ResultFiles.WriteMarkdown(new[] { two[0] }, one);
            Assert.StartsWith("| Property | Value |", one.ToString());
            Assert.All(names, n => Assert.Contains($"| {n} | ", one.ToString()));
        }
    }

    // A record with a different, non-empty value in every property (booleans alternate), so every column shows.
    private static object Sample(Type type, int seed)
    {
        object record = Activator.CreateInstance(type)!;
        foreach (PropertyInfo p in type.GetProperties())
        {
            Type t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            object? value = t == typeof(string) ? $"{p.Name}-{seed}"
                : t == typeof(bool) ? seed % 2 == 0
                : t.IsEnum ? Enum.GetValues(t).GetValue(0)
                : Convert.ChangeType(seed + 1, t, CultureInfo.InvariantCulture);
            p.SetValue(record, value);
        }

        return record;
    }
}
