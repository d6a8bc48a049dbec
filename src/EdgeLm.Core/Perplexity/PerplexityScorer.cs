using EdgeLm.Core.Engine;

namespace EdgeLm.Core.Perplexity;

/// <summary>
/// What the host asks the worker to score: a model, the text (already read and checked by the host, its one trailing
/// newline removed as llama-perplexity's -f does), the context, at most how many chunks, and the threads.
/// </summary>
internal sealed record PerplexityOrder(string ModelPath, string Text, int ContextSize, int? Chunks, int Threads,
    string? NativeDirectory = null, string? SaveLogitsPath = null, string? ReferenceLogitsPath = null, int GpuLayers = 0);

/// <summary>The worker's figures for one text (figures only; the host builds the <see cref="QualityResult"/>).</summary>
internal sealed record PerplexityMeasurement(double Perplexity, double Uncertainty, int TokensScored, int TextTokens,
    int Chunks, int ContextSize, int BatchSize, int Threads, bool AddsBos, int VocabularySize, KlDivergenceFigures? Reference = null);

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
        using LlamaModel model = LlamaModel.Load(order.ModelPath, order.GpuLayers, order.NativeDirectory);
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
        int vocabulary = model.VocabularySize;
        int rowLength = LogitsFile.RowLength(vocabulary);
        int scored = PerplexityChunks.ScoredPerChunk(n);
        using FileStream? reference = order.ReferenceLogitsPath is null ? null : OpenReference(order, tokens, n, vocabulary, ref chunks);
        using FileStream? save = order.SaveLogitsPath is null ? null
            : new FileStream(order.SaveLogitsPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        if (save is not null)
        {
            LogitsFile.WriteHeader(save, n, vocabulary, chunks, tokens);
        }
        // One chunk of rows each (never the whole file): the reference's as read, this model's as saved.
        ushort[]? referenceRows = reference is null ? null : new ushort[scored * rowLength];
        ushort[]? saveRows = save is null ? null : new ushort[scored * rowLength];
        KlDivergenceAccumulator? kld = reference is null ? null : new KlDivergenceAccumulator();
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
            if (reference is not null)
            {
                LogitsFile.ReadChunk(reference, referenceRows);
            }

            int start = chunk * n;
            for (int i = first; i < n - 1; i++)
            {
                // The original text's token is the target, also where position 0 was replaced by BOS (never scored).
                ReadOnlySpan<float> logits = context.LogitsAt(i);
                int target = tokens[start + i + 1];
                sums.Add(logits, target);
                if (kld is not null)
                {
                    kld.Add(logits, referenceRows!.AsSpan((i - first) * rowLength, rowLength), target);
                }

                if (saveRows is not null)
                {
                    LogitsFile.Quantize(logits, saveRows.AsSpan((i - first) * rowLength, rowLength));
                }
            }

            if (save is not null)
            {
                LogitsFile.WriteChunk(save, saveRows);
            }

            progress?.Invoke(chunk + 1, chunks);
        }

        save?.Flush(flushToDisk: true);
        return new PerplexityMeasurement(sums.Perplexity, sums.Uncertainty, sums.Count, tokens.Length, chunks, n, n,
            order.Threads, addBos, vocabulary, kld?.Figures());
    }

    /// <summary>
    /// Opens the reference's logits and checks they were computed over this very evaluation: the same context, the same
    /// vocabulary size, and the same tokens (the text tokenized the same way) in every chunk compared; only as many
    /// chunks as both have are compared.
    /// </summary>
    private static FileStream OpenReference(PerplexityOrder order, int[] tokens, int n, int vocabulary, ref int chunks)
    {
        string path = order.ReferenceLogitsPath!;
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        try
        {
            (int context, int referenceVocabulary, int referenceChunks, int[] referenceTokens) = LogitsFile.ReadHeader(stream, path);
            if (context != n)
            {
                throw new EdgeLmArgumentException("ReferenceContextDiffers",
                    $"{path} was computed with a context of {context} tokens, this run uses {n}; use --context {context} (-ContextSize {context})");
            }

            if (referenceVocabulary != vocabulary)
            {
                throw new EdgeLmArgumentException("ReferenceVocabularyDiffers",
                    $"{path} holds log-probabilities over {referenceVocabulary} tokens, {order.ModelPath} has {vocabulary}: KL divergence needs the same tokenizer (quantizations of one model)");
            }

            chunks = Math.Min(chunks, referenceChunks);
            for (int i = 0; i < chunks * n; i++)
            {
                if (referenceTokens[i] != tokens[i])
                {
                    throw new EdgeLmArgumentException("ReferenceTextDiffers",
                        $"{path} was computed over other tokens (token {i} is {referenceTokens[i]} there, {tokens[i]} here): use the same text, and a model with the same tokenizer");
                }
            }

            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }
}
