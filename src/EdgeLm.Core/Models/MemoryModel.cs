namespace EdgeLm.Core.Models;

/// <summary>What the worker's peak resident set is predicted to hold, part by part.</summary>
internal readonly record struct MemoryPrediction(long WeightsBytes, long RepackBytes, long KvCacheBytes, long ComputeBytes, long OverheadBytes)
{
    public long PeakRssBytes => WeightsBytes + RepackBytes + KvCacheBytes + ComputeBytes + OverheadBytes;
}

/// <summary>
/// The worker's peak resident set (VmHWM) during a run on the CPU whose prompt fills a micro-batch, from the model's
/// footprint and the context size; calibrated against measured PeakRssBytes (bench/fit, docs/records.md):
/// <list type="bullet">
/// <item>weights: the mapped tensor data a decode touches (all of it when the output is tied to the embedding; an
/// untied embedding table is only read by row);</item>
/// <item>repack: the second, anonymous copy llama.cpp's CPU backend makes of Q4_0-like weights; the file pages it
/// read them from stay mapped, so RSS counts both;</item>
/// <item>KV cache: F16 K and V for every cell of the context (padded to 256 cells), zeroed before each run, so resident;</item>
/// <item>compute: the activations of one micro-batch (min(512, context) tokens), which is what a long prompt touches
/// of llama.cpp's compute buffer (ComputeBufferBytes also reserves logits for every token of the batch; a prompt
/// asks for one row);</item>
/// <item>overhead: the .NET worker and llama.cpp's libraries, the vocabulary's tables, and per-cell bookkeeping.</item>
/// </list>
/// </summary>
internal static class MemoryModel
{
    /// <summary>llama.cpp pads the KV cache to whole blocks of cells.</summary>
    public const int CellPadding = 256;

    /// <summary>Tokens in one micro-batch (n_ubatch), EdgeLm's default.</summary>
    public const int MicroBatch = 512;

    // Calibrated by least squares on relative error over bench/fit's cells (tiny .. llama-3.2-1b at Q4_0, Q8_0 and
    // F16, contexts 512 .. 8192) on x86_64 with 2 threads: what the measured peak held beyond weights, repack and KV.
    // The .NET worker with llama.cpp loaded and a tiny model: ~51 MB; llama.cpp's vocabulary tables (token text,
    // scores, maps, piece cache) ~256 B per token; ~3.4 F32 activations per feed-forward unit and batch token (gate,
    // up and their product live at once); ~178 B per context cell (cell metadata, mask rows).
    internal const double BaseBytes = 51.4e6;
    internal const double BytesPerVocabularyToken = 256;
    internal const double BytesPerCell = 178;
    internal const double ActivationFloatsPerFeedForward = 3.40;

    public static int PaddedContext(int context) => (int)Math.Min(int.MaxValue, (context + (long)CellPadding - 1) / CellPadding * CellPadding);

    public static MemoryPrediction Predict(ModelFootprint model, int context)
    {
        int cells = PaddedContext(context);
        int batch = Math.Min(MicroBatch, context);
        long kv = model.KvBytesPerCell * cells;
        long compute = (long)(batch * 4.0 * ActivationFloatsPerFeedForward * model.FeedForwardSize);
        long overhead = (long)(BaseBytes + BytesPerVocabularyToken * model.VocabularySize + BytesPerCell * cells);
        return new MemoryPrediction(model.DecodeWeightBytes, model.RepackedBytes, kv, compute, overhead);
    }
}
