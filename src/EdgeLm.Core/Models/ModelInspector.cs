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
            ModelName = file.GetString("general.name") is { Length: > 0 } name ? name : Path.GetFileNameWithoutExtension(file.Path),
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
