using System.Text.Json;
using EdgeLm.Cli;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Cli;

/// <summary>The `edgelm` contract of docs/cli.md, in process and as a real process.</summary>
[Collection(TinyModelCollection.Name)]
public sealed class CliTests : IDisposable
{
    private readonly TinyModel _tiny;
    private readonly TempFolder _temp = new();

    public CliTests(TinyModel tiny) => _tiny = tiny;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void SynthInfoInferAsAProcess()
    {
        string model = _temp.File("t.gguf");
        var synth = ProcessRunner.Edgelm("model", "synth", "--shape", "tiny", "--out", model);
        Assert.Equal(0, synth.Exit);

        var info = ProcessRunner.Edgelm("model", "info", "--model", model, "--format", "json");
        Assert.Equal(0, info.Exit);
        using JsonDocument infoJson = JsonDocument.Parse(info.Out.Trim());
        Assert.Equal("llama", infoJson.RootElement.GetProperty("Architecture").GetString());
        Assert.True(infoJson.RootElement.GetProperty("ParameterCount").GetInt64() > 0);

        var infer = ProcessRunner.Edgelm("infer", "--model", model, "--prompt", "hello", "--max-tokens", "16", "--format", "json");
        Assert.Equal(0, infer.Exit);
        using JsonDocument result = JsonDocument.Parse(infer.Out.Trim());
        Assert.Equal(16, result.RootElement.GetProperty("GeneratedTokens").GetInt32());
        Assert.Equal("", infer.Err);
    }

    [Theory]
    [InlineData("magic")]
    [InlineData("truncated")]
    [InlineData("tensor-past-end")]
    [InlineData("directory")]
    [InlineData("missing")]
    public void BadModelsGiveOneLineAndExitOne(string kind)
    {
        string path = BadModel(kind);

        var run = ProcessRunner.Edgelm("model", "info", "--model", path);

        Assert.Equal(1, run.Exit);
        string[] lines = run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("edgelm: ", lines[0]);
        Assert.DoesNotContain("   at ", run.Err);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void InferOnABadModelFailsTheSameWay()
    {
        var run = InProcess("infer", "--model", BadModel("truncated"), "--prompt", "x");
        Assert.Equal(1, run.Exit);
        Assert.StartsWith("edgelm: bad-truncated.gguf: ", run.Err);
    }

    [Theory]
    [InlineData("infer", "--model", "m.gguf", "--promt", "x")]
    [InlineData("infer", "--model", "m.gguf", "--prompt", "x", "--max-tokens", "many")]
    [InlineData("infer", "--model", "m.gguf", "--prompt", "x", "--max-tokens", "0")]
    [InlineData("infer", "--model", "m.gguf", "--prompt", "x", "--prompt-tokens", "8")]
    [InlineData("infer", "--model", "m.gguf")]
    [InlineData("infer", "--model", "m.gguf", "--prompt-tokens", "0")]
    [InlineData("infer", "--model", "m.gguf", "--prompt", "x", "--warmup", "-1")]
    [InlineData("model", "info", "--model", "m.gguf", "--format", "xml")]
    [InlineData("model", "teleport")]
    [InlineData("frobnicate")]
    [InlineData("model", "synth", "--out", "x.gguf")]
    public void WrongCommandLinesExitTwo(params string[] args)
    {
        var run = InProcess(args);
        Assert.Equal(2, run.Exit);
        Assert.StartsWith("edgelm: ", run.Err);
    }

    [Fact]
    public void CsvHasAHeaderAndOneRowPerRun()
    {
        var run = InProcess("infer", "--model", _tiny.Path, "--prompt", "a, \"quoted\" prompt", "--max-tokens", "3", "--repeat", "2", "--threads", "1", "--format", "csv");

        Assert.Equal(0, run.Exit);
        string[] lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("RunId,Timestamp,DeviceName", lines[0]);
        Assert.Contains("GeneratedTokens", lines[0]);
    }

    [Fact]
    public void TableShowsTheDefaultColumns()
    {
        var run = InProcess("model", "info", "--model", _tiny.Path);

        // The module's default ModelInfo view: parameters as an SI count, at most 80 columns.
        Assert.Equal(0, run.Exit);
        Assert.Contains("Params", run.Out);
        Assert.Contains(FormattableString.Invariant($"{_tiny.Info.ParameterCount / 1000.0:0.#} K"), run.Out);
        Assert.All(run.Out.Split('\n'), line => Assert.True(line.Length <= 80, line));
    }

    [Fact]
    public void QuantizeWritesTheRequestedType()
    {
        var run = InProcess("model", "quantize", "--model", _tiny.Path, "--quantization", "Q4_0", "--out", _temp.File("q4.gguf"), "--format", "json");

        Assert.Equal(0, run.Exit);
        using JsonDocument json = JsonDocument.Parse(run.Out.Trim());
        Assert.Equal("Q4_0", json.RootElement.GetProperty("Quantization").GetString());
    }

    [Fact]
    public void VerboseShowsLlamaCppLog()
    {
        var quiet = InProcess("infer", "--model", _tiny.Path, "--prompt", "x", "--max-tokens", "2", "--threads", "1");
        var verbose = InProcess("infer", "--model", _tiny.Path, "--prompt", "x", "--max-tokens", "2", "--threads", "1", "--verbose");

        Assert.Equal("", quiet.Err);
        Assert.Contains("llama.cpp: ", verbose.Err);
    }

    [Fact]
    public void RandomPromptTokensAndWarmupsAsAProcess()
    {
        var run = ProcessRunner.Edgelm("infer", "--model", _tiny.Path, "--prompt-tokens", "64", "--max-tokens", "8", "--warmup", "1",
            "--include-warmup", "--threads", "1", "--format", "json");

        Assert.Equal(0, run.Exit);
        JsonElement[] records = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(new[] { true, false }, records.Select(r => r.GetProperty("Warmup").GetBoolean()));
        Assert.All(records, r => Assert.Equal(64, r.GetProperty("PromptTokens").GetInt32()));
        Assert.All(records, r => Assert.Equal("worker", r.GetProperty("Isolation").GetString()));
        Assert.All(records, r => Assert.True(r.GetProperty("PeakRssBytes").GetInt64() > 0));
    }

    [Fact]
    public void AnAbortingModelIsOneErrorLineAndExitOne()
    {
        string aborting = AbortingModel.Write(_tiny.Path, _temp.File("aborting.gguf"));

        var run = ProcessRunner.Edgelm("infer", "--model", aborting, "--prompt", AbortingModel.Prompt, "--max-tokens", "2");

        Assert.Equal(1, run.Exit);
        string[] lines = run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith($"edgelm: the EdgeLm worker running {aborting} was killed by SIGABRT", lines[0]);
    }

    [Fact]
    public void AnAbortInTheCallersProcessPrintsNoBacktraceOnItsStdout()
    {
        // ggml forks gdb onto stdout when it aborts; only where gdb is installed could this ever print.
        string aborting = AbortingModel.Write(_tiny.Path, _temp.File("aborting.gguf"));

        var run = ProcessRunner.Edgelm("infer", "--in-process", "--model", aborting, "--prompt", AbortingModel.Prompt, "--max-tokens", "2");

        Assert.Equal(134, run.Exit);
        Assert.Equal(string.Empty, run.Out);
    }

    [Fact]
    public void InProcessLlamaCppWritesNothingOfItsOwnToStdout()
    {
        // As its own process, so that anything native writing to file descriptor 1 would be seen.
        var run = ProcessRunner.Edgelm("infer", "--in-process", "--verbose", "--model", _tiny.Path, "--prompt", "hello", "--max-tokens", "2", "--threads", "1", "--format", "json");

        Assert.Equal(0, run.Exit);
        Assert.Contains("llama.cpp: ", run.Err);
        string[] lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("{\"RunId\":", lines[0]);
    }

    [Fact]
    public void InProcessRunsInTheCallersProcess()
    {
        var run = InProcess("infer", "--model", _tiny.Path, "--prompt", "x", "--max-tokens", "2", "--threads", "1", "--in-process", "--format", "json");

        Assert.Equal(0, run.Exit);
        using JsonDocument json = JsonDocument.Parse(run.Out.Trim());
        Assert.Equal("in-process", json.RootElement.GetProperty("Isolation").GetString());
    }

    private string BadModel(string kind)
    {
        string path = _temp.File($"bad-{kind}.gguf");
        byte[] good = File.ReadAllBytes(_tiny.Path);
        switch (kind)
        {
            case "magic": File.WriteAllBytes(path, "GGML"u8.ToArray().Concat(good.Skip(4)).ToArray()); break;
            case "truncated": File.WriteAllBytes(path, good.Take(5000).ToArray()); break;
            case "tensor-past-end": File.WriteAllBytes(path, good.Take(good.Length - 4096).ToArray()); break;
            case "directory": Directory.CreateDirectory(path); break;
            case "missing": break;
        }

        return path;
    }

    private static (int Exit, string Out, string Err) InProcess(params string[] args) => ProcessRunner.EdgelmInProcess(args);
}

/// <summary>edgelm power-sources and energy, as a process.</summary>
public sealed class EnergyCliTests
{
    [Fact]
    public void WithoutASensorEnergyReportsTheEstimateLabelled()
    {
        using var empty = new TempFolder();
        var run = ProcessRunner.Edgelm("energy", "--root", empty.Path, "--duration", "2", "--format", "json");

        Assert.Equal(0, run.Exit);
        using JsonDocument json = JsonDocument.Parse(run.Out.Trim());
        JsonElement m = json.RootElement;
        Assert.StartsWith("estimate:", m.GetProperty("EnergySource").GetString());
        Assert.Equal("estimate", m.GetProperty("EnergyScope").GetString());
        Assert.Equal("estimated-model", m.GetProperty("EnergyMethod").GetString());
        Assert.Contains("estimate, not a measurement", m.GetProperty("Warnings").GetString());
        Assert.InRange(m.GetProperty("DurationSeconds").GetDouble(), 2.0, 3.0);
        Assert.True(m.GetProperty("Samples").GetInt32() >= 15);
    }

    [Fact]
    public void ThisMachinesDefaultSourceMeasuresACommandWithABaseline()
    {
        var sources = ProcessRunner.Edgelm("power-sources", "--format", "json");
        Assert.Equal(0, sources.Exit);
        string chosen = string.Join("+", sources.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement).Where(s => s.GetProperty("Default").GetBoolean()).Select(s => s.GetProperty("Name").GetString()));

        var run = ProcessRunner.Edgelm("energy", "--baseline", "0.5", "--format", "json", "--", "sleep", "1");

        Assert.Equal(0, run.Exit);
        using JsonDocument json = JsonDocument.Parse(run.Out.Trim());
        JsonElement m = json.RootElement;
        Assert.Equal(chosen, m.GetProperty("EnergySource").GetString());
        Assert.Equal(0, m.GetProperty("ExitCode").GetInt32());
        Assert.Equal(0.5, m.GetProperty("BaselineSeconds").GetDouble());
        double net = m.GetProperty("EnergyJoules").GetDouble() - m.GetProperty("IdlePowerWatts").GetDouble() * m.GetProperty("DurationSeconds").GetDouble();
        Assert.Equal(net, m.GetProperty("NetEnergyJoules").GetDouble(), 6);
    }

    [Theory]
    [InlineData("energy")]
    [InlineData("energy", "--duration", "1", "--", "true")]
    [InlineData("energy", "--duration", "0")]
    [InlineData("infer", "--model", "m.gguf", "--prompt", "x", "--baseline", "3")]
    public void WrongEnergyCommandLinesExitTwo(params string[] args)
    {
        var run = ProcessRunner.Edgelm(args);

        Assert.Equal(2, run.Exit);
        Assert.StartsWith("edgelm: ", run.Err);
    }

    [Fact]
    public void AnUnknownSourceIsRefusedWithTheNamesFound()
    {
        var run = ProcessRunner.Edgelm("energy", "--source", "rapl:package-7", "--duration", "1");

        Assert.Equal(1, run.Exit);
        Assert.Contains("no power source 'rapl:package-7'", run.Err);
        Assert.Contains("estimate:", run.Err);
    }
}

/// <summary>edgelm device against snapshot trees, as a process.</summary>
public sealed class DeviceCliTests
{
    private static string Fixture(string name) => Path.Combine(Repository.Root, "tests", "Fixtures", "devices", name);

    [Fact]
    public void ARootWithoutSysIsAProfileWithWarningsAndExitZero()
    {
        var run = ProcessRunner.Edgelm("device", "--root", Fixture("container-no-sys"), "--format", "json");

        Assert.Equal(0, run.Exit);
        using JsonDocument json = JsonDocument.Parse(run.Out.Trim());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("PhysicalCores").ValueKind);
        Assert.Contains("not found", json.RootElement.GetProperty("Warnings").GetString());
    }

    [Fact]
    public void DeviceNameComesFromTheEnvironmentAndTheTableShowsTheBoard()
    {
        var run = ProcessRunner.Run("dotnet", new[] { Path.Combine(AppContext.BaseDirectory, "edgelm.dll"), "device", "--root", Fixture("raspberry-pi-5-8gb") },
            new Dictionary<string, string> { ["EDGELM_DEVICE_NAME"] = "pi5-kitchen", ["PATH"] = Path.Combine(Fixture("raspberry-pi-5-8gb"), "bin") + ":/usr/bin:/bin" });

        // The module's device table: the board by its catalog name (the model string and CPU are in --format json).
        Assert.Equal(0, run.Exit);
        Assert.Contains("pi5-kitchen", run.Out);
        Assert.Contains("Raspberry Pi 5 8GB", run.Out);
    }

    [Fact]
    public void AMissingRootIsAUsageError()
    {
        var run = ProcessRunner.Edgelm("device", "--root", "/nonexistent/root");

        Assert.Equal(2, run.Exit);
        Assert.StartsWith("edgelm: device: --root /nonexistent/root is not a folder", run.Err);
    }
}

/// <summary>edgelm export writes to stdout without closing it, and refuses an unknown target before writing anything.</summary>
public sealed class ExportCliTests
{
    [Fact]
    public void ExportWritesMarkdownToStdoutAndRefusesUnknownTargetsFirst()
    {
        using var folder = new TempFolder();
        string results = folder.File("r.jsonl");
        File.WriteAllText(results, RecordText.ToJsonLine(new InferenceResult { Threads = 1 }) + "\n" + RecordText.ToJsonLine(new InferenceResult { Threads = 2 }) + "\n");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        Assert.Equal(0, Program.Run(new[] { "export", "--in", results }, stdout, stderr));
        stdout.Write("still open");
        Assert.StartsWith("| Threads |", stdout.ToString());

        string target = folder.File("out.xml");
        Assert.Equal(2, Program.Run(new[] { "export", "--in", results, "--to", "xml", "--out", target }, new StringWriter(), stderr));
        Assert.False(File.Exists(target));
    }
}
