using System.Runtime.InteropServices;

namespace EdgeLm.Core.Native;

// Mirrors of llama.h (llama.cpp 0.5.0) structs that cross the boundary by value or pointer.
// Field names are the C names on purpose: LlamaStructLayoutTests compiles offsetof() for every
// field declared here and compares it with Marshal.OffsetOf, so a renamed or reordered C field fails.
// C `bool` is one byte: declared as byte. C enums are int-sized: declared as int.
#pragma warning disable IDE1006 // C names

[StructLayout(LayoutKind.Sequential)]
internal struct llama_model_params
{
    public IntPtr devices;
    public IntPtr tensor_buft_overrides;
    public int n_gpu_layers;
    public int split_mode;
    public int load_mode;
    public int lazy_mode;
    public int main_gpu;
    public IntPtr tensor_split;
    public IntPtr progress_callback;
    public IntPtr progress_callback_user_data;
    public IntPtr kv_overrides;
    public byte vocab_only;
    public byte check_tensors;
    public byte use_extra_bufts;
    public byte no_host;
    public byte no_alloc;
    public byte load_mtp;
}

[StructLayout(LayoutKind.Sequential)]
internal struct llama_context_params
{
    public uint n_ctx;
    public uint n_batch;
    public uint n_ubatch;
    public uint n_seq_max;
    public uint n_rs_seq;
    public uint n_outputs_max;
    public uint n_outputs_max_per_seq;
    public int n_threads;
    public int n_threads_batch;
    public int ctx_type;
    public int rope_scaling_type;
    public int pooling_type;
    public int attention_type;
    public int flash_attn_type;
    public float rope_freq_base;
    public float rope_freq_scale;
    public float yarn_ext_factor;
    public float yarn_attn_factor;
    public float yarn_beta_fast;
    public float yarn_beta_slow;
    public uint yarn_orig_ctx;
    public float defrag_thold;
    public IntPtr cb_eval;
    public IntPtr cb_eval_user_data;
    public int type_k;
    public int type_v;
    public IntPtr abort_callback;
    public IntPtr abort_callback_data;
    public byte embeddings;
    public byte offload_kqv;
    public byte no_perf;
    public byte op_offload;
    public byte swa_full;
    public byte kv_unified;
    public IntPtr samplers;
    public nuint n_samplers;
    public IntPtr ctx_other;
}

[StructLayout(LayoutKind.Sequential)]
internal struct llama_model_quantize_params
{
    public int nthread;
    public int ftype;
    public int output_tensor_type;
    public int token_embedding_type;
    public byte allow_requantize;
    public byte quantize_output_tensor;
    public byte only_copy;
    public byte pure;
    public byte keep_split;
    public byte dry_run;
    public IntPtr imatrix;
    public IntPtr kv_overrides;
    public IntPtr tt_overrides;
    public IntPtr prune_layers;
    public nuint max_buf_size;
}

[StructLayout(LayoutKind.Sequential)]
internal struct llama_batch
{
    public int n_tokens;
    public IntPtr token;
    public IntPtr embd;
    public IntPtr pos;
    public IntPtr n_seq_id;
    public IntPtr seq_id;
    public IntPtr logits;
}

[StructLayout(LayoutKind.Sequential)]
internal struct llama_perf_context_data
{
    public double t_start_ms;
    public double t_load_ms;
    public double t_p_eval_ms;
    public double t_eval_ms;
    public int n_p_eval;
    public int n_eval;
    public int n_reused;
}

[StructLayout(LayoutKind.Sequential)]
internal struct llama_sampler_chain_params
{
    public byte no_perf;
}

[StructLayout(LayoutKind.Sequential)]
internal struct llama_chat_message
{
    public IntPtr role;
    public IntPtr content;
}
