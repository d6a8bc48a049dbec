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
    [InlineData("models:\n  - path: MODEL\nthreads: [1, two]\n", "PlanInvalid", "line 3, column 14", "threads[1] must be a whole number; got 'two'")]
    [InlineData("models:\n  - path: MODEL\nrepetitions: many\n", "PlanInvalid", "line 3, column 14", "repetitions must be a whole number; got 'many'")]
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
        foreach (string example in Directory.GetFiles(Path.Combine(Repository.Root, "examples"), "*.yaml").Where(f => !f.EndsWith("budget.yaml") && !f.EndsWith("prompts.yaml")))
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

    // Each wrong type is said in the plan's terms (the key's path, what it holds, what was written), never with
    // .NET's type names (List`1[System.Int32], Nullable`1, PlanCooldown).
    [Theory]
    [InlineData(Model + "threads: abc\n", "line 4, column 10: threads must be a list of whole numbers, such as [1, 2, 4]; got 'abc'")]
    [InlineData(Model + "threads: 4\n", "line 4, column 10: threads must be a list of whole numbers, such as [1, 2, 4]; got '4' (write [4] for a list of one)")]
    [InlineData(Model + "threads: {a: 1}\n", "line 4, column 10: threads must be a list of whole numbers, such as [1, 2, 4]; got a mapping (key: value pairs)")]
    [InlineData(Model + "threads: [1, abc]\n", "line 4, column 14: threads[1] must be a whole number; got 'abc'")]
    [InlineData(Model + "threads: [99999999999]\n", "line 4, column 11: threads[0] is '99999999999', out of range: a whole number here is from -2147483648 to 2147483647")]
    [InlineData("models: 5\n", "line 1, column 9: models must be a list of models, each a mapping with 'path' (a GGUF file) or 'synthetic' (a shape); got '5'")]
    [InlineData("models: [5]\n", "line 1, column 10: models[0] must be a model: a mapping with 'path' (a GGUF file) or 'synthetic' (a shape) and its 'quantizations'; got '5'")]
    [InlineData("models: [{path: [a]}]\n", "line 1, column 17: models[0].path must be a text value; got a list")]
    [InlineData("models: [{synthetic: tiny, quantizations: Q4_0}]\n", "line 1, column 43: models[0].quantizations must be a list of names, such as [Q4_0, Q8_0]; got 'Q4_0' (write [Q4_0] for a list of one)")]
    [InlineData(Model + "repetitions: [1,2]\n", "line 4, column 14: repetitions must be a whole number; got a list")]
    [InlineData(Model + "generationTokens: \"x\"\n", "line 4, column 19: generationTokens must be a list of whole numbers, such as [1, 2, 4]; got 'x'")]
    [InlineData(Model + "cooldown: yes\n", "line 4, column 11: cooldown must be a mapping with the keys seconds, untilCelsius, maxWaitSeconds; got 'yes'")]
    [InlineData(Model + "cooldown: {seconds: abc}\n", "line 4, column 21: cooldown.seconds must be a number; got 'abc'")]
    [InlineData(Model + "quietBelow: abc\n", "line 4, column 13: quietBelow must be a number; got 'abc'")]
    [InlineData(Model + "energy: 5\n", "line 4, column 9: energy must be true or false; got '5'")]
    [InlineData("5\n", "line 1, column 1: the plan must be a mapping of keys such as 'models' and 'threads'; got '5'")]
    public void AValueOfTheWrongTypeIsNamedInThePlansTerms(string yaml, string message)
    {
        var e = Assert.Throws<EdgeLmInvalidFileException>(() => PlanReader.Parse(yaml, "/plans/types.yaml"));

        Assert.Equal("PlanInvalid", e.ErrorId);
        Assert.Equal("/plans/types.yaml " + message, e.Message);
    }

    // YAML's null for a number or a boolean deserializes to 0 or false without a word: "repetitions: ~" was refused
    // as "repetitions has 0" and "baselineSeconds: ~" silently became no baseline.
    [Theory]
    [InlineData(Model + "repetitions: ~\n", "line 4, column 14: repetitions is empty (~); give a whole number, or leave the key out for its default")]
    [InlineData(Model + "baselineSeconds:\n", "line 4, column 17: baselineSeconds has no value; give a number, or leave the key out for its default")]
    [InlineData(Model + "threads: [1, ~]\n", "line 4, column 14: threads[1] is empty (~); give a whole number")]
    [InlineData(Model + "cooldown: {seconds: null}\n", "line 4, column 21: cooldown.seconds is empty (null); give a number")]
    public void ANullWhereANumberBelongsIsRefusedNotReadAsZero(string yaml, string message)
    {
        var e = Assert.Throws<EdgeLmInvalidFileException>(() => PlanReader.Parse(yaml, "/plans/nulls.yaml"));

        Assert.Equal("PlanInvalid", e.ErrorId);
        Assert.Equal("/plans/nulls.yaml " + message, e.Message);
    }

    [Fact]
    public void NullableKeysStillTakeNullAsNone()
    {
        LoadedPlan plan = PlanReader.Parse(Model + "quietBelow: ~\ncooldown:\n  untilCelsius: ~\n  seconds: 5\noutput: ~\n", "/plans/none.yaml");

        Assert.Null(plan.Plan.QuietBelow);
        Assert.Null(plan.Plan.Cooldown!.UntilCelsius);
        Assert.Null(plan.Plan.Output);
    }

    [Fact]
    public void ALargePlanRunsWhenTheUserSaysSo()
    {
        string large = Model + "threads: [1,2,3,4,5,6,7,8,9,10]\npromptTokens: [1,2,3,4,5,6,7,8,9,10]\ngenerationTokens: [1,2,3,4,5,6,7,8,9,10]\nrepetitions: 10\n";
        Assert.True(PlanReader.Parse(large + "allowLarge: true\n", "/plans/large.yaml").Plan.AllowLarge);
    }

    [Fact]
    public void ThreadsUpToCoresSweepsOneToThePhysicalCores()
    {
        LoadedPlan loaded = PlanReader.Parse(Model + "threadsUpToCores: true\nrepetitions: 1\n", "/plans/cores.yaml");

        int cores = EdgeLm.Core.Devices.CpuTopology.PhysicalCores();
        Assert.Equal(Enumerable.Range(1, cores), BenchmarkMatrix.Expand(loaded).Select(c => c.Threads));
    }

    [Fact]
    public void AnUnknownKeyOnThePlansFirstLineIsNamed()
    {
        var e = Assert.Throws<EdgeLmInvalidFileException>(() => PlanReader.Parse("modells: []\n" + Model, "/plans/typo.yaml"));

        Assert.Contains("unknown key 'modells'; the keys here are models, threads", e.Message);
    }

    [Fact]
    public void ThreadsUpToCoresAndAThreadsListConflict()
    {
        var e = Assert.Throws<EdgeLmInvalidFileException>(() => PlanReader.Parse(Model + "threads: [2]\nthreadsUpToCores: true\n", "/plans/both.yaml"));

        Assert.Equal("PlanConflict", e.ErrorId);
        Assert.Contains("give either 'threads'", e.Message);
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
