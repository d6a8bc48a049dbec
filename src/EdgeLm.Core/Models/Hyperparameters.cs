using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeLm.Core.Models;

/// <summary>
/// The hyperparameters llama.cpp asserts on (an assert aborts the whole process, with no error to catch), checked
/// from the header before llama.cpp sees the model: layers against the tensors present, head counts and their
/// divisibility, expert counts, the vocabulary against the embedding, finite epsilons and rope bases. Each refusal
/// names the key, its value and what would be valid.
/// </summary>
internal static class Hyperparameters
{
    /// <summary>llama.cpp's LLAMA_MAX_LAYERS and LLAMA_MAX_EXPERTS.</summary>
    public const int MaxLayers = 512, MaxExperts = 512;

    private static readonly Regex BlockTensor = new(@"^blk\.(\d+)\.", RegexOptions.CultureInvariant);

    public static void Check(GgufFile file)
    {
        string? architecture = file.GetString("general.architecture");
        if (string.IsNullOrEmpty(architecture))
        {
            throw Fail(file, "general.architecture", "missing", "the name of the model's architecture (llama, qwen2, ...)");
        }

        string p = architecture + ".";
        long? layers = Integer(file, p + "block_count");
        if (layers is not null)
        {
            InRange(file, p + "block_count", layers.Value, 1, MaxLayers);
            long[] blocks = file.Tensors.Select(t => BlockTensor.Match(t.Name)).Where(m => m.Success)
                .Select(m => long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : -1)
                .Distinct().ToArray();
            if (blocks.Length > 0 && (blocks.Length != layers || blocks.Min() != 0 || blocks.Max() != layers - 1))
            {
                throw Fail(file, p + "block_count", layers.Value.ToString(CultureInfo.InvariantCulture),
                    $"the number of blocks whose tensors the file holds ({blocks.Length}, blk.{blocks.Min()} to blk.{blocks.Max()})");
            }
        }

        long? embedding = Integer(file, p + "embedding_length");
        if (embedding is not null)
        {
            InRange(file, p + "embedding_length", embedding.Value, 1, 1 << 20);
        }

        long? heads = file.GetIntegerOrMax(p + "attention.head_count");
        if (heads is not null)
        {
            InRange(file, p + "attention.head_count", heads.Value, 1, 1 << 14);
            long? kvHeads = file.GetIntegerOrMax(p + "attention.head_count_kv");
            if (kvHeads is not null && (kvHeads < 1 || kvHeads > heads || heads % kvHeads != 0))
            {
                throw Fail(file, p + "attention.head_count_kv", kvHeads.Value.ToString(CultureInfo.InvariantCulture),
                    $"a divisor of attention.head_count ({heads}) from 1 to {heads}");
            }

            if (embedding is not null && file.GetInteger(p + "attention.key_length") is null && embedding % heads != 0)
            {
                throw Fail(file, p + "attention.head_count", heads.Value.ToString(CultureInfo.InvariantCulture),
                    $"a divisor of embedding_length ({embedding}), or an attention.key_length of its own");
            }
        }

        long? experts = Integer(file, p + "expert_count");
        long? used = Integer(file, p + "expert_used_count");
        if (experts is not null)
        {
            InRange(file, p + "expert_count", experts.Value, 0, MaxExperts);
        }

        if (used is not null)
        {
            InRange(file, p + "expert_used_count", used.Value, 0, experts ?? 0);
            if (used == 0 && experts > 0)
            {
                throw Fail(file, p + "expert_used_count", "0", $"1 to expert_count ({experts})");
            }
        }

        foreach (string key in new[] { "attention.layer_norm_rms_epsilon", "attention.layer_norm_epsilon", "rope.freq_base", "rope.scaling.factor" })
        {
            if (file.GetNumber(p + key) is double value && !(double.IsFinite(value) && value > 0))
            {
                throw Fail(file, p + key, value.ToString(CultureInfo.InvariantCulture), "a finite number above 0");
            }
        }

        CheckVocabulary(file, p);
    }

    private static void CheckVocabulary(GgufFile file, string p)
    {
        if (!file.Metadata.TryGetValue(GgufReader.VocabularyKey, out object? value))
        {
            return;
        }

        if (value is not GgufArray { ElementType: GgufValueType.String } tokens || tokens.Count == 0)
        {
            throw Fail(file, GgufReader.VocabularyKey, Kind(value), "a non-empty array of token strings");
        }

        if (tokens.Distinct is long distinct && distinct != tokens.Count)
        {
            throw Fail(file, GgufReader.VocabularyKey, $"{tokens.Count} tokens, {tokens.Count - distinct} of them duplicates", "distinct tokens");
        }

        GgufTensorInfo? embeddings = file.Tensors.FirstOrDefault(t => t.Name == "token_embd.weight");
        if (embeddings is { Dimensions.Length: 2 } && embeddings.Dimensions[1] != tokens.Count)
        {
            throw Fail(file, GgufReader.VocabularyKey, $"{tokens.Count} tokens",
                $"the {embeddings.Dimensions[1]} rows of token_embd.weight");
        }

        if (Integer(file, p + "vocab_size") is long declared && declared != tokens.Count)
        {
            throw Fail(file, p + "vocab_size", declared.ToString(CultureInfo.InvariantCulture), $"the {tokens.Count} tokens of {GgufReader.VocabularyKey}");
        }

        static string Kind(object value) => value is GgufArray array ? $"an array of {array.Count} {array.ElementType}" : $"a {value.GetType().Name}";
    }

    private static long? Integer(GgufFile file, string key) => file.GetInteger(key) ?? (file.Metadata.TryGetValue(key, out object? v) && v is double ? long.MaxValue : null);

    private static void InRange(GgufFile file, string key, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            throw Fail(file, key, value.ToString(CultureInfo.InvariantCulture), $"{min} to {max}");
        }
    }

    private static EdgeLmInvalidFileException Fail(GgufFile file, string key, string value, string expected) =>
        GgufReader.Invalid(file.Path, "GgufBadHyperparameter",
            $"{Path.GetFileName(file.Path)}: {key} is {value}, but llama.cpp needs {expected}; it would abort loading this model (a corrupt or hand-edited file)");
}
