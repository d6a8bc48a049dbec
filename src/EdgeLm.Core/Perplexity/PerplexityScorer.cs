using EdgeLm.Core.Engine;

namespace EdgeLm.Core.Perplexity;

/// <summary>
/// What the host asks the worker to score: a model, the text (already read and checked by the host, its one trailing
/// newline removed as llama-perplexity's -f does), the context, at most how many chunks, and the threads.
/// </summary>
internal sealed record PerplexityOrder(string ModelPath, string Text, int ContextSize, int? Chunks, int Threads,
    string? NativeDirectory = null);

/// <summary>The worker's figures for one text (figures only; the host builds the <see cref="QualityResult"/>).</summary>
internal sealed record PerplexityMeasurement(double Perplexity, double Uncertainty, int TokensScored, int TextTokens,
    int Chunks, int ContextSize, int BatchSize, int Threads, bool AddsBos, int VocabularySize);

/// <summary>
/// Perplexity over a text exactly as llama-perplexity computes it (see <see cref="PerplexityChunks"/> and
/// <see cref="PerplexityAccumulator"/>): same tokenization (special tokens added, none parsed), same chunks, one
/// decode per chunk from an empty KV cache, the same log-softmax and the same uncertainty. Runs in the worker.
/// </summary>
internal static class PerplexityScorer
{
    /// <summary>The largest micro-batch, llama.cpp's default n_ubatch (llama-perplexity leaves it there).</summary>
    public const int MicroBatch = 512;

    public static PerplexityMeasurement Measure(PerplexityOrder order, Action<int, int>? progress, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using LlamaModel model = LlamaModel.Load(order.ModelPath, 0, order.NativeDirectory);
        if (model.AddsEos)
        {
            throw new EdgeLmArgumentException("PerplexityAddsEos",
                $"{order.ModelPath}'s tokenizer appends EOS to every text (tokenizer.ggml.add_eos_token), which llama-perplexity refuses too; use a model that does not");
        }

        int[] tokens = model.Tokenize(order.Text, addSpecial: true, parseSpecial: false);
        int n = order.ContextSize;
        if (tokens.Length < 2 * n)
        {
            throw new EdgeLmArgumentException("TextTooShort",
                $"the text tokenizes to {tokens.Length} tokens with {order.ModelPath}'s tokenizer, fewer than the {2 * n} (twice the context of {n}) perplexity needs; use a longer text or a context of {Math.Max(1, tokens.Length / 2)} or less");
        }

        int chunks = PerplexityChunks.Count(tokens.Length, n, order.Chunks);
        bool addBos = model.AddsBos;
        int bos = model.Bos;
        int first = PerplexityChunks.First(n);
        var options = new ContextOptions(n, n, Math.Min(n, MicroBatch), order.Threads, order.Threads);
        using LlamaContext context = LlamaContext.Create(model, options);
        var sums = new PerplexityAccumulator();
        progress?.Invoke(0, chunks);
        for (int chunk = 0; chunk < chunks; chunk++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            context.ClearMemory();
            int[] input = PerplexityChunks.ChunkTokens(tokens, chunk, n, addBos, bos);
            context.DecodeWithOutputs(input, first, cancellationToken);
            int start = chunk * n;
            for (int i = first; i < n - 1; i++)
            {
                // The original text's token is the target, also where position 0 was replaced by BOS (never scored).
                sums.Add(context.LogitsAt(i), tokens[start + i + 1]);
            }

            progress?.Invoke(chunk + 1, chunks);
        }

        return new PerplexityMeasurement(sums.Perplexity, sums.Uncertainty, sums.Count, tokens.Length, chunks, n, n,
            order.Threads, addBos, model.VocabularySize);
    }
}
