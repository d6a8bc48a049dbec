using System.Text.Json;
using EdgeLm.Core;
using EdgeLm.Core.Benchmarks;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Benchmarks;

/// <summary>
/// Measure-EdgeCost's figures recomputed by hand from the record's own inputs (docs/records.md's formulas), the
/// estimate labels, the cloud price table, and hostile inputs: price files that are FIFOs, devices, negative or NaN
/// prices, unknown boards without a price.
/// </summary>
public sealed class CostTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static InferenceResult Run(double decode, double prefill, double? watts, string device = "Raspberry Pi 5 8GB",
        string? scope = "board-rails", string? method = "integrated-power", string quantization = "Q4_0") => new()
    {
        RunId = Guid.NewGuid().ToString("N"), DeviceName = device, ModelName = "llama-3.2-1b", Quantization = quantization, Threads = 4,
        ContextSize = 512, PromptTokens = 128, RequestedTokens = 64, GeneratedTokens = 64,
        DecodeTokensPerSecond = decode, PrefillTokensPerSecond = prefill, AveragePowerWatts = watts,
        EnergyScope = watts is null ? null : scope, EnergyMethod = watts is null ? null : method,
    };

    private static InferenceResult[] ThreeRuns(string device = "Raspberry Pi 5 8GB", string? scope = "board-rails", string? method = "integrated-power") => new[]
    {
        Run(11, 58, 7.0, device, scope, method), Run(12, 60, 7.2, device, scope, method), Run(13, 61, 7.5, device, scope, method),
    };

    [Fact]
    public void EveryFigureIsRecomputedByHandFromTheRecord()
    {
        var settings = new CostSettings { RequestsPerDay = 1000, CloudModel = new[] { "gpt-4o-mini" } };
        CostEstimate e = Assert.Single(Costs.Estimate(ThreeRuns(), settings));

        // Medians of the runs, the catalog's list price, the documented defaults: all on the record.
        Assert.Equal((12.0, 60.0, 7.2), (e.DecodeTokensPerSecond!.Value, e.PrefillTokensPerSecond!.Value, e.PowerWatts!.Value));
        Assert.Equal(("Raspberry Pi 5 8GB", 80.0, "catalog"), (e.BoardName, e.BoardPriceUsd, e.BoardPriceSource));
        Assert.Equal((3.0, 1.0, 0.15), (e.LifetimeYears, e.DutyCycle, e.ElectricityUsdPerKwh));
        Assert.Equal(("measured", false, null), (e.PowerSource, e.CostIsEstimate, e.CostEstimateReason));
        Assert.Equal((0.15, 0.60), (e.CloudUsdPerMillionPromptTokens, e.CloudUsdPerMillionOutputTokens));
        Assert.Equal((128, 64), (e.PromptTokensPerRequest, e.OutputTokensPerRequest));

        // docs/records.md, by hand: $80 over 3 × 8760 h; 7.2 W × $0.15/kWh.
        double hardwarePerHour = 80.0 / (3 * 8760 * 1.0);
        double electricityPerHour = 7.2 / 1000 * 0.15;
        Assert.Equal(hardwarePerHour, e.HardwareUsdPerHour, 12);
        Assert.Equal(electricityPerHour, e.ElectricityUsdPerHour!.Value, 12);
        Assert.Equal(hardwarePerHour + electricityPerHour, e.DeviceUsdPerHour!.Value, 12);
        Assert.Equal((hardwarePerHour + electricityPerHour) / (12 * 3600) * 1e6, e.DeviceUsdPerMillionOutputTokens!.Value, 9);
        Assert.Equal((hardwarePerHour + electricityPerHour) / (60 * 3600) * 1e6, e.DeviceUsdPerMillionPromptTokens!.Value, 9);

        double seconds = 128 / 60.0 + 64 / 12.0;
        Assert.Equal(seconds, e.DeviceSecondsPerRequest!.Value, 9);
        Assert.Equal(86400 * 1.0 / seconds, e.DeviceMaxRequestsPerDay!.Value, 6);
        Assert.Equal(1000 * seconds, e.DeviceBusySecondsPerDay!.Value, 6);
        Assert.True(e.DeviceCanServe);
        double hardwarePerMonth = 80.0 / (3 * 12);
        double electricityPerRequest = 7.2 * seconds / 3.6e6 * 0.15;
        double cloudPerRequest = (128 * 0.15 + 64 * 0.60) / 1e6;
        Assert.Equal(hardwarePerMonth, e.HardwareUsdPerMonth, 12);
        Assert.Equal(electricityPerRequest, e.ElectricityUsdPerRequest!.Value, 15);
        Assert.Equal(cloudPerRequest, e.CloudUsdPerRequest, 15);
        double daysPerMonth = 365 / 12.0;
        Assert.Equal(hardwarePerMonth + electricityPerRequest * 1000 * daysPerMonth, e.DeviceUsdPerMonth!.Value, 9);
        Assert.Equal(cloudPerRequest * 1000 * daysPerMonth, e.CloudUsdPerMonth!.Value, 9);
        Assert.Equal(hardwarePerMonth / (daysPerMonth * (cloudPerRequest - electricityPerRequest)), e.BreakEvenRequestsPerDay!.Value, 6);
        // 1000 a day is below the break-even (about 1320): the cloud is cheaper.
        Assert.True(e.BreakEvenRequestsPerDay > 1000);
        Assert.Equal("cloud", e.Cheaper);
    }

    [Fact]
    public void TheCliPrintsEveryInputAndFigureAsJsonThatRecomputes()
    {
        string results = _temp.File("r.jsonl");
        File.WriteAllLines(results, ThreeRuns().Select(r => RecordText.ToJsonLine(r)));

        (int exit, string stdout, string stderr) = ProcessRunner.EdgelmInProcess("cost", "--in", results, "--cloud-model", "gpt-4o,claude-haiku-4-5",
            "--board-price-usd", "100", "--lifetime-years", "2", "--duty-cycle", "0.5", "--electricity-usd-per-kwh", "0.3", "--format", "json");
        Assert.True(exit == 0, stderr);
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        foreach (string line in lines)
        {
            JsonElement r = JsonDocument.Parse(line).RootElement;
            double Get(string name) => r.GetProperty(name).GetDouble();
            Assert.Equal(("given", 100.0, 2.0, 0.5, 0.3), (r.GetProperty("BoardPriceSource").GetString(), Get("BoardPriceUsd"), Get("LifetimeYears"), Get("DutyCycle"), Get("ElectricityUsdPerKwh")));
            double perHour = Get("BoardPriceUsd") / (Get("LifetimeYears") * 8760 * Get("DutyCycle")) + Get("PowerWatts") / 1000 * Get("ElectricityUsdPerKwh");
            Assert.Equal(perHour / (Get("DecodeTokensPerSecond") * 3600) * 1e6, Get("DeviceUsdPerMillionOutputTokens"), 9);
            Assert.Equal(perHour / (Get("PrefillTokensPerSecond") * 3600) * 1e6, Get("DeviceUsdPerMillionPromptTokens"), 9);
            Assert.StartsWith("https://", r.GetProperty("CloudPriceSource").GetString());
            Assert.False(string.IsNullOrEmpty(r.GetProperty("CloudPriceDate").GetString()));
            Assert.True(Get("CloudUsdPerMillionOutputTokens") > 0 && Get("CloudUsdPerMillionPromptTokens") > 0);
        }

        Assert.Equal(new[] { "gpt-4o", "claude-haiku-4-5" }, lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("CloudModel").GetString()));
    }

    [Fact]
    public void TheWorkloadSaysWhenTheDeviceCannotKeepUp()
    {
        // 64 output tokens at 12 t/s and 128 prompt tokens at 60 t/s: about 7.5 s a request; half a day holds about 5800.
        CostEstimate e = Assert.Single(Costs.Estimate(ThreeRuns(), new CostSettings { RequestsPerDay = 10_000, DutyCycle = 0.5, CloudModel = new[] { "gpt-4o" } }));
        Assert.False(e.DeviceCanServe);
        Assert.True(e.DeviceBusySecondsPerDay > 86400 * 0.5);
        Assert.True(e.DeviceUsdPerMonth < e.CloudUsdPerMonth, "cheaper on paper");
        Assert.Equal("cloud", e.Cheaper); // but it cannot serve the volume
    }

    [Fact]
    public void ACloudRequestCheaperThanTheElectricityNeverBreaksEven()
    {
        string prices = _temp.File("prices.yaml");
        File.WriteAllText(prices, "- { provider: Cheap, model: free-ish, inputUsdPerMillionTokens: 0, outputUsdPerMillionTokens: 0.000001, date: '2026-12-01', source: 'https://example.test' }\n");
        CostEstimate e = Assert.Single(Costs.Estimate(ThreeRuns(), new CostSettings { CloudPricePath = prices, CloudModel = new[] { "free-ish" } }));
        Assert.Null(e.BreakEvenRequestsPerDay);
        Assert.True(e.ElectricityUsdPerRequest > e.CloudUsdPerRequest);
    }

    [Fact]
    public void AUserFileOverridesAnEntryAndAddsOthers()
    {
        string prices = _temp.File("prices.yaml");
        File.WriteAllText(prices, string.Join('\n',
            "- { provider: openai, model: GPT-4o-mini, inputUsdPerMillionTokens: 1, outputUsdPerMillionTokens: 2, date: '2027-01-01', source: 'https://mine' }",
            "- { provider: Local, model: my-api, inputUsdPerMillionTokens: 0.5, outputUsdPerMillionTokens: 0.7 }"));
        IReadOnlyList<CloudPrice> table = CloudPrices.Load(prices);
        Assert.Equal(CloudPrices.EmbeddedEntries.Count + 1, table.Count);
        CloudPrice mini = Assert.Single(table, p => p.Model.Equals("gpt-4o-mini", StringComparison.OrdinalIgnoreCase));
        Assert.Equal((1.0, 2.0, "https://mine"), (mini.InputUsdPerMillionTokens!.Value, mini.OutputUsdPerMillionTokens!.Value, mini.Source));
        Assert.Contains(table, p => p.Model == "my-api");
    }

    [Fact]
    public void TheEmbeddedTableNamesEachPricesSourceAndDate()
    {
        Assert.NotEmpty(CloudPrices.EmbeddedEntries);
        Assert.All(CloudPrices.EmbeddedEntries, p =>
        {
            Assert.StartsWith("https://", p.Source);
            Assert.Matches(@"^\d{4}-\d{2}(-\d{2})?$", p.Date);
            Assert.True(p.InputUsdPerMillionTokens > 0 && p.OutputUsdPerMillionTokens >= p.InputUsdPerMillionTokens, $"{p.Model}: output costs more than input");
        });
    }

    [Theory]
    [InlineData("estimate", "estimated-model", "estimated", "estimated by a model")]
    [InlineData("cpu-package", "counter-delta", "measured", "covers cpu-package")]
    public void EstimatedOrPartialPowerMakesTheCostAnEstimate(string scope, string method, string source, string reason)
    {
        CostEstimate e = Costs.Estimate(ThreeRuns(scope: scope, method: method), new CostSettings()).First();
        Assert.True(e.CostIsEstimate);
        Assert.Equal(source, e.PowerSource);
        Assert.Contains(reason, e.CostEstimateReason);
    }

    [Fact]
    public void WithoutEnergyTheCatalogsTdpStandsInAndSaysSo()
    {
        InferenceResult[] runs = { Run(12, 60, null), Run(12, 60, null) };
        CostEstimate e = Costs.Estimate(runs, new CostSettings()).First();
        Assert.Equal(("catalog-tdp", 12.0), (e.PowerSource, e.PowerWatts!.Value));
        Assert.True(e.CostIsEstimate);
        Assert.Contains("TDP", e.CostEstimateReason);

        // Without a catalog entry either, no electricity is invented: the device's figures are empty and the reason names the fix.
        CostEstimate unknown = Costs.Estimate(new[] { Run(12, 60, null, device: "pi5") }, new CostSettings { BoardPriceUsd = 80 }).First();
        Assert.Null(unknown.DeviceUsdPerMillionOutputTokens);
        Assert.Null(unknown.PowerSource);
        Assert.Contains("-PowerWatts", unknown.CostEstimateReason);

        // A given power is the user's figure, not an estimate.
        CostEstimate given = Costs.Estimate(new[] { Run(12, 60, null, device: "pi5") }, new CostSettings { BoardPriceUsd = 80, PowerWatts = 6 }).First();
        Assert.Equal(("given", 6.0, false), (given.PowerSource, given.PowerWatts!.Value, given.CostIsEstimate));
    }

    [Fact]
    public void PipedSummariesUseTheirMediansAndSayTheyCarryNoPower()
    {
        BenchmarkSummary summary = Assert.Single(Summaries.Summarize(ThreeRuns()));
        CostEstimate e = Costs.Estimate(new[] { summary }, new CostSettings()).First();
        Assert.Equal((12.0, 60.0), (e.DecodeTokensPerSecond!.Value, e.PrefillTokensPerSecond!.Value));
        Assert.Equal("catalog-tdp", e.PowerSource);
        Assert.Contains("summary carries no power", e.CostEstimateReason);
    }

    [Fact]
    public void AnUnknownBoardWithoutAPriceIsRefusedNamingBoardPriceUsd()
    {
        var e = Assert.Throws<EdgeLmArgumentException>(() => Costs.Estimate(ThreeRuns(device: "pi5"), new CostSettings()));
        Assert.Equal("BoardPriceUnknown", e.ErrorId);
        Assert.Contains("'pi5'", e.Message);
        Assert.Contains("-BoardPriceUsd", e.Message);
        Assert.Contains("--board-price-usd", e.Message);

        var ambiguous = Assert.Throws<EdgeLmArgumentException>(() => Costs.Estimate(ThreeRuns(device: "Raspberry Pi 5"), new CostSettings()));
        Assert.Equal("BoardAmbiguous", ambiguous.ErrorId);
        Assert.Contains("-Board", ambiguous.Message);

        var named = Assert.Throws<EdgeLmArgumentException>(() => Costs.Estimate(ThreeRuns(device: "pi5"), new CostSettings { Board = "Raspberry Pi 9" }));
        Assert.Equal("UnknownBoard", named.ErrorId);
        Assert.Contains("Raspberry Pi 5 8GB", named.Message);

        // Named, the catalog entry answers; given, the price wins.
        Assert.Equal(80, Costs.Estimate(ThreeRuns(device: "pi5"), new CostSettings { Board = "raspberry pi 5 8gb" }).First().BoardPriceUsd);
        Assert.Equal(65, Costs.Estimate(ThreeRuns(device: "pi5"), new CostSettings { BoardPriceUsd = 65 }).First().BoardPriceUsd);
    }

    public static TheoryData<CostSettings, string> BadSettings => new()
    {
        { new CostSettings { BoardPriceUsd = -1 }, "InvalidBoardPrice" },
        { new CostSettings { BoardPriceUsd = double.NaN }, "InvalidBoardPrice" },
        { new CostSettings { LifetimeYears = 0 }, "InvalidLifetime" },
        { new CostSettings { DutyCycle = 1.5 }, "InvalidDutyCycle" },
        { new CostSettings { DutyCycle = 0 }, "InvalidDutyCycle" },
        { new CostSettings { ElectricityUsdPerKwh = double.PositiveInfinity }, "InvalidElectricityPrice" },
        { new CostSettings { ElectricityUsdPerKwh = -0.1 }, "InvalidElectricityPrice" },
        { new CostSettings { PowerWatts = double.NaN }, "InvalidPower" },
        { new CostSettings { RequestsPerDay = -5 }, "InvalidRequestsPerDay" },
        { new CostSettings { PromptTokensPerRequest = 0, OutputTokensPerRequest = 0 }, "EmptyRequest" },
        { new CostSettings { CloudModel = new[] { "no-such-model" } }, "NoCloudPrice" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void ImpossibleSettingsAreRefusedNamingTheSetting(CostSettings settings, string errorId)
    {
        var e = Assert.Throws<EdgeLmArgumentException>(() => Costs.Estimate(ThreeRuns(), settings));
        Assert.Equal(errorId, e.ErrorId);
    }

    [Theory]
    [InlineData("inputUsdPerMillionTokens: -1, outputUsdPerMillionTokens: 1", "inputUsdPerMillionTokens -1")]
    [InlineData("inputUsdPerMillionTokens: .nan, outputUsdPerMillionTokens: 1", "inputUsdPerMillionTokens NaN")]
    [InlineData("inputUsdPerMillionTokens: 1, outputUsdPerMillionTokens: .inf", "outputUsdPerMillionTokens Infinity")]
    [InlineData("inputUsdPerMillionTokens: 1", "outputUsdPerMillionTokens missing")]
    public void ABadPriceIsRefusedNamingTheFileAndEntry(string prices, string expected)
    {
        string file = _temp.File("bad.yaml");
        File.WriteAllText(file, $"- {{ provider: X, model: ok, inputUsdPerMillionTokens: 1, outputUsdPerMillionTokens: 1 }}\n- {{ provider: X, model: y, {prices} }}\n");
        var e = Assert.Throws<EdgeLmInvalidFileException>(() => Costs.Estimate(ThreeRuns(), new CostSettings { CloudPricePath = file }));
        Assert.Equal("CloudPriceInvalid", e.ErrorId);
        Assert.Contains(file, e.Message);
        Assert.Contains("entry 2", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void AFifoADeviceAndADeepFileAreRefusedAtOnce()
    {
        string fifo = _temp.File("prices-fifo");
        Assert.Equal(0, ProcessRunner.Run("mkfifo", new[] { fifo }).Exit);
        Assert.Equal("NotARegularFile", Assert.Throws<EdgeLmInvalidFileException>(() => CloudPrices.Load(fifo)).ErrorId);
        Assert.Equal("NotARegularFile", Assert.Throws<EdgeLmInvalidFileException>(() => CloudPrices.Load("/dev/zero")).ErrorId);

        string deep = _temp.File("deep.yaml");
        File.WriteAllText(deep, new string('[', 10_000) + new string(']', 10_000));
        Assert.Equal("YamlTooComplex", Assert.Throws<EdgeLmInvalidFileException>(() => CloudPrices.Load(deep)).ErrorId);

        string huge = _temp.File("huge.yaml");
        File.WriteAllText(huge, "# " + new string('x', (int)InputFiles.MaxDocumentBytes));
        Assert.Equal("FileTooLarge", Assert.Throws<EdgeLmInvalidFileException>(() => CloudPrices.Load(huge)).ErrorId);

        Assert.Equal("CloudPricesNotFound", Assert.Throws<EdgeLmInvalidFileException>(() => CloudPrices.Load(_temp.File("missing.yaml"))).ErrorId);
        string empty = _temp.File("empty.yaml");
        File.WriteAllText(empty, "# nothing\n");
        Assert.Equal("CloudPricesEmpty", Assert.Throws<EdgeLmInvalidFileException>(() => CloudPrices.Load(empty)).ErrorId);
    }

    [Fact]
    public void TheCliRefusesAFifoPriceFileWithExitOne()
    {
        string results = _temp.File("r.jsonl");
        File.WriteAllLines(results, ThreeRuns().Select(r => RecordText.ToJsonLine(r)));
        string fifo = _temp.File("cli-fifo");
        Assert.Equal(0, ProcessRunner.Run("mkfifo", new[] { fifo }).Exit);
        (int exit, string stdout, string stderr) = ProcessRunner.EdgelmInProcess("cost", "--in", results, "--cloud-prices", fifo);
        Assert.Equal(1, exit);
        Assert.Empty(stdout);
        Assert.Contains("named pipe (FIFO)", stderr);
    }
}
