using EdgeLm.Core.Engine;
using EdgeLm.Core.Worker;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Core;

/// <summary>What a model session keeps between runs, and what makes it build anew.</summary>
[Collection(TinyModelCollection.Name)]
public sealed class ModelSessionTests
{
    private readonly TinyModel _tiny;

    public ModelSessionTests(TinyModel tiny) => _tiny = tiny;

    [Fact]
    public void AThreadsOnlyChangeKeepsTheContextAndSetsItsThreadsInPlace()
    {
        using var session = new ModelSession(null);
        RunMeasurement one = session.Run(Spec(threads: 1), null, CancellationToken.None);
        RunMeasurement two = session.Run(Spec(threads: 2), null, CancellationToken.None);

        Assert.Equal(1, session.ContextsCreated);
        Assert.Equal((2, 2), session.Context!.EngineThreads);
        Assert.Equal(1, one.Record.Threads);
        Assert.Equal(2, two.Record.Threads);
        Assert.Equal(one.Record.ContextSize, two.Record.ContextSize);
        // Nothing was loaded or created for the second run: it carries the first one's load.
        Assert.Equal(one.ModelLoadMs, two.ModelLoadMs);
        Assert.Equal(8, two.EnginePromptTokens);

        // Back to one thread, still the same context; another batch size needs a new one.
        session.Run(Spec(threads: 1), null, CancellationToken.None);
        Assert.Equal(1, session.ContextsCreated);
        Assert.Equal((1, 1), session.Context.EngineThreads);
        RunMeasurement batch = session.Run(Spec(threads: 1, batchSize: 256), null, CancellationToken.None);
        Assert.Equal(2, session.ContextsCreated);
        Assert.Equal(256, batch.Record.BatchSize);
    }

    private RunSpec Spec(int threads, int batchSize = 512) => new()
    {
        ModelPath = _tiny.Path, PromptTokens = 8, MaxTokens = 4, BatchSize = batchSize, Threads = threads,
        FlashAttention = FlashAttention.Auto, TopK = 40, TopP = 0.95f, MinP = 0.05f, Seed = 42,
    };
}
