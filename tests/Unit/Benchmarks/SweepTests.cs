using System.Text.Json;
using EdgeLm.Core;
using EdgeLm.Core.Benchmarks;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Benchmarks;

/// <summary>A sweep from parameters is the plan a plan file would be: same defaults, same matrix, same checks.</summary>
[Collection(TinyModelCollection.Name)]
public sealed class SweepTests : IDisposable
{
    private readonly TinyModel _tiny;
    private readonly TempFolder _folder = new();

    public SweepTests(TinyModel tiny) => _tiny = tiny;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void ASweepExpandsAsTheSamePlanFileWould()
    {
        var sweep = new BenchmarkSweep
        {
            Models = new[] { _tiny.Path },
            Threads = new[] { 1, 2 },
            PromptTokens = new[] { 16, 32 },
            GenerationTokens = new[] { 8 },
            Depths = new[] { 0, 64 },
            Repetitions = 2,
            Warmups = 0,
            CooldownSeconds = 1.5,
        };
        string file = _folder.File("plan.yaml");
        File.WriteAllText(file, $"models:\n  - path: {_tiny.Path}\nthreads: [1, 2]\npromptTokens: [16, 32]\ngenerationTokens: [8]\ndepths: [0, 64]\nrepetitions: 2\nwarmups: 0\ncooldown: {{ seconds: 1.5 }}\n");

        LoadedPlan fromSweep = sweep.ToPlan();
        LoadedPlan fromFile = PlanReader.Read(file);

        Assert.Equal(BenchmarkMatrix.Expand(fromFile).Select(c => c.Key), BenchmarkMatrix.Expand(fromSweep).Select(c => c.Key));
        Assert.Equal(JsonSerializer.Serialize(fromFile.Plan), JsonSerializer.Serialize(fromSweep.Plan));
    }

    [Fact]
    public void WhatASweepLeavesOutHasThePlansDefaults()
    {
        BenchmarkPlan plan = new BenchmarkSweep { Models = new[] { _tiny.Path } }.ToPlan().Plan;
        string file = _folder.File("minimal.yaml");
        File.WriteAllText(file, $"models:\n  - path: {_tiny.Path}\n");

        Assert.Equal(JsonSerializer.Serialize(PlanReader.Read(file).Plan), JsonSerializer.Serialize(plan));
        Assert.Equal((BenchmarkPlan.DefaultRepetitions, BenchmarkPlan.DefaultWarmups, BenchmarkPlan.DefaultBaselineSeconds), (plan.Repetitions, plan.Warmups, plan.BaselineSeconds));
    }

    [Fact]
    public void RelativeModelsAreFoundInTheSweepsFolder()
    {
        LoadedPlan plan = new BenchmarkSweep { Models = new[] { Path.GetFileName(_tiny.Path) }, Folder = Path.GetDirectoryName(_tiny.Path) }.ToPlan();
        Assert.Equal(_tiny.Path, BenchmarkMatrix.Expand(plan)[0].Model.Path);
    }

    [Theory]
    [InlineData("threads", "PlanOutOfRange", "threads has 0")]
    [InlineData("empty-threads", "PlanEmptyMatrix", "'threads' is empty")]
    [InlineData("no-models", "PlanEmptyMatrix", "'models' is empty")]
    [InlineData("context", "PlanContextTooSmall", "a context of 64")]
    [InlineData("cooldown", "PlanOutOfRange", "cooldown seconds is -1; use 0 to 86400 seconds")]
    [InlineData("baseline-without-energy", "EnergySettingWithoutMeasureEnergy", "add -MeasureEnergy (--energy)")]
    public void RefusalsNameTheValueNotALine(string what, string errorId, string message)
    {
        BenchmarkSweep sweep = new BenchmarkSweep { Models = new[] { _tiny.Path } } with { };
        sweep = what switch
        {
            "threads" => sweep with { Threads = new[] { 1, 0 } },
            "empty-threads" => sweep with { Threads = Array.Empty<int>() },
            "no-models" => sweep with { Models = Array.Empty<string>() },
            "context" => sweep with { Contexts = new[] { 64 } },
            "cooldown" => sweep with { CooldownSeconds = -1 },
            _ => sweep with { BaselineSeconds = 5 },
        };

        var e = Assert.Throws<EdgeLmArgumentException>(() => sweep.ToPlan());

        Assert.Equal(errorId, e.ErrorId);
        Assert.Contains(message, e.Message);
        Assert.DoesNotMatch(@"line \d+, column", e.Message);
    }

    [Fact]
    public void AMissingModelIsAFileError()
    {
        string missing = _folder.File("missing.gguf");
        var e = Assert.Throws<EdgeLmInvalidFileException>(() => new BenchmarkSweep { Models = new[] { missing } }.ToPlan());
        Assert.Equal(missing, e.Path);
        Assert.StartsWith(missing, e.Message);
    }

    [Fact]
    public void WithoutAResultsFileTheRunsAreReturnedUnsavedAndCannotResume()
    {
        LoadedPlan plan = new BenchmarkSweep { Models = new[] { _tiny.Path }, Threads = new[] { 1 }, PromptTokens = new[] { 8 }, GenerationTokens = new[] { 2 }, Repetitions = 1, Warmups = 0 }.ToPlan();
        var notices = new List<string>();

        var results = BenchmarkRunner.Run(plan, new BenchmarkOptions { Notice = notices.Add, Host = TestWorker.With() }).ToList();

        Assert.Single(results);
        Assert.Contains(notices, n => n.Contains("not saved"));
        Assert.Empty(Directory.GetFiles(_folder.Path));
        var e = Assert.Throws<EdgeLmArgumentException>(() => BenchmarkRunner.Run(plan, new BenchmarkOptions { Resume = true }));
        Assert.Equal("ResumeWithoutOutput", e.ErrorId);
    }
}
