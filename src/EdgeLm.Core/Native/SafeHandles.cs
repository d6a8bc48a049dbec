using System.Runtime.InteropServices;

namespace EdgeLm.Core.Native;

/// <summary>Owns a llama_model*; freed exactly once, even if the owner forgets to dispose.</summary>
internal sealed class LlamaModelHandle : SafeHandle
{
    public LlamaModelHandle(IntPtr model) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(model);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.llama_model_free(handle);
        return true;
    }
}

/// <summary>Owns a llama_context*.</summary>
internal sealed class LlamaContextHandle : SafeHandle
{
    public LlamaContextHandle(IntPtr context) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(context);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.llama_free(handle);
        return true;
    }
}

/// <summary>Owns a llama_sampler* (a chain frees the samplers added to it).</summary>
internal sealed class LlamaSamplerHandle : SafeHandle
{
    public LlamaSamplerHandle(IntPtr sampler) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(sampler);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.llama_sampler_free(handle);
        return true;
    }
}
