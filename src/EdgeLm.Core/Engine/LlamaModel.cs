using System.Runtime.InteropServices;
using System.Text;
using EdgeLm.Core.Native;

namespace EdgeLm.Core.Engine;

/// <summary>A model loaded by llama.cpp, with its vocabulary and what llama.cpp reports about it.</summary>
internal sealed unsafe class LlamaModel : IDisposable
{
    private readonly LlamaModelHandle _handle;
    private readonly IntPtr _vocab;
    private bool _disposed;

    private LlamaModel(LlamaModelHandle handle, string path)
    {
        _handle = handle;
        Path = path;
        _vocab = NativeMethods.llama_model_get_vocab(handle);
    }

    public string Path { get; }

    /// <summary>The llama_model*, for the context that uses it.</summary>
    internal LlamaModelHandle Handle => _handle;

    /// <summary>The vocabulary belongs to the model: not to be used once the model is disposed.</summary>
    private IntPtr Vocab
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _vocab;
        }
    }

    /// <summary>
    /// Loads weights (memory-mapped) with <paramref name="gpuLayers"/> layers offloaded (-1 = all), or with
    /// <paramref name="vocabularyOnly"/> just the metadata and tokenizer: quick, for checks before the real load.
    /// </summary>
    public static LlamaModel Load(string path, int gpuLayers = 0, string? nativeDirectory = null, bool vocabularyOnly = false)
    {
        LlamaRuntime.Initialize(nativeDirectory);
        llama_model_params parameters = NativeMethods.llama_model_default_params();
        parameters.n_gpu_layers = gpuLayers;
        parameters.vocab_only = vocabularyOnly ? (byte)1 : (byte)0;
        LlamaModelHandle model = NativeMethods.llama_model_load_from_file(path, parameters);
        if (model.IsInvalid)
        {
            model.Dispose();
            string said = LlamaLog.SaidAboutFailure();
            throw new EdgeLmInvalidFileException(path, "ModelLoadFailed",
                $"llama.cpp could not load {path}. llama.cpp said: {said}");
        }

        return new LlamaModel(model, path);
    }

    public string Description => ReadString((buf, size) => NativeMethods.llama_model_desc(_handle, buf, size));
    public long SizeBytes => (long)NativeMethods.llama_model_size(_handle);
    public long ParameterCount => (long)NativeMethods.llama_model_n_params(_handle);
    public int TrainedContext => NativeMethods.llama_model_n_ctx_train(_handle);
    public int Layers => NativeMethods.llama_model_n_layer(_handle);
    public int EmbeddingSize => NativeMethods.llama_model_n_embd(_handle);
    public int Heads => NativeMethods.llama_model_n_head(_handle);
    public int KvHeads => NativeMethods.llama_model_n_head_kv(_handle);
    public int VocabularySize => NativeMethods.llama_vocab_n_tokens(Vocab);
    public string FileType => Marshal.PtrToStringUTF8(NativeMethods.llama_ftype_name(NativeMethods.llama_model_ftype(_handle))) ?? string.Empty;
    public string? ChatTemplate => Marshal.PtrToStringUTF8(NativeMethods.llama_model_chat_template(_handle, IntPtr.Zero));

    /// <summary>Every metadata key and value as llama.cpp renders them (arrays summarised by llama.cpp).</summary>
    public IReadOnlyDictionary<string, string> Metadata
    {
        get
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            int count = NativeMethods.llama_model_meta_count(_handle);
            for (int i = 0; i < count; i++)
            {
                int index = i;
                string key = ReadString((buf, size) => NativeMethods.llama_model_meta_key_by_index(_handle, index, buf, size));
                result[key] = ReadString((buf, size) => NativeMethods.llama_model_meta_val_str_by_index(_handle, index, buf, size));
            }

            return result;
        }
    }

    public bool IsEndOfGeneration(int token) => NativeMethods.llama_vocab_is_eog(Vocab, token);

    /// <summary>Whether tokenizing with special tokens starts with BOS (tokenizer.ggml.add_bos_token or the vocabulary's default).</summary>
    public bool AddsBos => NativeMethods.llama_vocab_get_add_bos(Vocab);

    /// <summary>Whether tokenizing with special tokens ends with EOS.</summary>
    public bool AddsEos => NativeMethods.llama_vocab_get_add_eos(Vocab);

    /// <summary>The BOS token id (-1 when the vocabulary has none).</summary>
    public int Bos => NativeMethods.llama_vocab_bos(Vocab);

    /// <summary>
    /// A prompt of <paramref name="count"/> seeded random token ids, as llama-bench builds one: BOS first when
    /// the model adds it, then ordinary and byte tokens only (no control or end tokens), so the text plays no part.
    /// </summary>
    public int[] RandomPromptTokens(int count, uint seed)
    {
        const int Ordinary = (1 << 2) | (1 << 5); // LLAMA_TOKEN_ATTR_NORMAL | LLAMA_TOKEN_ATTR_BYTE
        int vocabulary = VocabularySize;
        var candidates = new List<int>(vocabulary);
        for (int id = 0; id < vocabulary; id++)
        {
            if ((NativeMethods.llama_vocab_get_attr(Vocab, id) & Ordinary) != 0 && !IsEndOfGeneration(id))
            {
                candidates.Add(id);
            }
        }

        if (candidates.Count == 0)
        {
            throw new EdgeLmInvalidFileException(Path, "NoOrdinaryTokens", $"{Path} has no ordinary tokens to build a random prompt from; use a text prompt");
        }

        var random = new Random(unchecked((int)seed));
        var tokens = new int[count];
        int start = 0;
        if (NativeMethods.llama_vocab_get_add_bos(Vocab) && count > 0)
        {
            tokens[0] = NativeMethods.llama_vocab_bos(Vocab);
            start = 1;
        }

        for (int i = start; i < count; i++)
        {
            tokens[i] = candidates[random.Next(candidates.Count)];
        }

        return tokens;
    }

    /// <summary>Tokens of <paramref name="text"/>, with BOS when the model asks for it.</summary>
    public int[] Tokenize(string text, bool addSpecial = true, bool parseSpecial = false)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        int capacity = utf8.Length + 8;
        while (true)
        {
            var tokens = new int[capacity];
            int count;
            fixed (byte* t = utf8)
            fixed (int* o = tokens)
            {
                count = NativeMethods.llama_tokenize(Vocab, t, utf8.Length, o, capacity, addSpecial, parseSpecial);
            }

            if (count >= 0)
            {
                Array.Resize(ref tokens, count);
                return tokens;
            }

            if (count == int.MinValue)
            {
                throw new EdgeLmException("TokenizeFailed", $"llama.cpp could not tokenize a prompt of {utf8.Length} bytes (too long for 32-bit token counts)");
            }

            capacity = -count;
        }
    }

    /// <summary>The UTF-8 bytes of one token (pieces of one character may span tokens, so decode at the end).</summary>
    public byte[] TokenToPiece(int token)
    {
        Span<byte> small = stackalloc byte[64];
        int n;
        fixed (byte* b = small)
        {
            n = NativeMethods.llama_token_to_piece(Vocab, token, b, small.Length, 0, false);
        }

        if (n >= 0)
        {
            return small[..n].ToArray();
        }

        var large = new byte[-n];
        fixed (byte* b = large)
        {
            n = NativeMethods.llama_token_to_piece(Vocab, token, b, large.Length, 0, false);
        }

        return large[..Math.Max(n, 0)];
    }

    /// <summary>Frees the model, or (while a context still uses it) lets that context's handle free it last.</summary>
    public void Dispose()
    {
        _disposed = true;
        _handle.Dispose();
    }

    private delegate int Reader(byte* buffer, nuint size);

    private static string ReadString(Reader read)
    {
        byte[] buffer = new byte[256];
        while (true)
        {
            int n;
            fixed (byte* b = buffer)
            {
                n = read(b, (nuint)buffer.Length);
            }

            if (n < 0)
            {
                return string.Empty;
            }

            if (n < buffer.Length)
            {
                return Encoding.UTF8.GetString(buffer, 0, n);
            }

            buffer = new byte[n + 1];
        }
    }
}
