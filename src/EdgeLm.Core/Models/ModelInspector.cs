namespace EdgeLm.Core.Models;

/// <summary>Describes a GGUF model from its validated header alone (Get-EdgeModel, edgelm model info).</summary>
public static class ModelInspector
{
    /// <summary>The model's description, after its header and the hyperparameters llama.cpp asserts on are checked.</summary>
    public static ModelInfo Inspect(string path)
    {
        GgufFile file = GgufReader.Read(path);
        Hyperparameters.Check(file);
        return Describe(file);
    }

    internal static ModelInfo Describe(GgufFile file)
    {
        string architecture = file.GetString("general.architecture") ?? string.Empty;
        string prefix = architecture + ".";
        long parameters = file.Tensors.Sum(t => t.Elements);
        long modelBytes = file.Tensors.Sum(t => t.Bytes);
        long? heads = file.GetIntegerOrMax(prefix + "attention.head_count");
        bool tiedOutput = file.Tensors.Count > 0 && !file.Tensors.Any(t => t.Name == "output.weight");
        long gatheredOnly = tiedOutput ? 0 : file.Tensors.Where(t => t.Name == "token_embd.weight").Sum(t => t.Bytes);

        return new ModelInfo
        {
            ModelName = DisplayName(file.GetString("general.name"), file.Path),
            ModelPath = file.Path,
            Architecture = architecture,
            ParameterCount = parameters,
            Quantization = Quantization(file),
            TensorTypes = TensorTypeMix(file),
            BitsPerWeight = parameters == 0 ? 0 : Math.Round(modelBytes * 8.0 / parameters, 3),
            ContextLength = file.GetInteger(prefix + "context_length"),
            Layers = file.GetInteger(prefix + "block_count"),
            EmbeddingSize = file.GetInteger(prefix + "embedding_length"),
            FeedForwardSize = file.GetIntegerOrMax(prefix + "feed_forward_length"),
            Heads = heads,
            KvHeads = file.GetIntegerOrMax(prefix + "attention.head_count_kv") ?? heads,
            VocabularySize = file.GetInteger(prefix + "vocab_size") ?? file.ArrayCount("tokenizer.ggml.tokens"),
            TiedOutput = tiedOutput,
            ChatTemplate = file.GetString("tokenizer.chat_template"),
            GgufVersion = file.Version,
            TensorCount = file.Tensors.Count,
            ModelBytes = modelBytes,
            DecodeWeightBytes = modelBytes - gatheredOnly,
            FileBytes = file.FileBytes,
            SyntheticWeights = SyntheticWeights.Of(file),
        };
    }

    // MaxNameLength: longer than any real model's name, short enough for a table cell and a CSV column.
    internal const int MaxNameLength = 200;

    /// <summary>
    /// general.name as records carry it, or the file's name when it has none. The name comes from a file that may not
    /// be ours and ends up in every record, table and terminal: control characters (terminal escapes, newlines that
    /// would break a table) and bidirectional overrides become U+FFFD, and a name of pages is cut, marked with "…".
    /// </summary>
    internal static string DisplayName(string? name, string path)
    {
        string raw = string.IsNullOrWhiteSpace(name) ? Path.GetFileNameWithoutExtension(path) : name;
        var shown = new System.Text.StringBuilder(Math.Min(raw.Length, MaxNameLength + 1));
        foreach (char c in raw)
        {
            if (shown.Length == MaxNameLength)
            {
                // Never half a surrogate pair: the cut name must still be valid UTF-16, for JSON and CSV.
                if (char.IsHighSurrogate(shown[^1]))
                {
                    shown.Length--;
                }

                shown.Append('…');
                break;
            }

            bool bidiControl = c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';
            shown.Append(char.IsControl(c) || bidiControl ? '\uFFFD' : c);
        }

        return shown.ToString();
    }

    // llama.cpp's name for general.file_type; without one, the type holding most parameters.
    private static string Quantization(GgufFile file)
    {
        if (file.GetInteger("general.file_type") is long fileType && FileTypes.Name(fileType) is string name)
        {
            return name;
        }

        return file.Tensors
            .Where(t => t.Dimensions.Length > 1)
            .GroupBy(t => t.Type.Name)
            .OrderByDescending(g => g.Sum(t => t.Elements))
            .Select(g => g.Key)
            .FirstOrDefault() ?? string.Empty;
    }

    private static string TensorTypeMix(GgufFile file) => string.Join(",",
        file.Tensors
            .GroupBy(t => t.Type.Name)
            .OrderByDescending(g => g.Sum(t => t.Elements))
            .Select(g => $"{g.Key}:{g.Count()}"));
}
