using System.Runtime.InteropServices;

namespace EdgeLm.Core.Native;

// P/Invoke declarations for the parts of llama.cpp 0.5.0's C API that benchmarking needs.
// Library names are logical; LlamaLibrary's resolver maps them to files in the chosen native folder.
// `const char*` results are returned as IntPtr: they belong to llama.cpp and must not be freed.
// Objects we own (model, context, sampler) travel as LlamaHandle subclasses (SafeHandles.cs); only their free
// functions, called from ReleaseHandle, take the raw pointer. Borrowed pointers (vocabulary, memory, devices)
// stay IntPtr: llama.cpp frees them with their owner. llama_batch_get_one's batch is a view of our tokens and
// is not freed.
internal static unsafe partial class NativeMethods
{
    internal const string Llama = "llama";
    internal const string Ggml = "ggml";
    internal const string GgmlBase = "ggml-base";

    // --- library, backends, logging ---------------------------------------------------------------
    [LibraryImport(Llama)] internal static partial IntPtr llama_version();
    [LibraryImport(Llama)] internal static partial void llama_backend_init();
    [LibraryImport(Llama)] internal static partial void llama_backend_free();
    [LibraryImport(Llama)] internal static partial IntPtr llama_print_system_info();
    [LibraryImport(Llama)] internal static partial long llama_time_us();
    [LibraryImport(Llama)] [return: MarshalAs(UnmanagedType.U1)] internal static partial bool llama_supports_gpu_offload();
    [LibraryImport(Llama)] internal static partial void llama_log_set(delegate* unmanaged[Cdecl]<int, IntPtr, IntPtr, void> callback, IntPtr userData);
    [LibraryImport(GgmlBase)] internal static partial void ggml_log_set(delegate* unmanaged[Cdecl]<int, IntPtr, IntPtr, void> callback, IntPtr userData);
    [LibraryImport(Ggml, StringMarshalling = StringMarshalling.Utf8)] internal static partial void ggml_backend_load_all_from_path(string? dirPath);
    [LibraryImport(Ggml)] internal static partial nuint ggml_backend_reg_count();
    [LibraryImport(Ggml)] internal static partial nuint ggml_backend_dev_count();
    [LibraryImport(Ggml)] internal static partial IntPtr ggml_backend_dev_get(nuint index);
    [LibraryImport(GgmlBase)] internal static partial IntPtr ggml_backend_dev_name(IntPtr device);
    [LibraryImport(GgmlBase)] internal static partial IntPtr ggml_backend_dev_description(IntPtr device);
    [LibraryImport(GgmlBase)] internal static partial int ggml_backend_dev_type(IntPtr device);

    // --- defaults ------------------------------------------------------------------------------------
    [LibraryImport(Llama)] internal static partial llama_model_params llama_model_default_params();
    [LibraryImport(Llama)] internal static partial llama_context_params llama_context_default_params();
    [LibraryImport(Llama)] internal static partial llama_sampler_chain_params llama_sampler_chain_default_params();
    [LibraryImport(Llama)] internal static partial llama_model_quantize_params llama_model_quantize_default_params();

    // --- model -----------------------------------------------------------------------------------------
    [LibraryImport(Llama, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial LlamaModelHandle llama_model_load_from_file(string path, llama_model_params parameters);
    [LibraryImport(Llama)] internal static partial void llama_model_free(IntPtr model);
    [LibraryImport(Llama)] internal static partial IntPtr llama_model_get_vocab(LlamaModelHandle model);
    [LibraryImport(Llama)] internal static partial int llama_model_n_ctx_train(LlamaModelHandle model);
    [LibraryImport(Llama)] internal static partial int llama_model_n_embd(LlamaModelHandle model);
    [LibraryImport(Llama)] internal static partial int llama_model_n_layer(LlamaModelHandle model);
    [LibraryImport(Llama)] internal static partial int llama_model_n_head(LlamaModelHandle model);
    [LibraryImport(Llama)] internal static partial int llama_model_n_head_kv(LlamaModelHandle model);
    [LibraryImport(Llama)] internal static partial int llama_model_desc(LlamaModelHandle model, byte* buf, nuint bufSize);
    [LibraryImport(Llama)] internal static partial ulong llama_model_size(LlamaModelHandle model);
    [LibraryImport(Llama)] internal static partial ulong llama_model_n_params(LlamaModelHandle model);
    [LibraryImport(Llama)] internal static partial int llama_model_ftype(LlamaModelHandle model);
    [LibraryImport(Llama)] internal static partial IntPtr llama_ftype_name(int ftype);
    [LibraryImport(Llama)] internal static partial int llama_model_meta_count(LlamaModelHandle model);
    [LibraryImport(Llama)] internal static partial int llama_model_meta_key_by_index(LlamaModelHandle model, int i, byte* buf, nuint bufSize);
    [LibraryImport(Llama)] internal static partial int llama_model_meta_val_str_by_index(LlamaModelHandle model, int i, byte* buf, nuint bufSize);
    [LibraryImport(Llama, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int llama_model_meta_val_str(LlamaModelHandle model, string key, byte* buf, nuint bufSize);
    [LibraryImport(Llama)] internal static partial IntPtr llama_model_chat_template(LlamaModelHandle model, IntPtr name);
    [LibraryImport(Llama, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial uint llama_model_quantize(string inputPath, string outputPath, llama_model_quantize_params* parameters);

    // --- vocabulary --------------------------------------------------------------------------------------
    [LibraryImport(Llama)] internal static partial int llama_vocab_n_tokens(IntPtr vocab);
    [LibraryImport(Llama)] internal static partial int llama_vocab_bos(IntPtr vocab);
    [LibraryImport(Llama)] internal static partial int llama_vocab_eos(IntPtr vocab);
    [LibraryImport(Llama)] [return: MarshalAs(UnmanagedType.U1)] internal static partial bool llama_vocab_is_eog(IntPtr vocab, int token);
    [LibraryImport(Llama)] [return: MarshalAs(UnmanagedType.U1)] internal static partial bool llama_vocab_get_add_bos(IntPtr vocab);
    [LibraryImport(Llama)] [return: MarshalAs(UnmanagedType.U1)] internal static partial bool llama_vocab_get_add_eos(IntPtr vocab);
    [LibraryImport(Llama)] internal static partial int llama_vocab_get_attr(IntPtr vocab, int token);
    [LibraryImport(Llama)]
    internal static partial int llama_tokenize(IntPtr vocab, byte* text, int textLength, int* tokens, int maxTokens,
        [MarshalAs(UnmanagedType.U1)] bool addSpecial, [MarshalAs(UnmanagedType.U1)] bool parseSpecial);
    [LibraryImport(Llama)]
    internal static partial int llama_token_to_piece(IntPtr vocab, int token, byte* buf, int length, int lstrip,
        [MarshalAs(UnmanagedType.U1)] bool special);
    [LibraryImport(Llama)]
    internal static partial int llama_chat_apply_template(IntPtr template, llama_chat_message* chat, nuint messageCount,
        [MarshalAs(UnmanagedType.U1)] bool addAssistant, byte* buf, int length);
    [LibraryImport(Llama)] internal static partial int llama_chat_builtin_templates(IntPtr* output, nuint length);

    // --- context -------------------------------------------------------------------------------------------
    [LibraryImport(Llama)] internal static partial LlamaContextHandle llama_init_from_model(LlamaModelHandle model, llama_context_params parameters);
    [LibraryImport(Llama)] internal static partial void llama_free(IntPtr context);
    [LibraryImport(Llama)] internal static partial uint llama_n_ctx(LlamaContextHandle context);
    [LibraryImport(Llama)] internal static partial uint llama_n_batch(LlamaContextHandle context);
    [LibraryImport(Llama)] internal static partial int llama_n_threads(LlamaContextHandle context);
    [LibraryImport(Llama)] internal static partial int llama_n_threads_batch(LlamaContextHandle context);
    [LibraryImport(Llama)] internal static partial void llama_set_n_threads(LlamaContextHandle context, int threads, int threadsBatch);
    [LibraryImport(Llama)] internal static partial IntPtr llama_get_memory(LlamaContextHandle context);
    [LibraryImport(Llama)] internal static partial void llama_memory_clear(IntPtr memory, [MarshalAs(UnmanagedType.U1)] bool data);
    [LibraryImport(Llama)] internal static partial llama_batch llama_batch_get_one(int* tokens, int count);
    // A batch whose arrays llama.cpp allocates (token, pos, n_seq_id, seq_id for n_seq_max ids, logits), uninitialized;
    // freed with llama_batch_free. Used where per-token output flags are needed (perplexity scores many positions).
    [LibraryImport(Llama)] internal static partial llama_batch llama_batch_init(int tokens, int embd, int seqMax);
    [LibraryImport(Llama)] internal static partial void llama_batch_free(llama_batch batch);
    [LibraryImport(Llama)] internal static partial int llama_decode(LlamaContextHandle context, llama_batch batch);
    [LibraryImport(Llama)] internal static partial void llama_synchronize(LlamaContextHandle context);
    [LibraryImport(Llama)] internal static partial float* llama_get_logits_ith(LlamaContextHandle context, int i);
    [LibraryImport(Llama)]
    internal static partial void llama_set_abort_callback(LlamaContextHandle context, delegate* unmanaged[Cdecl]<IntPtr, byte> callback, IntPtr data);
    [LibraryImport(Llama)] internal static partial llama_perf_context_data llama_perf_context(LlamaContextHandle context);
    [LibraryImport(Llama)] internal static partial void llama_perf_context_reset(LlamaContextHandle context);

    // --- sampling ----------------------------------------------------------------------------------------
    [LibraryImport(Llama)] internal static partial LlamaSamplerHandle llama_sampler_chain_init(llama_sampler_chain_params parameters);
    [LibraryImport(Llama)] internal static partial void llama_sampler_chain_add(LlamaSamplerHandle chain, LlamaSamplerHandle sampler);
    [LibraryImport(Llama)] internal static partial int llama_sampler_chain_n(LlamaSamplerHandle chain);
    [LibraryImport(Llama)] internal static partial LlamaSamplerHandle llama_sampler_init_greedy();
    [LibraryImport(Llama)] internal static partial LlamaSamplerHandle llama_sampler_init_dist(uint seed);
    [LibraryImport(Llama)] internal static partial LlamaSamplerHandle llama_sampler_init_top_k(int k);
    [LibraryImport(Llama)] internal static partial LlamaSamplerHandle llama_sampler_init_top_p(float p, nuint minKeep);
    [LibraryImport(Llama)] internal static partial LlamaSamplerHandle llama_sampler_init_min_p(float p, nuint minKeep);
    [LibraryImport(Llama)] internal static partial LlamaSamplerHandle llama_sampler_init_temp(float t);
    [LibraryImport(Llama)] internal static partial int llama_sampler_sample(LlamaSamplerHandle sampler, LlamaContextHandle context, int index);
    [LibraryImport(Llama)] internal static partial void llama_sampler_reset(LlamaSamplerHandle sampler);
    [LibraryImport(Llama)] internal static partial void llama_sampler_free(IntPtr sampler);
}
