using EdgeLm.Core.Settings;
using EdgeLm.Core;
using EdgeLm.Core.Engine;
using EdgeLm.Core.Host;
using EdgeLm.Core.Worker;
using EdgeLm.Core.Devices;
using EdgeLm.Core.Native;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Core;

/// <summary>The definitions of records.md, pinned on real llama.cpp runs (in a worker unless the test says otherwise).</summary>
[Collection(TinyModelCollection.Name)]
public sealed class InferenceTests
{
    private readonly TinyModel _tiny;

    public InferenceTests(TinyModel tiny) => _tiny = tiny;

    [Fact]
    public void GeneratesExactlyMaxTokensWithoutStopAtEosAndDescribesTheRun()
    {
        InferenceResult r = Run(new RunSettings { Prompt = "the quick brown fox", MaxTokens = 24 }).Single();

        Assert.Equal(24, r.GeneratedTokens);
        Assert.Equal(24, r.RequestedTokens);
        Assert.False(r.StoppedAtEos);
        Assert.Equal("worker", r.Isolation);
        Assert.Equal(_tiny.Info.ModelName, r.ModelName);
        Assert.Equal("F16", r.Quantization);
        Assert.StartsWith("0.5.0", r.LlamaVersion);
        Assert.Equal(typeof(EdgeLm.Core.EdgeLmBuild).Assembly.GetName().Version!.ToString(3), r.EdgeLmVersion);
        Assert.StartsWith("cpu", r.Backend);
        Assert.Equal("text", r.PromptSource);
        Assert.Equal("the quick brown fox", r.Prompt);
        // sha256 of the UTF-8 text, as `printf %s 'the quick brown fox' | sha256sum` prints it.
        Assert.Equal("9ecb36561341d18eb65484e833efea61edc74b84cf5e6ae1b81c63533e25fc8f", r.PromptSha256);
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(_tiny.Path))).ToLowerInvariant(), r.ModelSha256);
        Assert.False(string.IsNullOrEmpty(r.Output));
        Assert.True(r.PromptTokens > 1);
        Assert.Null(r.EnergyJoules);
        Assert.Null(r.MaxTemperatureCelsius);
    }

    [Fact]
    public void TimingsAndPercentilesFollowTheirDefinitions()
    {
        InferenceResult r = Run(new RunSettings { Prompt = "measure me", MaxTokens = 32 }).Single();

        Assert.True(r.TimeToFirstTokenMs >= r.PrefillMs, $"TTFT {r.TimeToFirstTokenMs} < prefill {r.PrefillMs}");
        Assert.True(r.PrefillMs > 0);
        Assert.Equal(r.PromptTokens / r.PrefillMs * 1000, r.PrefillTokensPerSecond, 6);
        Assert.NotNull(r.DecodeMs);
        Assert.Equal((r.GeneratedTokens - 1) / r.DecodeMs!.Value * 1000, r.DecodeTokensPerSecond!.Value, 6);
        Assert.True(r.TotalMs >= r.TimeToFirstTokenMs + r.DecodeMs.Value - 0.001);
        Assert.True(r.InterTokenP50Ms <= r.InterTokenP95Ms, $"P50 {r.InterTokenP50Ms} > P95 {r.InterTokenP95Ms}");
        Assert.True(r.InterTokenP95Ms <= r.InterTokenP99Ms, $"P95 {r.InterTokenP95Ms} > P99 {r.InterTokenP99Ms}");
        Assert.True(r.InterTokenP99Ms <= r.InterTokenMaxMs, $"P99 {r.InterTokenP99Ms} > max {r.InterTokenMaxMs}");
        // 31 gaps spread over the decode phase: the largest cannot exceed it, the median cannot exceed the mean by 31x.
        Assert.True(r.InterTokenMaxMs <= r.DecodeMs.Value + 0.001);
        Assert.True(r.InterTokenP50Ms > 0);
        Assert.True(r.EnginePrefillMs > 0);
        Assert.True(r.EngineDecodeMs > 0);
        Assert.True(r.LoadMs > 0);
        // Worker start and model load are reported apart; LoadMs stays their sum.
        Assert.True(r.WorkerStartMs > 0);
        Assert.True(r.ModelLoadMs > 0);
        Assert.Equal(r.LoadMs, r.WorkerStartMs!.Value + r.ModelLoadMs!.Value, 6);
    }

    [Fact]
    public void OneTokenHasNoDecodeFigures()
    {
        InferenceResult r = Run(new RunSettings { Prompt = "x", MaxTokens = 1 }).Single();

        Assert.Equal(1, r.GeneratedTokens);
        Assert.Null(r.DecodeMs);
        Assert.Null(r.DecodeTokensPerSecond);
        Assert.Null(r.InterTokenP50Ms);
        Assert.Null(r.InterTokenMaxMs);
    }

    [Fact]
    public void PromptTokensAreTheEnginesCountForTextAndForRandomPrompts()
    {
        using var session = new ModelSession(null);
        RunMeasurement text = session.Run(Spec(prompt: "count these tokens please"), null, CancellationToken.None);
        RunMeasurement random = session.Run(Spec(promptTokens: 100), null, CancellationToken.None);

        Assert.Equal(text.EnginePromptTokens, text.PromptTokens);
        Assert.Equal(100, random.PromptTokens);
        Assert.Equal(100, random.EnginePromptTokens);
        // The first generated token belongs to prefill; every later one is one engine decode.
        Assert.Equal(random.GeneratedTokens - 1, random.EngineDecodeTokens);

        InferenceResult r = Run(new RunSettings { PromptTokens = 100, MaxTokens = 4 }).Single();
        Assert.Equal(100, r.PromptTokens);
        Assert.Equal("random", r.PromptSource);
        Assert.Null(r.Prompt);
        Assert.Null(r.PromptSha256);
    }

    [Fact]
    public void RandomPromptsAreSeededAndStartWithBos()
    {
        using var session = new ModelSession(null);
        using LlamaModel model = LlamaModel.Load(_tiny.Path, vocabularyOnly: true);

        int[] first = model.RandomPromptTokens(64, 7);
        int[] again = model.RandomPromptTokens(64, 7);
        int[] other = model.RandomPromptTokens(64, 8);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal(1, first[0]); // the synthetic vocabulary's BOS
        Assert.DoesNotContain(first.Skip(1), t => model.IsEndOfGeneration(t) || t < 3);
    }

    [Fact]
    public void RepetitionsReuseTheLoadedModelAndStartFromAnEmptyCache()
    {
        var runs = Run(new RunSettings { Prompt = "repeat after me", MaxTokens = 12, Repeat = 3 }).ToList();

        Assert.Equal(new[] { 1, 2, 3 }, runs.Select(r => r.Repetition));
        Assert.Single(runs.Select(r => r.Output).Distinct());
        Assert.Single(runs.Select(r => r.PromptTokens).Distinct());
        // One load served all three: each record carries the same load time.
        Assert.Single(runs.Select(r => r.LoadMs).Distinct());
        Assert.Equal(3, runs.Select(r => r.RunId).Distinct().Count());
    }

    [Fact]
    public void WarmupsRunFirstAndAreEmittedOnlyWhenAsked()
    {
        var quiet = Run(new RunSettings { Prompt = "warm", MaxTokens = 4, Warmup = 2, Repeat = 1 }).ToList();
        var all = Run(new RunSettings { Prompt = "warm", MaxTokens = 4, Warmup = 2, Repeat = 2, IncludeWarmup = true }).ToList();

        Assert.False(Assert.Single(quiet).Warmup);
        Assert.Equal(new[] { true, true, false, false }, all.Select(r => r.Warmup));
        Assert.Equal(new[] { 1, 2, 1, 2 }, all.Select(r => r.Repetition));
    }

    [Fact]
    public void OneHostKeepsItsWorkerAcrossPrompts()
    {
        using var host = new InferenceHost(TestWorker.With());
        InferenceResult first = host.Run(new RunSettings { ModelPath = _tiny.Path, Prompt = "one", MaxTokens = 2, Threads = 1 }).Single();
        InferenceResult second = host.Run(new RunSettings { ModelPath = _tiny.Path, Prompt = "two words", MaxTokens = 2, Threads = 1 }).Single();

        Assert.Equal(first.LoadMs, second.LoadMs);
        Assert.NotEqual(first.PromptTokens, second.PromptTokens);
    }

    [Fact]
    public void SeededSamplingIsReproducibleAndDiffersFromGreedy()
    {
        var request = new RunSettings { Prompt = "sample", MaxTokens = 32, Temperature = 1.5f, TopK = 0, TopP = 1f, MinP = 0f, Seed = 5 };
        string first = Run(request).Single().Output;
        string again = Run(request).Single().Output;
        string greedy = Run(new RunSettings { Prompt = "sample", MaxTokens = 32 }).Single().Output;

        Assert.Equal(first, again);
        Assert.NotEqual(greedy, first);
    }

    [Fact]
    public void MemoryIsMeasuredPerRunAndTheCacheMatchesItsShape()
    {
        InferenceResult r = Run(new RunSettings { Prompt = "memory", MaxTokens = 4, ContextSize = 512 }).Single();

        Assert.Equal("run", r.PeakRssScope);
        Assert.True(r.PeakRssBytes > r.ModelBytes, $"peak {r.PeakRssBytes} below the weights {r.ModelBytes}");
        // K and V in F16 for every layer and context cell: 2 x 2 bytes x kv heads x head size.
        var shape = EdgeLm.Core.Models.SyntheticShapes.Get("tiny");
        long expected = 512L * shape.Layers * 2 * shape.KvHeads * shape.HeadSize * 2;
        Assert.InRange(r.KvCacheBytes, expected - 10_486, expected + 10_486); // llama.cpp logs 0.01 MiB steps
        Assert.True(r.ComputeBufferBytes > 0);
    }

    [Fact]
    public void ChatTemplatesWrapThePromptAndUnknownOnesAreRefusedBeforeLoading()
    {
        InferenceResult plain = Run(new RunSettings { Prompt = "hi", MaxTokens = 2 }).Single();
        InferenceResult chat = Run(new RunSettings { Prompt = "hi", MaxTokens = 2, ChatTemplate = "chatml" }).Single();
        Assert.True(chat.PromptTokens > plain.PromptTokens + 5, $"chatml added too little: {plain.PromptTokens} -> {chat.PromptTokens}");
        Assert.Equal("chatml", chat.ChatTemplate);

        var log = new List<string>();
        var unknown = Assert.Throws<EdgeLmArgumentException>(() =>
            Run(new RunSettings { Prompt = "hi", ChatTemplate = "no-such-template" }, new InferenceHostOptions { Log = log.Add }).ToList());
        Assert.Equal("UnknownChatTemplate", unknown.ErrorId);
        Assert.Contains("chatml", unknown.Message);
        Assert.DoesNotContain(log, l => l.Contains("load_tensors"));

        var none = Assert.Throws<EdgeLmArgumentException>(() => Run(new RunSettings { Prompt = "hi", ChatTemplate = "model" }).ToList());
        Assert.Equal("NoChatTemplate", none.ErrorId);
    }

    [Theory]
    [InlineData(0, null, null, "InvalidMaxTokens", "0")]
    [InlineData(-3, null, null, "InvalidMaxTokens", "-3")]
    [InlineData(64, 32, null, "ContextTooSmall", "64")]
    [InlineData(64, 100, 50, "ContextTooSmall", "114")]
    public void BadRequestsAreRefusedBeforeAnythingStarts(int maxTokens, int? context, int? promptTokens, string errorId, string number)
    {
        var e = Assert.Throws<EdgeLmArgumentException>(() => InferenceRunner.Run(new RunSettings
        {
            ModelPath = _tiny.Path, Prompt = promptTokens is null ? "x" : null, PromptTokens = promptTokens, MaxTokens = maxTokens, ContextSize = context,
        }));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Contains(number, e.Message);
    }

    [Fact]
    public void TextTooLongForTheContextIsRefusedBeforeTheWeightsLoad()
    {
        string prompt = string.Join(' ', Enumerable.Repeat("word", 40));
        var log = new List<string>();
        var e = Assert.Throws<EdgeLmArgumentException>(() =>
            Run(new RunSettings { Prompt = prompt, MaxTokens = 30, ContextSize = 40 }, new InferenceHostOptions { Log = log.Add }).ToList());

        Assert.Equal("ContextTooSmall", e.ErrorId);
        Assert.Contains("plus 30 generated", e.Message);
        Assert.Contains(log, l => l.Contains("vocab only"));
        Assert.DoesNotContain(log, l => l.Contains("load_tensors"));
    }

    [Fact]
    public void MissingAndNonGgufModelsAreRefusedWithTheirPath()
    {
        var missing = Assert.Throws<EdgeLmInvalidFileException>(() =>
            InferenceRunner.Run(new RunSettings { ModelPath = "/nonexistent/m.gguf", Prompt = "x" }));
        Assert.Equal("FileNotFound", missing.ErrorId);
        Assert.Contains("/nonexistent/m.gguf", missing.Message);

        using var folder = new TempFolder();
        string text = folder.File("notes.gguf");
        File.WriteAllText(text, "these are not the weights you are looking for");
        var bad = Assert.Throws<EdgeLmInvalidFileException>(() => InferenceRunner.Run(new RunSettings { ModelPath = text, Prompt = "x" }));
        Assert.Equal(text, bad.Path);
        Assert.StartsWith("notes.gguf: ", bad.Message);
    }

    [Fact]
    public void TooManyThreadsIsAWarningNotAnError()
    {
        var warnings = new List<string>();
        int threads = 4 * CpuTopology.PhysicalCores() + 1;
        InferenceResult r = Run(new RunSettings { Prompt = "x", MaxTokens = 1, Threads = threads }, new InferenceHostOptions { Warning = warnings.Add }).Single();

        Assert.Equal(threads, r.Threads);
        Assert.Contains(warnings, w => w.Contains($"{threads} threads"));
    }

    [Fact]
    public void AWorkerThatAbortsIsOneClearErrorAndTheNextRunSucceeds()
    {
        using var folder = new TempFolder();
        string aborting = AbortingModel.Write(_tiny.Path, folder.File("aborting.gguf"));
        using var host = new InferenceHost(TestWorker.With());

        var e = Assert.Throws<EdgeLmWorkerException>(() =>
            host.Run(new RunSettings { ModelPath = aborting, Prompt = AbortingModel.Prompt, MaxTokens = 2, Threads = 1 }).ToList());

        Assert.Equal("SIGABRT", e.Signal);
        Assert.Equal("WorkerDied", e.ErrorId);
        Assert.Contains(aborting, e.Message);
        Assert.Contains("SIGABRT", e.Message);
        Assert.Contains("out_of_range", e.Message); // llama.cpp's last words, from the worker's stderr
        InferenceResult next = host.Run(new RunSettings { ModelPath = _tiny.Path, Prompt = "still here", MaxTokens = 3, Threads = 1 }).Single();
        Assert.Equal(3, next.GeneratedTokens);
    }

    [Fact]
    public void CancellingStopsTheRunInsideTheWorkerAndKeepsFinishedRuns()
    {
        // Two long runs (about 3 s each here); cancel as the second one starts its prompt.
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p.Run == 2 && p.Phase == "prefill")
            {
                cancel.Cancel();
            }
        });
        var finished = new List<InferenceResult>();
        using var host = new InferenceHost(TestWorker.With());

        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            var request = new RunSettings { ModelPath = _tiny.Path, PromptTokens = 8, MaxTokens = 2000, ContextSize = 2048, Repeat = 2, Threads = 1 };
            foreach (InferenceResult r in host.Run(request, progress, cancel.Token))
            {
                finished.Add(r);
            }
        });

        InferenceResult first = Assert.Single(finished);
        Assert.Equal(2000, first.GeneratedTokens);
        // The cancelled worker is not reused; the next request gets a fresh one and succeeds.
        Assert.Single(host.Run(new RunSettings { ModelPath = _tiny.Path, Prompt = "again", MaxTokens = 2, Threads = 1 }));
    }

    [Fact]
    public void EnergyIsSplitIntoPrefillAndDecodeAndNetOfTheBaseline()
    {
        // Long enough (about 1.5 s a run here) for the 10 Hz sampler to read inside each run, not only at its edges.
        var runs = Run(new RunSettings { PromptTokens = 64, MaxTokens = 1000, Repeat = 2, MeasureEnergy = true, BaselineSeconds = 0.3 }).ToList();

        Assert.All(runs, r =>
        {
            Assert.True(r.EnergyJoules > 0, $"energy {r.EnergyJoules}");
            Assert.False(string.IsNullOrEmpty(r.EnergySource));
            Assert.False(string.IsNullOrEmpty(r.EnergyScope));
            Assert.False(string.IsNullOrEmpty(r.EnergyMethod));
            double seconds = r.TotalMs / 1000;
            Assert.Equal(r.EnergyJoules!.Value - r.IdlePowerWatts!.Value * seconds, r.NetEnergyJoules!.Value, 3);
            Assert.Equal(r.NetEnergyJoules.Value / r.GeneratedTokens, r.JoulesPerToken!.Value, 9);
            Assert.Equal(r.EnergyJoules.Value / seconds, r.AveragePowerWatts!.Value, 3);
            // Prefill and decode are parts of the run: together no more than the whole.
            Assert.True(r.PrefillEnergyJoules + r.DecodeEnergyJoules <= r.EnergyJoules + 1e-9,
                $"prefill {r.PrefillEnergyJoules} + decode {r.DecodeEnergyJoules} > run {r.EnergyJoules}");
            Assert.True(r.DecodeEnergyJoules > 0);
            Assert.True(r.EnergySamples >= 0.5 * r.TotalMs / 100, $"{r.EnergySamples} samples in a {r.TotalMs:0} ms run at 10 Hz");
        });
        // One baseline served both runs.
        Assert.Single(runs.Select(r => r.IdlePowerWatts).Distinct());
    }

    [Fact]
    public void DepthFillsTheContextBeforeTheMeasuredPrompt()
    {
        using var session = new ModelSession(null);
        RunMeasurement deep = session.Run(Spec(promptTokens: 16) with { Settings = Spec(promptTokens: 16).Settings with { DepthTokens = 100 } }, null, CancellationToken.None);

        // The engine counts only the measured prompt: the depth was decoded before the counters were reset.
        Assert.Equal(16, deep.EnginePromptTokens);
        Assert.Equal(16, deep.PromptTokens);

        var e = Assert.Throws<EdgeLmArgumentException>(() =>
            Run(new RunSettings { PromptTokens = 16, MaxTokens = 8, DepthTokens = 100, ContextSize = 64 }).ToList());
        Assert.Contains("depth of 100", e.Message);
        Assert.Equal(100, Run(new RunSettings { PromptTokens = 16, MaxTokens = 8, DepthTokens = 100 }).Single().DepthTokens);
    }

    [Fact]
    public void AThreadsOnlyChangeKeepsTheContextAndSetsItsThreadsInPlace()
    {
        using var session = new ModelSession(null);
        RunOrder one = Spec(promptTokens: 8);
        RunOrder two = one with { Settings = one.Settings with { Threads = 2 } };
        RunOrder otherBatch = one with { Settings = one.Settings with { BatchSize = 256 } };

        RunMeasurement first = session.Run(one, null, CancellationToken.None);
        RunMeasurement second = session.Run(two, null, CancellationToken.None);

        Assert.Equal(1, session.ContextsCreated);
        Assert.Equal((2, 2), session.Context!.EngineThreads);
        Assert.Equal(1, first.Threads);
        Assert.Equal(2, second.Threads);
        Assert.Equal(first.ContextSize, second.ContextSize);
        // Nothing was loaded or created for the second run: it carries the first one's load.
        Assert.Equal(first.ModelLoadMs, second.ModelLoadMs);
        Assert.Equal(8, second.EnginePromptTokens);

        // Back to one thread, still the same context; another batch size needs a new one.
        session.Run(one, null, CancellationToken.None);
        Assert.Equal(1, session.ContextsCreated);
        Assert.Equal((1, 1), session.Context.EngineThreads);
        Assert.Equal(256, session.Run(otherBatch, null, CancellationToken.None).BatchSize);
        Assert.Equal(2, session.ContextsCreated);
    }

    [Fact]
    public void InProcessRunsGiveTheSameRecord()
    {
        InferenceResult r = Run(new RunSettings { Prompt = "here", MaxTokens = 4, InProcess = true }).Single();

        Assert.Equal("in-process", r.Isolation);
        Assert.Equal(4, r.GeneratedTokens);
        Assert.Equal(0, r.LoadMs - r.LoadMs); // a number, not NaN
        Assert.Equal(0, r.WorkerStartMs);
        Assert.Equal(r.LoadMs, r.ModelLoadMs);
        Assert.True(r.PeakRssBytes > 0);
    }

    [Fact]
    public void AbortCallbackStopsDecodeInsideLlamaCpp()
    {
        using LlamaModel model = LlamaModel.Load(_tiny.Path);
        using LlamaContext context = LlamaContext.Create(model, new ContextOptions(512, 512, 512, 1, 1));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => context.Decode(model.Tokenize("stop"), cancelled.Token));
        context.ClearMemory();
        context.Decode(model.Tokenize("and go on"), CancellationToken.None);
    }

    [Theory]
    [InlineData(FlashAttention.On, "on")]
    [InlineData(FlashAttention.Off, "off")]
    public void FlashAttentionSettingReachesLlamaCppAndTheRecord(FlashAttention setting, string recorded)
    {
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        InferenceResult r = Run(new RunSettings { Prompt = "attend", MaxTokens = 4, FlashAttention = setting },
            new InferenceHostOptions { Log = log.Enqueue }).Single();

        Assert.Equal(recorded, r.FlashAttention);
        Assert.Equal(4, r.GeneratedTokens);
        // llama.cpp logs the flash attention mode it resolved for the context.
        string expected = setting == FlashAttention.On ? "enabled" : "disabled";
        Assert.Contains(log, line => line.Contains("flash_attn") && line.Contains(expected));
    }

    [Fact]
    public void SamplerChainHasTheRequestedStages()
    {
        LlamaRuntime.Initialize(null);
        using var greedy = new SamplerChain(new SamplingOptions());
        using var full = new SamplerChain(new SamplingOptions(Temperature: 0.7f, TopK: 40, TopP: 0.9f, MinP: 0.05f, Seed: 1));
        using var bare = new SamplerChain(new SamplingOptions(Temperature: 0.7f, TopK: 0, TopP: 1f, MinP: 0f, Seed: 1));

        Assert.Equal(1, greedy.Length);
        Assert.Equal(5, full.Length);
        Assert.Equal(2, bare.Length);
    }

    private RunOrder Spec(string? prompt = null, int? promptTokens = null) => new(new RunSettings
    {
        ModelPath = _tiny.Path, Prompt = prompt, PromptTokens = promptTokens, MaxTokens = 6, BatchSize = 512, Threads = 1, FlashAttention = FlashAttention.Auto,
        TopK = 40, TopP = 0.95f, MinP = 0.05f, Seed = 42,
    }, ChatTemplate: null);

    private IEnumerable<InferenceResult> Run(RunSettings request, InferenceHostOptions? options = null)
    {
        return InferenceRunner.Run(request with { ModelPath = _tiny.Path, Threads = request.Threads ?? 1 }, CancellationToken.None, TestWorker.With(options)).ToList();
    }

    private sealed class SynchronousProgress(Action<InferenceProgress> report) : IProgress<InferenceProgress>
    {
        public void Report(InferenceProgress value) => report(value);
    }
}
