using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Xml.Linq;
using EdgeLm.Cli;
using EdgeLm.Cmdlets;
using EdgeLm.Core.Benchmarks;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Cli;

/// <summary>PowerShell in this process with the module's format file loaded, shared by the table tests.</summary>
public sealed class FormatTableHost : IDisposable
{
    private readonly Runspace _runspace;

    public FormatTableHost()
    {
        InitialSessionState state = InitialSessionState.CreateDefault2();
        state.Formats.Add(new SessionStateFormatEntry(TableViewTests.FormatFile));
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
    }

    /// <summary>What Format-Table shows for <paramref name="records"/> in an 80-column terminal (PowerShell leaves the last column free: 79), as text.</summary>
    public string FormatTable(IEnumerable<object> records)
    {
        using PowerShell shell = PowerShell.Create();
        shell.Runspace = _runspace;
        shell.AddScript("$PSStyle.OutputRendering = 'PlainText'; $args[0] | Format-Table | Out-String -Width 79")
            .AddArgument(records.Select(r => r is IFlatRecord flat ? ResultCmdletSupport.ToPSObject(flat) : r).ToArray());
        string text = string.Concat(shell.Invoke().Select(o => o.ToString()));
        Assert.Empty(shell.Streams.Error);
        return text;
    }

    public void Dispose() => _runspace.Dispose();
}

/// <summary>
/// edgelm's tables are the module's default table views (module/EdgeLm.Format.ps1xml, embedded in edgelm.dll): every
/// view's script blocks have a renderer, and for records of every type the CLI prints, line for line, what
/// Format-Table prints in PowerShell with the same file.
/// </summary>
public sealed class TableViewTests : IClassFixture<FormatTableHost>
{
    public static readonly string FormatFile = Path.Combine(Repository.Root, "module", "EdgeLm.Format.ps1xml");

    private readonly FormatTableHost _powershell;

    public TableViewTests(FormatTableHost powershell) => _powershell = powershell;

    private static IReadOnlyDictionary<string, XElement> DefaultTables() => TableView.DefaultTables(XDocument.Load(FormatFile));

    public static TheoryData<string> TableTypes() => new(DefaultTables().Keys);

    [Fact]
    public void TheCliCarriesTheModulesFormatFile()
    {
        using Stream embedded = typeof(RecordPrinter).Assembly.GetManifestResourceStream(TableView.ResourceName)!;
        using var copy = new MemoryStream();
        embedded.CopyTo(copy);

        Assert.Equal(File.ReadAllBytes(FormatFile), copy.ToArray());
    }

    [Fact]
    public void EveryScriptBlockOfADefaultTableViewHasARenderer()
    {
        string[] unknown = DefaultTables()
            .SelectMany(t => t.Value.Descendants("ScriptBlock").Select(s => (Type: t.Key, Script: s.Value)))
            .Where(s => ScriptColumns.Compile(s.Script) is null)
            .Select(s => $"{s.Type}: {{ {s.Script.Trim()} }}")
            .ToArray();

        Assert.True(unknown.Length == 0,
            "script blocks of a form edgelm cannot show (add the form to ScriptColumns in src/EdgeLm.Cli/RecordPrinter.cs):\n" + string.Join("\n", unknown));
    }

    [Theory]
    [MemberData(nameof(TableTypes))]
    public void EveryDefaultTableViewIsReadAndFits80Columns(string typeName)
    {
        var view = new TableView(DefaultTables()[typeName]);

        Assert.NotEmpty(view.Columns);
        Assert.InRange(view.Columns.Sum(c => c.Width + 1) - 1, 1, 79);
    }

    [Fact]
    public void AScriptOfAnotherFormIsRefusedNamingIt()
    {
        const string script = "if ($_.ModelName) { $_.ModelName.ToUpper() }";
        var view = XElement.Parse($"""
            <View><Name>T</Name><ViewSelectedBy><TypeName>T</TypeName></ViewSelectedBy><TableControl>
              <TableHeaders><TableColumnHeader><Label>A</Label><Width>5</Width></TableColumnHeader></TableHeaders>
              <TableRowEntries><TableRowEntry><TableColumnItems>
                <TableColumnItem><ScriptBlock>{script}</ScriptBlock></TableColumnItem>
              </TableColumnItems></TableRowEntry></TableRowEntries>
            </TableControl></View>
            """);

        Assert.Null(ScriptColumns.Compile(script));
        Assert.Contains(script, Assert.Throws<NotSupportedException>(() => new TableView(view)).Message);
    }

    [Theory]
    [MemberData(nameof(TableTypes))]
    public void TheCliTableIsWhatFormatTableShows(string typeName)
    {
        object[] records = Samples(typeName);
        var cli = new StringWriter();
        var printer = new RecordPrinter(cli, OutputFormat.Table);
        foreach (object record in records)
        {
            printer.Print(record);
        }

        string[] expected = Lines(_powershell.FormatTable(records));
        string[] actual = Lines(cli.ToString());

        Assert.Equal(expected, actual);
        Assert.All(cli.ToString().Split('\n'), line => Assert.True(line.TrimEnd('\r').Length <= 79, line));
        Assert.True(actual.Length > records.Length, $"{typeName}: a header and a row per record:\n{string.Join("\n", actual)}");
    }

    // Lines with text, without trailing blanks: Format-Table pads columns and frames the table with empty lines.
    private static string[] Lines(string text) =>
        text.ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToArray();

    private static InferenceResult Run(string device, string model, string quantization, int threads, double decode, double prefill, double ttft, long rss, int repetition) => new()
    {
        DeviceName = device, ModelName = model, Quantization = quantization, Threads = threads, PromptTokens = 512, RequestedTokens = 128,
        GeneratedTokens = 128, Repetition = repetition, DecodeTokensPerSecond = decode, PrefillTokensPerSecond = prefill, TimeToFirstTokenMs = ttft,
        InterTokenP95Ms = 1000 / decode * 1.1, LoadMs = 1532.14, PeakRssBytes = rss, JoulesPerToken = 0.412,
    };

    // Results of two boards, two models, five runs each: the source of realistic summaries, comparisons and verdicts.
    private static IReadOnlyList<InferenceResult> Results(double speed = 1) =>
        Enumerable.Range(1, 5).SelectMany(i => new[]
        {
            Run("jetson-orin-nano", "llama-3.2-1b-instruct", "Q4_K_M", 6, speed * (12.43 + i * 0.02), 218.34 + i, 2345.67 - i, 1_234_567_890 + i, i),
            Run("jetson-orin-nano", "qwen2.5-0.5b-instruct-with-a-much-longer-name", "IQ4_XS", 4, speed * (31.7 + i * 3.1), 1101.2 * speed, 41753.2, 228_500_000, i),
            Run("raspberrypi", "llama-3.2-1b-instruct", "Q4_K_M", 4, speed * (4.1 + i * 0.4), 98.1, 5210.4, 1_100_000_000, i),
        }).ToArray();

    private static object[] Samples(string typeName) => typeName switch
    {
        "EdgeLm.ModelInfo" => new object[]
        {
            new ModelInfo { ModelName = "llama-3.2-1b-instruct", Architecture = "llama", ParameterCount = 1235814400, Quantization = "Q4_K_M", ContextLength = 131072, Layers = 16, FileBytes = 807694464 },
            new ModelInfo { ModelName = "Phi 3 Mini 4k Instruct, a name too long for its column", Architecture = "phi3", ParameterCount = 3821079552, Quantization = "IQ4_XS", ContextLength = 4096, Layers = 32, FileBytes = 2061000000 },
            new ModelInfo { ModelName = "synthetic-tiny", Architecture = "llama", ParameterCount = 361088, Quantization = "F16", ContextLength = 2048, Layers = 2, FileBytes = 999 },
            new ModelInfo(),
        },
        "EdgeLm.InferenceResult" => Results().Take(3).Cast<object>().Append(new InferenceResult
        {
            ModelName = "qwen2.5-0.5b-instruct", Quantization = "IQ4_XS", Threads = 4, PromptTokens = 4096, GeneratedTokens = 1, TimeToFirstTokenMs = 38123.4,
            PrefillTokensPerSecond = 107.4, DecodeTokensPerSecond = null, PeakRssBytes = 228500000,
        }).Append(new InferenceResult()).ToArray(),
        "EdgeLm.DeviceProfile" => new object[]
        {
            new DeviceProfile { DeviceName = "jetson-orin-nano", CatalogEntry = "Jetson Orin Nano Super Developer Kit 8GB", BoardModel = "NVIDIA Jetson Orin Nano Engineering Reference Developer Kit Super", PowerMode = "MAXN_SUPER", Throttled = false },
            new DeviceProfile { DeviceName = "a-device-name-longer-than-its-column", BoardModel = "Raspberry Pi 5 Model B Rev 1.0", Throttled = true },
            new DeviceProfile { DeviceName = "vm" },
        },
        "EdgeLm.PowerSourceInfo" => new object[]
        {
            new PowerSourceInfo { Name = "jetson:VDD_IN", Kind = "jetson", Scope = "module-input", Method = "integrated-power", Readable = true, Default = true },
            new PowerSourceInfo { Name = "hwmon:power_meter/power1_average and more", Kind = "hwmon", Scope = "platform", Method = "integrated-power", Readable = false, Default = false, Reason = "permission denied" },
        },
        "EdgeLm.EnergyMeasurement" => new object[]
        {
            new EnergyMeasurement { DurationSeconds = 3600.25, EnergyJoules = 54321.9, NetEnergyJoules = 36320.6, AveragePowerWatts = 15.09, PeakPowerWatts = 24.61, IdlePowerWatts = 5.0, Samples = 36003, EnergySource = "jetson:VDD_IN", EnergyScope = "module-input", EnergyMethod = "integrated-power" },
            new EnergyMeasurement { DurationSeconds = 12.5, EnergyJoules = 2841.7, NetEnergyJoules = 1320.2, AveragePowerWatts = 227.34, PeakPowerWatts = 301.2, IdlePowerWatts = 121.7, EnergySource = "hwmon:power_meter/power1_average", EnergyScope = "platform" },
            new EnergyMeasurement { DurationSeconds = 0.3, EnergyJoules = 3.9, AveragePowerWatts = 13, PeakPowerWatts = 13, EnergySource = "estimate:generic-cpu" },
        },
        "EdgeLm.BenchmarkSummary" => Summaries.Summarize(Results()).Cast<object>().Append(new BenchmarkSummary
        {
            DeviceName = "raspberrypi", ModelName = "noisy", Threads = 4, Runs = 3, DecodeTokensPerSecondMedian = 10,
            DecodeTokensPerSecondMean = 10, DecodeTokensPerSecondCiLow = 1, DecodeTokensPerSecondCiHigh = 30,
        }).Append(new BenchmarkSummary { DeviceName = "raspberrypi", Runs = 0 }).ToArray(),
        "EdgeLm.ResultComparison" => Comparisons.Compare(Results(), Results(1.09).Where(r => r.Threads != 4 || r.DeviceName != "raspberrypi"))
            .Concat(Comparisons.Compare(Results().Take(3), Results(0.2).Take(3)))
            .Concat(Comparisons.Compare(Results(0.2).Take(3), Results().Take(3)))
            .Cast<object>().Append(new ResultComparison { ModelName = "m", Figure = "InterTokenP95Ms", Ratio = 1, Verdict = "no significant difference" })
            .Append(new ResultComparison()).ToArray(),
        "EdgeLm.Core.Benchmarks.BudgetResult" => new object[]
        {
            new BudgetResult { Passed = true, Figure = "PeakRssBytes", Value = 823456789, Runs = 10, Rule = "PeakRssBytes median <= 900MB (model llama-3.2-*)" },
            new BudgetResult { Passed = true, Figure = "BandwidthUtilization", Value = 0.93, Runs = 10, Rule = "BandwidthUtilization median >= 0.5" },
            new BudgetResult { Passed = false, Figure = "JoulesPerToken", Value = 0.4123, Runs = 10, Rule = "JoulesPerToken p95 <= 0.3 (device jetson-*), a rule long enough to wrap in its column of the table" },
            new BudgetResult { Passed = true, Figure = "DecodeTokensPerSecond", Value = 1234.5, Runs = 3, Rule = "DecodeTokensPerSecond median >= 1" },
            new BudgetResult { Passed = false, Figure = "DecodeTokensPerSecond", Value = null, Runs = 0, Rule = "DecodeTokensPerSecond median >= 1 (model none)" },
        },
        "EdgeLm.CostEstimate" => Costs.Estimate(Results().Select(r => { r.AveragePowerWatts = 7.2; r.EnergyScope = "board-rails"; return r; }),
                new CostSettings { BoardPriceUsd = 80, RequestsPerDay = 1000 }).Cast<object>()
            .Append(new CostEstimate { DeviceName = "raspberrypi", ModelName = "an-unusually-long-model-name", CloudModel = "claude-sonnet-4-5", ElectricityUsdPerRequest = 1e-6, CostIsEstimate = true })
            .Append(new CostEstimate()).ToArray(),
        "EdgeLm.FitPrediction" => new object[]
        {
            new FitPrediction { Target = "Jetson Orin Nano Super Developer Kit 8GB", Verdict = "fits", PredictedPeakRssBytes = 1601500570, MemoryUsePercent = 21.3, MaxContextThatFits = 131072, PredictedDecodeTokensPerSecond = 61.4, PredictedJoulesPerToken = 0.407 },
            new FitPrediction { Target = "Raspberry Pi 5 2GB", Verdict = "does not fit", PredictedPeakRssBytes = 2901500570, MemoryUsePercent = 180.2, PredictedDecodeTokensPerSecond = 3.2, PredictedJoulesPerToken = 3.75 },
            new FitPrediction { Target = "Intel N100 mini PC", Verdict = "unknown", PredictedPeakRssBytes = 999950000 },
        },
        "EdgeLm.PromptCheckResult" => new object[]
        {
            new PromptCheckResult { ModelName = "llama-3.2-1b-instruct", Quantization = "F16", PromptId = "arithmetic", Passed = true, GeneratedTokens = 2, TotalMs = 412.35, Output = "42" },
            new PromptCheckResult { ModelName = "llama-3.2-1b-instruct", Quantization = "Q4_0", PromptId = "capital", Passed = false, OutputChanged = true, GeneratedTokens = 64, TotalMs = 5123.4, Output = "The capital of France is Lyon, a city in the east of the country.\nIt is known for food." },
            new PromptCheckResult { ModelName = "synthetic-tiny", Quantization = "Q8_0", PromptId = "an-unusually-long-prompt-id", OutputChanged = false },
            new PromptCheckResult(),
        },
        "EdgeLm.PromptSuiteSummary" => new object[]
        {
            new PromptSuiteSummary { ModelName = "llama-3.2-1b-instruct", Quantization = "F16", Prompts = 5, Passed = 4, Failed = 1, PassRate = 0.8 },
            new PromptSuiteSummary { ModelName = "llama-3.2-1b-instruct", Quantization = "Q4_0", Prompts = 5, Passed = 2, Failed = 3, PassRate = 0.4, ChangedOutputs = 3 },
            new PromptSuiteSummary { ModelName = "synthetic-tiny", Quantization = "Q8_0", Prompts = 1, PassRate = 0, ChangedOutputs = 0, SyntheticWeights = true },
            new PromptSuiteSummary(),
        },
        "EdgeLm.QualityResult" => new object[]
        {
            new QualityResult { TextPath = "/home/pi/texts/wiki.test.raw", ModelName = "llama-3.2-1b-instruct", Quantization = "Q4_K_M", ContextSize = 512, TokensScored = 143565, Perplexity = 13.4567, PerplexityUncertainty = 0.0912 },
            new QualityResult { TextPath = "/home/pi/texts/wiki.test.raw", ModelName = "synthetic-smollm2-135m", Quantization = "Q8_0", ContextSize = 4096, TokensScored = 2047, Perplexity = 51769.83, PerplexityUncertainty = 924.97, SyntheticWeights = true },
            new QualityResult { TextPath = "/home/pi/texts/wiki.test.raw", ModelName = "an-unusually-long-model-name-that-wraps", Quantization = "IQ4_XS", ContextSize = 32768, TokensScored = 1638300, Perplexity = 1234567.8, PerplexityUncertainty = 123456.7, SyntheticWeights = true },
            new QualityResult { Perplexity = double.NaN, PerplexityUncertainty = double.NaN },
        },
        _ => throw new Xunit.Sdk.XunitException($"TableViewTests has no sample records of {typeName}: add some to Samples"),
    };
}
