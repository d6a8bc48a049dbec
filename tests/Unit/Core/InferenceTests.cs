using EdgeLm.Core;
using EdgeLm.Core.Inference;
using EdgeLm.Core.Native;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Core;

[Collection(TinyModelCollection.Name)]
public sealed class InferenceTests
{
    private readonly TinyModel _tiny;

    public InferenceTests(TinyModel tiny) => _tiny = tiny;

    [Fact]
    public void GeneratesExactlyMaxTokensAndCountsLikeTheEngine()
    {
        InferenceResult r = Run(new InferenceRequest { Prompt = "the quick brown fox", MaxTokens = 24 }).Single();

        Assert.Equal(24, r.GeneratedTokens);
        Assert.Equal(24, r.RequestedTokens);
        Assert.False(r.StoppedAtEos);
        Assert.Equal(_tiny.Info.ModelName, r.ModelName);
        Assert.Equal("F16", r.Quantization);
        Assert.StartsWith("0.5.0", r.LlamaVersion);
        Assert.False(string.IsNullOrEmpty(r.Output));
        Assert.True(r.PromptTokens > 1);
    }

    [Fact]
    public void TimingsAreConsistentWithTheirDefinitions()
    {
        InferenceResult r = Run(new InferenceRequest { Prompt = "measure me", MaxTokens = 8 }).Single();

        Assert.True(r.TimeToFirstTokenMs >= r.PrefillMs, $"TTFT {r.TimeToFirstTokenMs} < prefill {r.PrefillMs}");
        Assert.True(r.PrefillMs > 0);
        Assert.Equal(r.PromptTokens / r.PrefillMs * 1000, r.PrefillTokensPerSecond, 6);
        Assert.NotNull(r.DecodeMs);
        Assert.Equal((r.GeneratedTokens - 1) / r.DecodeMs!.Value * 1000, r.DecodeTokensPerSecond!.Value, 6);
        Assert.True(r.TotalMs >= r.TimeToFirstTokenMs + r.DecodeMs.Value - 0.001);
        Assert.True(r.EnginePrefillMs > 0);
        Assert.True(r.EngineDecodeMs > 0);
        Assert.True(r.LoadMs > 0);
    }

    [Fact]
    public void OneTokenHasNoDecodeFigures()
    {
        InferenceResult r = Run(new InferenceRequest { Prompt = "x", MaxTokens = 1 }).Single();

        Assert.Equal(1, r.GeneratedTokens);
        Assert.Null(r.DecodeMs);
        Assert.Null(r.DecodeTokensPerSecond);
    }

    [Fact]
    public void GreedyRepetitionsStartFromAnEmptyCacheAndAgree()
    {
        var runs = Run(new InferenceRequest { Prompt = "repeat after me", MaxTokens = 12, Repeat = 3 }).ToList();

        Assert.Equal(new[] { 1, 2, 3 }, runs.Select(r => r.Repetition));
        Assert.Single(runs.Select(r => r.Output).Distinct());
        Assert.Single(runs.Select(r => r.PromptTokens).Distinct());
        Assert.True(runs[0].LoadMs > 0);
        Assert.Equal(0, runs[1].LoadMs);
        Assert.Equal(3, runs.Select(r => r.RunId).Distinct().Count());
    }

    [Fact]
    public void SeededSamplingIsReproducibleAndDiffersFromGreedy()
    {
        var request = new InferenceRequest { Prompt = "sample", MaxTokens = 32, Temperature = 1.5f, TopK = 0, TopP = 1f, MinP = 0f, Seed = 5 };
        string first = Run(request).Single().Output;
        string again = Run(request).Single().Output;
        string greedy = Run(new InferenceRequest { Prompt = "sample", MaxTokens = 32 }).Single().Output;

        Assert.Equal(first, again);
        Assert.NotEqual(greedy, first);
    }

    [Fact]
    public void PromptTokensEqualTheEnginesCount()
    {
        using LlamaModel model = LlamaModel.Load(_tiny.Path);
        using LlamaContext context = LlamaContext.Create(model, new ContextOptions(512, 512, 512, 1, 1));
        int[] tokens = model.Tokenize("count these tokens please");
        context.ResetCounters();

        context.Decode(tokens, CancellationToken.None);

        Assert.Equal(tokens.Length, context.Counters.PromptTokens);
        InferenceResult r = Run(new InferenceRequest { Prompt = "count these tokens please", MaxTokens = 2 }).Single();
        Assert.Equal(tokens.Length, r.PromptTokens);
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
        LlamaLog.Sink = log.Enqueue;
        try
        {
            InferenceResult r = Run(new InferenceRequest { Prompt = "attend", MaxTokens = 4, FlashAttention = setting }).Single();

            Assert.Equal(recorded, r.FlashAttention);
            Assert.Equal(4, r.GeneratedTokens);
            // llama.cpp logs the flash attention mode it resolved for the context.
            string expected = setting == FlashAttention.On ? "enabled" : "disabled";
            Assert.Contains(log, line => line.Contains("flash_attn") && line.Contains(expected));
        }
        finally
        {
            LlamaLog.Sink = null;
        }
    }

    [Fact]
    public void SamplerChainHasTheRequestedStages()
    {
        using var greedy = new SamplerChain(new SamplingOptions());
        using var full = new SamplerChain(new SamplingOptions(Temperature: 0.7f, TopK: 40, TopP: 0.9f, MinP: 0.05f, Seed: 1));
        using var bare = new SamplerChain(new SamplingOptions(Temperature: 0.7f, TopK: 0, TopP: 1f, MinP: 0f, Seed: 1));

        Assert.Equal(1, greedy.Length);
        Assert.Equal(5, full.Length);
        Assert.Equal(2, bare.Length);
    }

    [Theory]
    [InlineData(0, null, "InvalidMaxTokens")]
    [InlineData(-3, null, "InvalidMaxTokens")]
    [InlineData(64, 32, "ContextTooSmall")]
    public void BadRequestsAreRefusedBeforeLoading(int maxTokens, int? context, string errorId)
    {
        var e = Assert.Throws<EdgeLmArgumentException>(() =>
            Run(new InferenceRequest { Prompt = "x", MaxTokens = maxTokens, ContextSize = context }));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Contains(maxTokens.ToString(), e.Message);
    }

    [Fact]
    public void ContextSmallerThanPromptPlusGenerationNamesBothNumbers()
    {
        string prompt = string.Join(' ', Enumerable.Repeat("word", 40));
        var e = Assert.Throws<EdgeLmArgumentException>(() =>
            Run(new InferenceRequest { Prompt = prompt, MaxTokens = 30, ContextSize = 40 }).ToList());
        Assert.Equal("ContextTooSmall", e.ErrorId);
        Assert.Contains("plus 30 generated", e.Message);
    }

    [Fact]
    public void MissingModelIsRefusedWithItsPath()
    {
        var e = Assert.Throws<EdgeLmInvalidFileException>(() =>
            InferenceRunner.Run(new InferenceRequest { ModelPath = "/nonexistent/m.gguf", Prompt = "x" }));
        Assert.Equal("FileNotFound", e.ErrorId);
        Assert.Contains("/nonexistent/m.gguf", e.Message);
    }

    private IEnumerable<InferenceResult> Run(InferenceRequest request)
    {
        request.ModelPath = _tiny.Path;
        request.Threads ??= 1;
        return InferenceRunner.Run(request).ToList();
    }
}
