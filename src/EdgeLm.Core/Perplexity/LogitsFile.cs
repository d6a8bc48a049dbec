using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace EdgeLm.Core.Perplexity;

/// <summary>
/// Saved reference log-probabilities in llama-perplexity's own format (what its --kl-divergence-base writes and
/// --kl-divergence reads), so files move between the two tools and KL divergence matches llama-perplexity's by
/// construction. Little-endian: the 8 bytes "_logits_" (the format's name and version: a change would need a new
/// name), int32 n_ctx, int32 n_vocab, int32 n_chunk, then n_chunk × n_ctx int32 tokens of the text (as tokenized, BOS
/// included, never replaced), then for each chunk and each scored position (n_ctx − 1 − n_ctx/2 per chunk) one row of
/// nv = 2·⌈n_vocab/2⌉ + 4 uint16: a float scale and a float minimum log-probability (4 uint16), then every vocabulary
/// entry's log-probability as round((logit − min) / scale) over the 16 nats below the top logit (0 below that), the
/// last uint16 padding when n_vocab is odd. Full vocabulary at 16 bits, not top-k: KL divergence sums over every token
/// whose reference probability is above e⁻¹⁶, which a top-k file cannot reproduce to 4 digits. Written and read one
/// chunk at a time, never held whole.
/// </summary>
internal static class LogitsFile
{
    public static ReadOnlySpan<byte> Magic => "_logits_"u8;

    /// <summary>uint16 per row: 4 for the two floats, the vocabulary rounded up to even.</summary>
    public static int RowLength(int vocabulary) => 2 * ((vocabulary + 1) / 2) + 4;

    public static void WriteHeader(Stream output, int contextSize, int vocabulary, int chunks, ReadOnlySpan<int> tokens)
    {
        output.Write(Magic);
        Span<byte> number = stackalloc byte[4];
        foreach (int value in new[] { contextSize, vocabulary, chunks })
        {
            BinaryPrimitives.WriteInt32LittleEndian(number, value);
            output.Write(number);
        }

        output.Write(MemoryMarshal.AsBytes(tokens[..(contextSize * chunks)]));
    }

    /// <summary>
    /// One row: llama-perplexity's log_softmax with a uint16 output, arithmetic type for type (float logits, maximum,
    /// log-sum-exp and scale; the exponentials summed in double; rounding by its nearest_int).
    /// </summary>
    public static void Quantize(ReadOnlySpan<float> logits, Span<ushort> row)
    {
        float max = logits[0], min = logits[0];
        for (int i = 1; i < logits.Length; i++)
        {
            max = Math.Max(max, logits[i]);
            min = Math.Min(min, logits[i]);
        }

        min = Math.Max(min, max - 16);
        double sumExp = 0.0;
        for (int i = 0; i < logits.Length; i++)
        {
            sumExp += MathF.Exp(logits[i] - max);
        }

        float logSumExp = (float)Math.Log(sumExp);
        float minLogProb = min - max - logSumExp;
        float scale = (max - min) / 65535f;
        Span<float> head = MemoryMarshal.Cast<ushort, float>(row[..4]);
        head[0] = scale;
        head[1] = minLogProb;
        Span<ushort> values = row[4..];
        values.Clear();
        if (scale != 0)
        {
            float inverse = 1 / scale;
            for (int i = 0; i < logits.Length; i++)
            {
                values[i] = logits[i] > min ? (ushort)NearestInt(inverse * (logits[i] - min)) : (ushort)0;
            }
        }
    }

    /// <summary>llama.cpp's nearest_int: round half to even through the float mantissa (valid below 2²²).</summary>
    public static int NearestInt(float value)
    {
        float shifted = value + 12582912f;
        int bits = BitConverter.SingleToInt32Bits(shifted);
        return (bits & 0x007fffff) - 0x00400000;
    }

    /// <summary>The header of a saved file, checked; the stream is left at the first row.</summary>
    public static (int ContextSize, int Vocabulary, int Chunks, int[] Tokens) ReadHeader(Stream input, string path)
    {
        Span<byte> head = stackalloc byte[20];
        if (input.ReadAtLeast(head, 20, throwOnEndOfStream: false) < 20 || !head[..8].SequenceEqual(Magic))
        {
            throw new EdgeLmInvalidFileException(path, "LogitsFileNotRecognised",
                $"{path} is not a logits file (it does not start with \"_logits_\", the name of llama-perplexity's format); give a file written by --save-logits or llama-perplexity --kl-divergence-base");
        }

        int context = BinaryPrimitives.ReadInt32LittleEndian(head[8..]);
        int vocabulary = BinaryPrimitives.ReadInt32LittleEndian(head[12..]);
        int chunks = BinaryPrimitives.ReadInt32LittleEndian(head[16..]);
        long expected = 20 + 4L * context * chunks + 2L * chunks * PerplexityChunks.ScoredPerChunk(Math.Max(context, 1)) * RowLength(Math.Max(vocabulary, 0));
        if (context < QualitySettings.MinContextSize || context > QualitySettings.MaxContextSize || vocabulary < 1 || chunks < 1
            || (input.CanSeek && input.Length != expected))
        {
            throw new EdgeLmInvalidFileException(path, "LogitsFileDamaged",
                $"{path} says n_ctx {context}, n_vocab {vocabulary}, n_chunk {chunks}, which " +
                (input.CanSeek ? $"would make {expected} bytes, but it holds {input.Length} (truncated?)" : "is out of range") +
                "; write it again with --save-logits");
        }

        var tokens = new int[context * chunks];
        input.ReadExactly(MemoryMarshal.AsBytes(tokens.AsSpan()));
        return (context, vocabulary, chunks, tokens);
    }

    /// <summary>Reads one chunk's rows.</summary>
    public static void ReadChunk(Stream input, Span<ushort> rows) => input.ReadExactly(MemoryMarshal.AsBytes(rows));

    public static void WriteChunk(Stream output, ReadOnlySpan<ushort> rows) => output.Write(MemoryMarshal.AsBytes(rows));
}
