using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeLm.Core.Native;
using EdgeLm.Core.Settings;

namespace EdgeLm.Core.Engine;

/// <summary>Settings of a llama.cpp context.</summary>
internal sealed record ContextOptions(int ContextSize, int BatchSize, int MicroBatchSize, int Threads, int ThreadsBatch,
    FlashAttention FlashAttention = FlashAttention.Auto);

/// <summary>llama.cpp's own timing counters (llama_perf_context) since the last reset.</summary>
internal readonly record struct EngineCounters(double PromptMs, int PromptTokens, double EvalMs, int EvalTokens);

/// <summary>
/// A llama.cpp context: the KV cache and compute buffers for one model. Decoding can be aborted from
/// another thread through a cancellation token, which llama.cpp polls between graph nodes.
/// </summary>
internal sealed unsafe class LlamaContext : IDisposable
{
    private readonly LlamaContextHandle _handle;
    private readonly AbortFlag _abort = new();
    private GCHandle _abortHandle;

    private LlamaContext(LlamaContextHandle handle, LlamaModel model, ContextOptions options, ContextMemory memory)
    {
        _handle = handle;
        Model = model;
        Options = options;
        Memory = memory;
        _abortHandle = GCHandle.Alloc(_abort);
        NativeMethods.llama_set_abort_callback(handle, &OnAbort, GCHandle.ToIntPtr(_abortHandle));
    }

    public LlamaModel Model { get; }
    public ContextOptions Options { get; private set; }

    /// <summary>The KV cache and compute buffers llama.cpp allocated for this context.</summary>
    public ContextMemory Memory { get; }

    /// <summary>The llama_context*, for the sampler.</summary>
    internal LlamaContextHandle Handle => _handle;

    public static LlamaContext Create(LlamaModel model, ContextOptions options)
    {
        llama_context_params parameters = NativeMethods.llama_context_default_params();
        parameters.n_ctx = (uint)options.ContextSize;
        parameters.n_batch = (uint)options.BatchSize;
        parameters.n_ubatch = (uint)options.MicroBatchSize;
        parameters.n_seq_max = 1;
        parameters.n_threads = options.Threads;
        parameters.n_threads_batch = options.ThreadsBatch;
        parameters.flash_attn_type = (int)options.FlashAttention;
        parameters.no_perf = 0; // we report llama.cpp's own counters beside ours
        LlamaContextHandle context;
        ContextMemory memory;
        using (LogCapture log = LlamaLog.Capture())
        {
            context = NativeMethods.llama_init_from_model(model.Handle, parameters);
            memory = ContextMemory.FromLog(log.Lines);
        }

        if (context.IsInvalid)
        {
            context.Dispose();
            string said = LlamaLog.SaidAboutFailure();
            throw new EdgeLmException("ContextCreateFailed",
                $"llama.cpp could not create a context of {options.ContextSize} tokens for {model.Path} " +
                $"(out of memory? try a smaller context). llama.cpp said: {said}");
        }

        context.KeepAlive(model.Handle);
        return new LlamaContext(context, model, options, memory);
    }

    /// <summary>
    /// Changes the threads used for generation and for prompt batches without rebuilding the context (as llama-bench
    /// does between runs): llama_set_n_threads takes effect at the next decode; KV cache and buffers stay.
    /// </summary>
    public void SetThreads(int threads, int threadsBatch)
    {
        NativeMethods.llama_set_n_threads(_handle, threads, threadsBatch);
        Options = Options with { Threads = threads, ThreadsBatch = threadsBatch };
    }

    /// <summary>The threads llama.cpp uses now: (generation, prompt batches).</summary>
    public (int Threads, int ThreadsBatch) EngineThreads =>
        (NativeMethods.llama_n_threads(_handle), NativeMethods.llama_n_threads_batch(_handle));

    /// <summary>Empties the KV cache so the next run starts from nothing.</summary>
    public void ClearMemory() => NativeMethods.llama_memory_clear(NativeMethods.llama_get_memory(_handle), true);

    /// <summary>Waits until queued work is done: decoding may run asynchronously on a GPU.</summary>
    public void Synchronize() => NativeMethods.llama_synchronize(_handle);

    public void ResetCounters() => NativeMethods.llama_perf_context_reset(_handle);

    /// <summary>llama.cpp's counters; reading them waits for queued work, which llama.cpp accounts only at synchronization.</summary>
    public EngineCounters Counters
    {
        get
        {
            NativeMethods.llama_synchronize(_handle);
            llama_perf_context_data data = NativeMethods.llama_perf_context(_handle);
            return new EngineCounters(data.t_p_eval_ms, data.n_p_eval, data.t_eval_ms, data.n_eval);
        }
    }

    /// <summary>Decodes tokens in batches of at most the batch size; logits are kept for the last one.</summary>
    public void Decode(ReadOnlySpan<int> tokens, CancellationToken cancellationToken)
    {
        _abort.Token = cancellationToken;
        // No check of the token here: llama.cpp polls OnAbort between graph nodes, so cancellation
        // also lands inside one long prompt batch, and this path is what the tests exercise.
        for (int start = 0; start < tokens.Length; start += Options.BatchSize)
        {
            ReadOnlySpan<int> part = tokens.Slice(start, Math.Min(Options.BatchSize, tokens.Length - start));
            int status;
            fixed (int* p = part)
            {
                status = NativeMethods.llama_decode(_handle, NativeMethods.llama_batch_get_one(p, part.Length));
            }

            if (status == 2)
            {
                throw new OperationCanceledException(cancellationToken);
            }

            if (status != 0)
            {
                string said = LlamaLog.SaidAboutFailure();
                throw new EdgeLmException("DecodeFailed", status == 1
                    ? $"llama.cpp found no room in the KV cache of {Options.ContextSize} tokens; use a larger context"
                    : $"llama_decode failed with status {status}. llama.cpp said: {said}");
            }
        }
    }

    /// <summary>
    /// Decodes <paramref name="tokens"/> as one sequence at positions 0.. in a single llama_decode, asking for logits
    /// at every position from <paramref name="firstOutput"/> on (what llama-perplexity does per chunk); read them with
    /// <see cref="LogitsAt"/>. The tokens must fit one batch (the context's batch size).
    /// </summary>
    public void DecodeWithOutputs(ReadOnlySpan<int> tokens, int firstOutput, CancellationToken cancellationToken)
    {
        if (tokens.Length == 0 || tokens.Length > Options.BatchSize)
        {
            throw new ArgumentOutOfRangeException(nameof(tokens), tokens.Length, $"between 1 and the batch size of {Options.BatchSize} tokens");
        }

        _abort.Token = cancellationToken;
        llama_batch batch = NativeMethods.llama_batch_init(tokens.Length, 0, 1);
        int status;
        try
        {
            int* token = (int*)batch.token, pos = (int*)batch.pos, seqCount = (int*)batch.n_seq_id;
            int** seq = (int**)batch.seq_id;
            sbyte* output = (sbyte*)batch.logits;
            for (int k = 0; k < tokens.Length; k++)
            {
                token[k] = tokens[k];
                pos[k] = k;
                seqCount[k] = 1;
                seq[k][0] = 0;
                output[k] = k >= firstOutput ? (sbyte)1 : (sbyte)0;
            }

            batch.n_tokens = tokens.Length;
            status = NativeMethods.llama_decode(_handle, batch);
        }
        finally
        {
            NativeMethods.llama_batch_free(batch);
        }

        if (status == 2)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        if (status != 0)
        {
            string said = LlamaLog.SaidAboutFailure();
            throw new EdgeLmException("DecodeFailed", status == 1
                ? $"llama.cpp found no room in the KV cache of {Options.ContextSize} tokens; use a larger context"
                : $"llama_decode failed with status {status}. llama.cpp said: {said}");
        }
    }

    /// <summary>The logits (one per vocabulary entry) of batch position <paramref name="index"/> of the last decode, which must have asked for them.</summary>
    public ReadOnlySpan<float> LogitsAt(int index)
    {
        float* logits = NativeMethods.llama_get_logits_ith(_handle, index);
        if (logits is null)
        {
            throw new EdgeLmException("LogitsMissing", $"llama.cpp holds no logits for batch position {index} of the last decode");
        }

        return new ReadOnlySpan<float>(logits, Model.VocabularySize);
    }

    public void Dispose()
    {
        _handle.Dispose();
        if (_abortHandle.IsAllocated)
        {
            _abortHandle.Free();
        }
    }

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static byte OnAbort(IntPtr data)
    {
        return GCHandle.FromIntPtr(data).Target is AbortFlag { Token.IsCancellationRequested: true } ? (byte)1 : (byte)0;
    }

    private sealed class AbortFlag
    {
        public CancellationToken Token { get; set; }
    }
}
