using EdgeLm.Core.Native;

namespace EdgeLm.Core.Inference;

/// <summary>How to pick the next token. Temperature 0 is greedy (deterministic).</summary>
public sealed record SamplingOptions(float Temperature = 0f, int TopK = 40, float TopP = 0.95f, float MinP = 0.05f, uint Seed = 42);

/// <summary>A llama.cpp sampler chain built from <see cref="SamplingOptions"/>.</summary>
public sealed class SamplerChain : IDisposable
{
    private readonly LlamaSamplerHandle _handle;

    public SamplerChain(SamplingOptions options)
    {
        Options = options;
        llama_sampler_chain_params parameters = NativeMethods.llama_sampler_chain_default_params();
        IntPtr chain = NativeMethods.llama_sampler_chain_init(parameters);
        _handle = new LlamaSamplerHandle(chain);
        if (options.Temperature <= 0)
        {
            NativeMethods.llama_sampler_chain_add(chain, NativeMethods.llama_sampler_init_greedy());
            return;
        }

        if (options.TopK > 0)
        {
            NativeMethods.llama_sampler_chain_add(chain, NativeMethods.llama_sampler_init_top_k(options.TopK));
        }

        if (options.TopP is > 0 and < 1)
        {
            NativeMethods.llama_sampler_chain_add(chain, NativeMethods.llama_sampler_init_top_p(options.TopP, 1));
        }

        if (options.MinP > 0)
        {
            NativeMethods.llama_sampler_chain_add(chain, NativeMethods.llama_sampler_init_min_p(options.MinP, 1));
        }

        NativeMethods.llama_sampler_chain_add(chain, NativeMethods.llama_sampler_init_temp(options.Temperature));
        NativeMethods.llama_sampler_chain_add(chain, NativeMethods.llama_sampler_init_dist(options.Seed));
    }

    public SamplingOptions Options { get; }

    /// <summary>Number of samplers in the chain (greedy alone, or top-k/top-p/min-p/temperature/distribution).</summary>
    public int Length => NativeMethods.llama_sampler_chain_n(_handle.DangerousGetHandle());

    /// <summary>Samples from the last logits of <paramref name="context"/> and accepts the token.</summary>
    public int Sample(LlamaContext context) =>
        NativeMethods.llama_sampler_sample(_handle.DangerousGetHandle(), context.Pointer, -1);

    public void Reset() => NativeMethods.llama_sampler_reset(_handle.DangerousGetHandle());

    public void Dispose() => _handle.Dispose();
}
