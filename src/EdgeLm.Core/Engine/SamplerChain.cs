using System.Numerics;
using EdgeLm.Core.Native;

namespace EdgeLm.Core.Engine;

/// <summary>How to pick the next token. Temperature 0 is greedy (deterministic).</summary>
internal sealed record SamplingOptions(float Temperature = 0f, int TopK = 40, float TopP = 0.95f, float MinP = 0.05f, uint Seed = 42);

/// <summary>
/// A llama.cpp sampler chain built from <see cref="SamplingOptions"/>. Greedy sampling (temperature 0, the
/// benchmark default) is an argmax over the logits done here: llama.cpp's chain would first copy the whole
/// vocabulary into a candidate array, which costs about 2% of a small model's decode step. The result is the
/// same token (the first of equal maxima, as llama.cpp's greedy sampler picks).
/// </summary>
internal sealed unsafe class SamplerChain : IDisposable
{
    private readonly LlamaSamplerHandle _handle;

    public SamplerChain(SamplingOptions options)
    {
        Options = options;
        llama_sampler_chain_params parameters = NativeMethods.llama_sampler_chain_default_params();
        _handle = NativeMethods.llama_sampler_chain_init(parameters);
        try
        {
            if (_handle.IsInvalid)
            {
                throw new EdgeLmException("SamplerCreateFailed", "llama.cpp could not create a sampler chain");
            }

            if (options.Temperature <= 0)
            {
                Add(NativeMethods.llama_sampler_init_greedy());
                return;
            }

            if (options.TopK > 0)
            {
                Add(NativeMethods.llama_sampler_init_top_k(options.TopK));
            }

            if (options.TopP is > 0 and < 1)
            {
                Add(NativeMethods.llama_sampler_init_top_p(options.TopP, 1));
            }

            if (options.MinP > 0)
            {
                Add(NativeMethods.llama_sampler_init_min_p(options.MinP, 1));
            }

            Add(NativeMethods.llama_sampler_init_temp(options.Temperature));
            Add(NativeMethods.llama_sampler_init_dist(options.Seed));
        }
        catch
        {
            _handle.Dispose();
            throw;
        }
    }

    public SamplingOptions Options { get; }

    /// <summary>True when sampling is a plain argmax of the logits.</summary>
    public bool IsGreedy => Options.Temperature <= 0;

    /// <summary>Number of samplers in the chain (greedy alone, or top-k/top-p/min-p/temperature/distribution).</summary>
    public int Length => NativeMethods.llama_sampler_chain_n(_handle);

    /// <summary>Samples from the last logits of <paramref name="context"/> and accepts the token.</summary>
    public int Sample(LlamaContext context)
    {
        if (!IsGreedy)
        {
            return NativeMethods.llama_sampler_sample(_handle, context.Handle, -1);
        }

        float* logits = NativeMethods.llama_get_logits_ith(context.Handle, -1);
        if (logits is null)
        {
            throw new EdgeLmException("NoLogits", "llama.cpp returned no logits for the last token");
        }

        return ArgMax(new ReadOnlySpan<float>(logits, context.Model.VocabularySize));
    }

    /// <summary>Index of the first largest value.</summary>
    internal static int ArgMax(ReadOnlySpan<float> values)
    {
        int width = Vector<float>.Count;
        int i = 0;
        float best = float.NegativeInfinity;
        if (values.Length >= 2 * width)
        {
            // Find the maximum with SIMD, then the first index holding it.
            var max = new Vector<float>(float.NegativeInfinity);
            for (; i <= values.Length - width; i += width)
            {
                max = Vector.Max(max, new Vector<float>(values.Slice(i, width)));
            }

            for (int lane = 0; lane < width; lane++)
            {
                best = Math.Max(best, max[lane]);
            }
        }

        for (; i < values.Length; i++)
        {
            best = Math.Max(best, values[i]);
        }

        int index = values.IndexOf(best);
        return index < 0 ? 0 : index; // NaN logits only: token 0, as llama.cpp's comparisons would leave it
    }

    public void Reset() => NativeMethods.llama_sampler_reset(_handle);

    public void Dispose() => _handle.Dispose();

    /// <summary>Adds a sampler to the chain, which owns it from then on: the chain frees it, its handle no longer does.</summary>
    private void Add(LlamaSamplerHandle sampler)
    {
        using (sampler)
        {
            if (sampler.IsInvalid)
            {
                throw new EdgeLmException("SamplerCreateFailed", "llama.cpp could not create a sampler");
            }

            NativeMethods.llama_sampler_chain_add(_handle, sampler);
            sampler.Transferred();
        }
    }
}
