using System.Text.Json;
using EdgeLm.Cli;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Cli;

/// <summary>edgelm's command line on System.CommandLine: help, completions, one-line errors, sweeps and shape options.</summary>
[Collection(TinyModelCollection.Name)]
public sealed class CommandLineTests : IDisposable
{
    private readonly TinyModel _tiny;
    private readonly TempFolder _temp = new();

    public CommandLineTests(TinyModel tiny) => _tiny = tiny;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void HelpListsEveryCommandAndExitCodesWithinEightyColumns()
    {
        var help = Run("--help");
        var bare = Run();
        var helpCommand = Run("help");

        Assert.Equal((0, ""), (help.Exit, help.Err));
        foreach (string command in new[] { "model", "infer", "bench", "summary", "compare", "budget", "export", "device", "power-sources", "energy", "version" })
        {
            Assert.Contains($"  {command} ", help.Out);
        }

        Assert.DoesNotContain("  worker ", help.Out);
        Assert.Contains("Exit codes: 0 success, 1 the operation failed, 2 the command line was wrong, 130", help.Out);
        Assert.All(help.Out.Split('\n'), line => Assert.True(line.TrimEnd().Length <= 80, $"wider than 80 columns: '{line}'"));
        Assert.Equal((2, help.Out), (bare.Exit, bare.Out));
        Assert.Equal((0, help.Out), (helpCommand.Exit, helpCommand.Out));
    }

    [Fact]
    public void EachCommandsHelpShowsItsOptionsAndCoresDefaults()
    {
        var infer = Run("infer", "--help");
        var synth = Run("help", "model", "synth");

        Assert.Equal(0, infer.Exit);
        Assert.Contains("--max-tokens <N>", infer.Out);
        Assert.Contains("[default: 128]", infer.Out);
        Assert.Contains("--flash-attn <auto|on|off>", infer.Out);
        Assert.Contains("--format <table|csv|json>", infer.Out);
        Assert.Equal((0, Run("model", "synth", "--help").Out), (synth.Exit, synth.Out));
        Assert.Contains("--tied-output", synth.Out);
    }

    [Theory]
    [InlineData("infer --format ", "csv|json|table")]
    [InlineData("infer --flash-attn ", "auto|off|on")]
    [InlineData("export --to ", "csv|jsonl|markdown")]
    [InlineData("model synth --shape smollm2-1", "smollm2-135m")]
    [InlineData("model quantize --quantization Q4_K", "Q4_K_M|Q4_K_S")]
    [InlineData("summary --group-by ModelName,Thr", "ModelName,Threads|ModelName,Throttled")]
    [InlineData("infer --meter ", "command=|shelly-gen1=|shelly-gen2=|tasmota=")]
    [InlineData("infer --max-t", "--max-tokens")]
    [InlineData("mod", "model")]
    public void TheSuggestDirectiveCompletesCommandsOptionsAndValues(string line, string expected)
    {
        var run = Run($"[suggest:{line.Length}]", line);

        Assert.Equal(0, run.Exit);
        string[] wanted = expected.Split('|');
        string[] offered = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(wanted, offered.Where(wanted.Contains).ToArray());
    }

    [Theory]
    [InlineData("infer: unknown option --promt; did you mean --prompt?", "infer", "--model", "m.gguf", "--promt", "x")]
    [InlineData("model: say which: synth, info or quantize", "model")]
    [InlineData("model: unknown command 'teleport'; use synth, info or quantize", "model", "teleport")]
    [InlineData("infer: --model is required", "infer", "--prompt", "x")]
    [InlineData("infer: --model needs a value", "infer", "--model")]
    [InlineData("infer: --seed must be at least 0, not -1", "infer", "--model", "m", "--prompt", "x", "--seed", "-1")]
    [InlineData("infer: --top-p must be at most 1, not 2", "infer", "--model", "m", "--prompt", "x", "--top-p", "2")]
    [InlineData("bench: --threads takes whole numbers separated by commas, not 'two'", "bench", "--model", "m", "--threads", "1,two")]
    [InlineData("bench: --threads sets a sweep (--model); a plan sets it in its file", "bench", "--plan", "p.yaml", "--threads", "1")]
    [InlineData("bench: give --plan PATH or --model PATH for a sweep (one of them)", "bench")]
    [InlineData("infer: -Meter (--meter) applies only when energy is measured", "infer", "--model", "m", "--prompt", "x", "--meter", "tasmota=http://192.0.2.1")]
    [InlineData("energy: give --duration SECONDS or -- COMMAND [ARGS...] (one of them)", "energy", "--duration", "1", "--", "true")]
    public void EveryCommandLineErrorIsOneLineAndExitTwo(string expected, params string[] args)
    {
        var run = Run(args);

        Assert.Equal(2, run.Exit);
        Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("edgelm: " + expected, run.Err);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void ListsAreCommaSeparatedOrRepeatedAndAnAtSignIsNoResponseFile()
    {
        var parse = Program.BuildRootCommand().Parse(new[] { "bench", "--model", "a.gguf", "--model", "b.gguf", "--threads", "1,2", "--threads", "4" });
        Assert.Empty(parse.Errors);
        Assert.Equal(new[] { 1, 2, 4 }, parse.GetValue<int[]?>("--threads"));
        Assert.Equal(new[] { "a.gguf", "b.gguf" }, parse.GetValue<string[]>("--model"));

        var run = Run("model", "info", "--model", "@nowhere.gguf");
        Assert.Equal(1, run.Exit);
        Assert.Contains("@nowhere.gguf does not exist", run.Err);
    }

    [Fact]
    public void ASweepWithoutAPlanRunsSavesAndResumes()
    {
        string results = _temp.File("sweep.jsonl");
        string[] sweep = { "bench", "--model", _tiny.Path, "--threads", "1", "--prompt-tokens", "8,16", "--generation-tokens", "2", "--repetitions", "2", "--warmups", "0", "--out", results, "--format", "json" };

        var first = Run(sweep);
        var again = Run(sweep.Append("--resume").ToArray());

        Assert.Equal((0, ""), (first.Exit, first.Err));
        JsonElement[] records = first.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(4, records.Length);
        Assert.Equal(new[] { 8, 8, 16, 16 }, records.Select(r => r.GetProperty("PromptTokens").GetInt32()));
        Assert.Equal(4, File.ReadAllLines(results).Length);
        Assert.Equal((0, ""), (again.Exit, again.Out));
        Assert.Contains("resuming: 4 of 4 runs are already in", again.Err);
    }

    [Fact]
    public void ASweepWithoutAResultsFilePrintsAndSaysItIsNotSaved()
    {
        var run = Run("bench", "--model", _tiny.Path, "--threads", "1", "--prompt-tokens", "8", "--generation-tokens", "2", "--repetitions", "1", "--warmups", "0", "--format", "csv");

        Assert.Equal(0, run.Exit);
        Assert.Equal(2, run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.StartsWith("edgelm: note: no results file", run.Err);
    }

    [Fact]
    public void ABadSweepValueIsRefusedNamingIt()
    {
        var run = Run("bench", "--model", _tiny.Path, "--threads", "0");

        Assert.Equal(2, run.Exit);
        Assert.StartsWith("edgelm: bench: threads has 0; values must be at least 1", run.Err);
    }

    [Fact]
    public void ShapeOptionsChangeTheNamedShape()
    {
        var run = Run("model", "synth", "--shape", "tiny", "--layers", "3", "--tied-output", "false", "--out", _temp.File("t3.gguf"), "--format", "json");

        Assert.Equal(0, run.Exit);
        using JsonDocument json = JsonDocument.Parse(run.Out.Trim());
        Assert.Equal(3, json.RootElement.GetProperty("Layers").GetInt32());
        Assert.False(json.RootElement.GetProperty("TiedOutput").GetBoolean());
        Assert.Equal(_tiny.Info.EmbeddingSize, json.RootElement.GetProperty("EmbeddingSize").GetInt32());
    }

    private static (int Exit, string Out, string Err) Run(params string[] args) => ProcessRunner.EdgelmInProcess(args);
}
