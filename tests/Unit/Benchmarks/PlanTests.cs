using EdgeLm.Core;
using EdgeLm.Core.Benchmarks;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Benchmarks;

/// <summary>Plans are refused with file, line and column before anything runs; good ones expand as written.</summary>
[Collection(TinyModelCollection.Name)]
public sealed class PlanTests : IDisposable
{
    private readonly TinyModel _tiny;
    private readonly TempFolder _folder = new();

    public PlanTests(TinyModel tiny) => _tiny = tiny;

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("models:\n  - path: MODEL\ntreads: [1, 2]\n", "PlanInvalid", "line 3, column 1", "unknown key 'treads'")]
    [InlineData("models:\n  - path: MODEL\n    quantisation: Q4_0\n", "PlanInvalid", "line 3, column 5", "unknown key 'quantisation'")]
    [InlineData("models:\n  - path: MODEL\nthreads: [1, two]\n", "PlanInvalid", "line 3, column 14", "wrong type")]
    [InlineData("models:\n  - path: MODEL\nrepetitions: many\n", "PlanInvalid", "line 3, column 14", "wrong type")]
    [InlineData("models:\n  - path: missing.gguf\n", "PlanModelNotFound", "line 2, column 11", "missing.gguf")]
    [InlineData("models:\n  - path: MODEL\nthreads: []\n", "PlanEmptyMatrix", "line 3, column 10", "'threads' is empty")]
    [InlineData("models: []\n", "PlanEmptyMatrix", "line 1, column 9", "'models' is empty")]
    [InlineData("threads: [1]\n", "PlanEmptyMatrix", "line 1, column 1", "'models' is empty")]
    [InlineData("models:\n  - synthetic: llama-9b\n    quantizations: [Q4_0]\n", "PlanUnknownShape", "line 2, column 16", "llama-9b")]
    [InlineData("models:\n  - synthetic: tiny\n    quantizations: [Q3_X]\n", "PlanUnknownQuantization", "line 3, column 20", "Q3_X")]
    [InlineData("models:\n  - path: MODEL\ncontexts: [64]\npromptTokens: [128]\n", "PlanContextTooSmall", "line 3, column 11", "256")]
    [InlineData("models:\n  - path: MODEL\nthreads: [0]\n", "PlanOutOfRange", "line 3, column 10", "at least 1")]
    public void BadPlansAreRefusedWithLineAndColumnAndNothingRuns(string yaml, string errorId, string where, string what)
    {
        string plan = Write(yaml);
        string output = _folder.File("results.jsonl");

        var e = Assert.Throws<EdgeLmInvalidFileException>(() => BenchmarkRunner.Run(PlanReader.Read(plan), new BenchmarkOptions { OutputPath = output }));

        Assert.Equal(errorId, e.ErrorId);
        Assert.Contains($"{plan} {where}", e.Message);
        Assert.Contains(what, e.Message);
        Assert.False(File.Exists(output), "a refused plan must not start a run");
    }

    [Fact]
    public void APlanExpandsIntoStableKeyedConfigurations()
    {
        string plan = Write("""
            models:
              - path: MODEL
              - synthetic: smollm2-135m
                quantizations: [Q4_0, Q8_0]
            threads: [1, 2]
            contexts: [512, 1024]
            promptTokens: [64]
            generationTokens: [32, 64]
            depths: [0, 128]
            repetitions: 2
            """);

        IReadOnlyList<RunConfiguration> configurations = BenchmarkMatrix.Expand(PlanReader.Read(plan));

        Assert.Equal(3 * 2 * 2 * 2 * 2, configurations.Count);
        Assert.Equal(configurations.Count, configurations.Select(c => c.Key).Distinct().Count());
        Assert.Equal(configurations.Select(c => c.Key), BenchmarkMatrix.Expand(PlanReader.Read(plan)).Select(c => c.Key));
        Assert.NotEqual(configurations[0].RunKey(1), configurations[0].RunKey(2));
        Assert.Equal(_tiny.Path, configurations[0].Model.Path);
        Assert.Equal("smollm2-135m", configurations[^1].Model.Shape);
    }

    [Fact]
    public void TheExamplePlansAreValid()
    {
        Assert.NotEmpty(Budgets.Read(Path.Combine(Repository.Root, "examples", "budget.yaml")));
        foreach (string example in Directory.GetFiles(Path.Combine(Repository.Root, "examples"), "*.yaml").Where(f => !f.EndsWith("budget.yaml")))
        {
            LoadedPlan plan = PlanReader.Read(example);
            Assert.NotEmpty(BenchmarkMatrix.Expand(plan));
        }
    }

    private string Write(string yaml)
    {
        string file = _folder.File("plan-" + Guid.NewGuid().ToString("N")[..6] + ".yaml");
        File.WriteAllText(file, yaml.Replace("MODEL", _tiny.Path));
        return file;
    }
}

/// <summary>Plans that would crash, never end or run for years are refused before anything runs.</summary>
public sealed class HostilePlanTests
{
    private const string Model = "models:\n  - synthetic: tiny\n    quantizations: [F16]\n";

    [Theory]
    [InlineData(Model + "threads: ~\n", "PlanEmptyMatrix", "'threads' is empty (~)")]
    [InlineData("models: ~\n", "PlanEmptyMatrix", "'models' is empty (~)")]
    [InlineData("models:\n  - ~\n", "PlanInvalidModel", "models[0] is empty")]
    [InlineData("models:\n  - synthetic: tiny\n    quantizations: ~\n", "PlanInvalidModel", "'quantizations' is empty (~)")]
    [InlineData(Model + "baselineSeconds: .inf\n", "PlanOutOfRange", "baselineSeconds is Infinity; use 0 to 86400 seconds")]
    [InlineData(Model + "cooldown:\n  seconds: .inf\n", "PlanOutOfRange", "cooldown seconds is Infinity")]
    [InlineData(Model + "cooldown:\n  untilCelsius: .nan\n", "PlanOutOfRange", "untilCelsius is NaN")]
    [InlineData(Model + "quietBelow: 0\n", "PlanOutOfRange", "quietBelow is 0; use a CPU pressure percent above 0")]
    [InlineData(Model + "quietMaxWaitSeconds: -1\n", "PlanOutOfRange", "quietMaxWaitSeconds is -1")]
    [InlineData(Model + "threads: [1,2,3,4,5,6,7,8,9,10]\npromptTokens: [1,2,3,4,5,6,7,8,9,10]\ngenerationTokens: [1,2,3,4,5,6,7,8,9,10]\nrepetitions: 10\n",
        "PlanTooLarge", "expands to 11000 runs, more than 10000")]
    public void RefusedWithTheKeyNamed(string yaml, string errorId, string fragment)
    {
        var e = Assert.Throws<EdgeLmInvalidFileException>(() => PlanReader.Parse(yaml, "/plans/hostile.yaml"));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void ALargePlanRunsWhenTheUserSaysSo()
    {
        string large = Model + "threads: [1,2,3,4,5,6,7,8,9,10]\npromptTokens: [1,2,3,4,5,6,7,8,9,10]\ngenerationTokens: [1,2,3,4,5,6,7,8,9,10]\nrepetitions: 10\n";
        Assert.True(PlanReader.Parse(large + "allowLarge: true\n", "/plans/large.yaml").Plan.AllowLarge);
    }

    [Fact]
    public void EvenAllowedAPlanHasACeilingItIsNeverExpandedPast()
    {
        string range = "[" + string.Join(",", Enumerable.Range(1, 1000)) + "]";
        string huge = Model + $"threads: {range}\npromptTokens: {range}\ngenerationTokens: [1, 2]\nrepetitions: 1\nwarmups: 0\nallowLarge: true\n";

        var e = Assert.Throws<EdgeLmInvalidFileException>(() => PlanReader.Parse(huge, "/plans/huge.yaml"));

        Assert.Equal("PlanTooLarge", e.ErrorId);
        Assert.Contains($"expands to 2000000 runs, more than the {PlanReader.MaxRunsAllowed} one plan may hold even with allowLarge", e.Message);
    }
}

[Collection(TinyModelCollection.Name)]
public sealed class LargeSweepTests
{
    private readonly TinyModel _tiny;

    public LargeSweepTests(TinyModel tiny) => _tiny = tiny;

    [Fact]
    public void ASweepPastTheLimitIsRefusedUnlessAllowed()
    {
        var sweep = new BenchmarkSweep
        {
            Models = new[] { _tiny.Path },
            Threads = Enumerable.Range(1, 10).ToArray(),
            PromptTokens = Enumerable.Range(1, 10).ToArray(),
            GenerationTokens = Enumerable.Range(1, 10).ToArray(),
            Repetitions = 11,
            Warmups = 0,
        };

        var e = Assert.ThrowsAny<EdgeLmException>(() => sweep.ToPlan());
        Assert.Equal("PlanTooLarge", e.ErrorId);
        Assert.Contains("expands to 11000 runs, more than 10000", e.Message);
        Assert.True((sweep with { AllowLarge = true }).ToPlan().Plan.AllowLarge);
    }

    [Fact]
    public void ARunThatWouldBeRefusedLastIsRefusedBeforeTheFirst()
    {
        using var folder = new TempFolder();
        string results = folder.File("results.jsonl");
        var sweep = new BenchmarkSweep
        {
            Models = new[] { _tiny.Path },
            Threads = new[] { 1 },
            PromptTokens = new[] { 4 },
            GenerationTokens = new[] { 2, 1_000_000 },
            Repetitions = 1,
            Warmups = 0,
        };

        var e = Assert.Throws<EdgeLmArgumentException>(() => BenchmarkRunner.Run(sweep.ToPlan(), new BenchmarkOptions { OutputPath = results }));

        Assert.Equal("ContextBeyondTraining", e.ErrorId);
        Assert.False(File.Exists(results));
    }
}
