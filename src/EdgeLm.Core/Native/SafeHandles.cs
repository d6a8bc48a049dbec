using Microsoft.Win32.SafeHandles;

namespace EdgeLm.Core.Native;

/// <summary>
/// An object llama.cpp allocated and we own: freed exactly once, by the subclass's free function, when disposed
/// or finalized. P/Invoke takes and returns these, so no call passes a raw pointer that may already be freed
/// (the marshaller holds a reference for the length of each call). Null (zero) is invalid: a failed create.
/// </summary>
internal abstract class LlamaHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private LlamaHandle? _keptAlive;

    protected LlamaHandle() : base(ownsHandle: true)
    {
    }

    /// <summary>
    /// Keeps <paramref name="owner"/> from being freed until this handle is: a context refers to its model, and
    /// finalizers run in no particular order.
    /// </summary>
    internal void KeepAlive(LlamaHandle owner)
    {
        bool added = false;
        owner.DangerousAddRef(ref added);
        if (added)
        {
            _keptAlive = owner;
        }
    }

    /// <summary>
    /// llama.cpp took ownership (a sampler added to a chain is freed with the chain): this handle no longer
    /// frees it. Call after the call that transferred it.
    /// </summary>
    internal void Transferred() => SetHandleAsInvalid();

    /// <summary>The llama.cpp function that frees this kind of object.</summary>
    protected abstract void Free(IntPtr pointer);

    protected sealed override bool ReleaseHandle()
    {
        Free(handle);
        _keptAlive?.DangerousRelease();
        _keptAlive = null;
        return true;
    }
}

/// <summary>Owns a llama_model* (llama_model_free).</summary>
internal sealed class LlamaModelHandle : LlamaHandle
{
    protected override void Free(IntPtr pointer) => NativeMethods.llama_model_free(pointer);
}

/// <summary>Owns a llama_context* (llama_free); keeps its model alive.</summary>
internal sealed class LlamaContextHandle : LlamaHandle
{
    protected override void Free(IntPtr pointer) => NativeMethods.llama_free(pointer);
}

/// <summary>Owns a llama_sampler* (llama_sampler_free) until it is added to a chain, which then owns it.</summary>
internal sealed class LlamaSamplerHandle : LlamaHandle
{
    protected override void Free(IntPtr pointer) => NativeMethods.llama_sampler_free(pointer);
}
