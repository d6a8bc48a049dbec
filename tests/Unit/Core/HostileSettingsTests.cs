using EdgeLm.Core;
using EdgeLm.Core.Devices;
using EdgeLm.Core.Host;
using EdgeLm.Core.Settings;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Core;

/// <summary>Settings no run can have are refused before any worker starts, each naming the number and the fix.</summary>
[Collection(TinyModelCollection.Name)]
public sealed class HostileSettingsTests
{
    private readonly TinyModel _tiny;

    public HostileSettingsTests(TinyModel tiny) => _tiny = tiny;

    public static TheoryData<string, string, string> Refusals => new()
    {
        { "top-p 7", "InvalidTopP", "TopP is 7" },
        { "temperature -1", "InvalidTemperature", "Temperature is -1" },
        { "temperature NaN", "InvalidTemperature", "Temperature is NaN" },
        { "min-p 2", "InvalidMinP", "MinP is 2" },
        { "repeat 1e9", "TooManyRuns", "1000000000 runs" },
        { "threads 100000", "TooManyThreads", "100000 threads" },
        { "prompt-tokens 2^31-1", "ContextBeyondTraining", "more than" },
        { "max-tokens 1e9", "ContextBeyondTraining", "1000000000 tokens" },
        { "context 2^31-1", "ContextBeyondTraining", "a context of 2147483647" },
        { "energy-source without energy", "EnergySettingWithoutMeasureEnergy", "MeasureEnergy" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void RefusedBeforeAnyWorkerStarts(string setting, string errorId, string fragment)
    {
        RunSettings settings = setting switch
        {
            "top-p 7" => Text() with { TopP = 7 },
            "temperature -1" => Text() with { Temperature = -1 },
            "temperature NaN" => Text() with { Temperature = float.NaN },
            "min-p 2" => Text() with { MinP = 2 },
            "repeat 1e9" => Text() with { Repeat = 1_000_000_000 },
            "threads 100000" => Text() with { Threads = 100_000 },
            "prompt-tokens 2^31-1" => new RunSettings { ModelPath = _tiny.Path, PromptTokens = int.MaxValue },
            "max-tokens 1e9" => Text() with { MaxTokens = 1_000_000_000 },
            "context 2^31-1" => Text() with { ContextSize = int.MaxValue },
            "energy-source without energy" => Text() with { EnergySource = "estimate" },
            _ => throw new ArgumentOutOfRangeException(nameof(setting)),
        };

        // No worker launch is given: reaching the worker would fail differently (WorkerNotFound).
        var e = Assert.Throws<EdgeLmArgumentException>(() => InferenceRunner.Run(settings).ToList());
        Assert.Equal(errorId, e.ErrorId);
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void AKvCacheBeyondMemoryIsRefused()
    {
        ModelInfo info = _tiny.Info;
        RunSettings settings = Text().Resolved(physicalCores: 2) with { ContextSize = 256 };
        long kv = ModelLimits.KvCacheBytes(info, 256)!.Value;

        var e = Assert.Throws<EdgeLmArgumentException>(() => ModelLimits.Check(settings, info, physicalCores: 2, availableBytes: kv - 1));
        Assert.Equal("ContextBeyondMemory", e.ErrorId);
        ModelLimits.Check(settings, info, physicalCores: 2, availableBytes: kv);
    }

    private RunSettings Text() => new() { ModelPath = _tiny.Path, Prompt = "x", MaxTokens = 1 };
}
