using EdgeLm.Core.Native;

namespace EdgeLm.Core.Models;

/// <summary>
/// Writes a llama-architecture GGUF with seeded random weights and a byte-fallback vocabulary.
/// F32/F16 are streamed straight to disk in 4 MiB chunks; other types are written as F16 next to the
/// target and quantized by llama.cpp itself, so the tensor-type mix is exactly what llama-quantize
/// would give a real model of that shape.
/// </summary>
public static class SyntheticModelBuilder
{
    private const int ChunkBytes = 4 << 20;

    public static ModelInfo Create(SyntheticModelRequest request, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        request.Shape.Validate();
        int fileType = FileTypes.Parse(request.Quantization) is int ft && FileTypes.QuantizeTargets.Contains(FileTypes.Name(ft))
            ? ft
            : throw new EdgeLmArgumentException("UnknownQuantization",
                $"'{request.Quantization}' is not a quantization EdgeLm can write; use one of {string.Join(", ", FileTypes.QuantizeTargets)}");
        string output = OutputFiles.Prepare(request.OutputPath, request.Force);

        bool direct = fileType is 0 or 1;
        string weightsPath = OutputFiles.TemporaryBeside(output);
        try
        {
            var writeProgress = direct ? progress : Scale(progress, 0, 0.5);
            Write(request.Shape, fileType == 0 ? GgmlTypes.F32 : GgmlTypes.F16, fileType == 0 ? 0 : 1, request.Seed, weightsPath,
                writeProgress, cancellationToken);
            if (direct)
            {
                File.Move(weightsPath, output, overwrite: true);
            }
            else
            {
                cancellationToken.ThrowIfCancellationRequested();
                ModelQuantizer.QuantizeFile(weightsPath, output, fileType, request.Threads, request.NativeDirectory);
            }

            progress?.Report(1.0);
        }
        finally
        {
            File.Delete(weightsPath);
        }

        return ModelInspector.Inspect(output);
    }

    /// <summary>Writes the model with 2-D weights of <paramref name="weightType"/>; 1-D norms are always F32.</summary>
    internal static void Write(SyntheticShape shape, GgmlType weightType, int fileType, ulong seed, string path,
        IProgress<double>? progress, CancellationToken cancellationToken)
    {
        GgufWriter writer = Describe(shape, weightType, fileType, seed);
        long total = writer.Tensors.Sum(t => t.Bytes), done = 0;
        var buffer = new byte[ChunkBytes];
        var index = writer.Tensors.Select((t, i) => (t.Name, i)).ToDictionary(p => p.Name, p => p.i);

        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        stream.SetLength(writer.FileBytes);
        writer.WriteTo(stream, (tensor, output) =>
        {
            long remaining = tensor.Bytes;
            for (long chunk = 0; remaining > 0; chunk++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int size = (int)Math.Min(remaining, ChunkBytes);
                Span<byte> span = buffer.AsSpan(0, size);
                if (tensor.Dimensions.Length == 1)
                {
                    RandomWeights.FillOnes(span);
                }
                else
                {
                    RandomWeights.Fill(span, tensor.Type, RandomWeights.ChunkSeed(seed, index[tensor.Name], chunk));
                }

                output.Write(span);
                remaining -= size;
                done += size;
                progress?.Report((double)done / total);
            }
        });
    }

    /// <summary>The start of general.description in every model EdgeLm writes with random weights (see <see cref="Describe"/>).</summary>
    internal const string DescriptionMark = "EdgeLm synthetic ";

    /// <summary>
    /// Whether <paramref name="file"/> is one of EdgeLm's random-weight models (or quantized from one: llama.cpp's
    /// quantizer copies the metadata): its description starts with <see cref="DescriptionMark"/> and its name with "synthetic-".
    /// </summary>
    internal static bool IsSynthetic(GgufFile file) =>
        file.GetString("general.description")?.StartsWith(DescriptionMark, StringComparison.Ordinal) == true
        && file.GetString("general.name")?.StartsWith("synthetic-", StringComparison.Ordinal) == true;

    internal static GgufWriter Describe(SyntheticShape shape, GgmlType weightType, int fileType, ulong seed)
    {
        var (tokens, scores, types) = SyntheticVocabulary.Build(shape.VocabularySize);
        const string arch = "llama";
        var w = new GgufWriter();
        w.Add("general.architecture", arch)
         .Add("general.type", "model")
         .Add("general.name", $"synthetic-{shape.Name}")
         .Add("general.description", $"{DescriptionMark}{shape.Name}: random weights (seed {seed}), real dimensions; for speed, memory and energy, not quality")
         .AddUInt32("general.file_type", (uint)fileType)
         .AddUInt32("general.quantization_version", 2)
         .AddUInt32($"{arch}.context_length", (uint)shape.ContextLength)
         .AddUInt32($"{arch}.embedding_length", (uint)shape.EmbeddingSize)
         .AddUInt32($"{arch}.block_count", (uint)shape.Layers)
         .AddUInt32($"{arch}.feed_forward_length", (uint)shape.FeedForwardSize)
         .AddUInt32($"{arch}.attention.head_count", (uint)shape.Heads)
         .AddUInt32($"{arch}.attention.head_count_kv", (uint)shape.KvHeads)
         .AddUInt32($"{arch}.rope.dimension_count", (uint)shape.HeadSize)
         .AddFloat32($"{arch}.rope.freq_base", shape.RopeFreqBase)
         .AddFloat32($"{arch}.attention.layer_norm_rms_epsilon", 1e-5f)
         .AddUInt32($"{arch}.vocab_size", (uint)shape.VocabularySize)
         .Add("tokenizer.ggml.model", "llama")
         .AddStrings("tokenizer.ggml.tokens", tokens)
         .AddFloat32s("tokenizer.ggml.scores", scores)
         .AddInt32s("tokenizer.ggml.token_type", types)
         .AddUInt32("tokenizer.ggml.unknown_token_id", SyntheticVocabulary.UnknownId)
         .AddUInt32("tokenizer.ggml.bos_token_id", SyntheticVocabulary.BosId)
         .AddUInt32("tokenizer.ggml.eos_token_id", SyntheticVocabulary.EosId)
         .Add("tokenizer.ggml.add_bos_token", true)
         .Add("tokenizer.ggml.add_eos_token", false);

        long e = shape.EmbeddingSize, kv = (long)shape.KvHeads * shape.HeadSize, f = shape.FeedForwardSize, v = shape.VocabularySize;
        w.AddTensor("token_embd.weight", weightType, e, v);
        for (int layer = 0; layer < shape.Layers; layer++)
        {
            string p = $"blk.{layer}.";
            w.AddTensor(p + "attn_norm.weight", GgmlTypes.F32, e);
            w.AddTensor(p + "attn_q.weight", weightType, e, e);
            w.AddTensor(p + "attn_k.weight", weightType, e, kv);
            w.AddTensor(p + "attn_v.weight", weightType, e, kv);
            w.AddTensor(p + "attn_output.weight", weightType, e, e);
            w.AddTensor(p + "ffn_norm.weight", GgmlTypes.F32, e);
            w.AddTensor(p + "ffn_gate.weight", weightType, e, f);
            w.AddTensor(p + "ffn_up.weight", weightType, e, f);
            w.AddTensor(p + "ffn_down.weight", weightType, f, e);
        }

        w.AddTensor("output_norm.weight", GgmlTypes.F32, e);
        if (!shape.TiedOutput)
        {
            w.AddTensor("output.weight", weightType, e, v);
        }

        return w;
    }

    private static IProgress<double>? Scale(IProgress<double>? progress, double from, double to) =>
        progress is null ? null : new Progress<double>(p => progress.Report(from + (to - from) * p));
}
