using EdgeLm.Core.Devices;
using EdgeLm.Core.Settings;

namespace EdgeLm.Core.Host;

/// <summary>
/// Checks settings against the model and the machine before a worker starts: a context the model was not trained
/// for, a KV cache larger than the memory available, or threads far beyond the cores would make llama.cpp fail
/// slowly (or spin, or be killed); each is refused at once with the numbers and the fix.
/// </summary>
internal static class ModelLimits
{
    /// <summary>More threads than this many per physical core is refused (more than four is warned about).</summary>
    public const int MaxThreadsPerCore = 16;

    public static void Check(RunSettings settings, ModelInfo info, int physicalCores, long? availableBytes)
    {
        int threads = settings.ThreadCount;
        if (threads > MaxThreadsPerCore * physicalCores)
        {
            throw new EdgeLmArgumentException("TooManyThreads",
                $"{threads} threads is more than {MaxThreadsPerCore} per core on this machine's {physicalCores} cores; use at most {MaxThreadsPerCore * physicalCores} (physical cores is the usual best)");
        }

        long trained = info.ContextLength ?? 0;
        long needed = (long)settings.DepthTokens + (settings.PromptTokens ?? 0) + settings.MaxTokens;
        long context = Math.Max(settings.ContextSize ?? 0, needed);
        if (trained > 0 && context > trained)
        {
            string what = settings.ContextSize > needed ? $"a context of {settings.ContextSize}" : $"{needed} tokens (depth, prompt and generation)";
            throw new EdgeLmArgumentException("ContextBeyondTraining",
                $"{what} is more than {info.ModelName} was trained for ({trained} tokens); use at most {trained}");
        }

        if (KvCacheBytes(info, context) is long kv && availableBytes is long available && kv > available)
        {
            throw new EdgeLmArgumentException("ContextBeyondMemory",
                $"a context of {context} tokens needs about {InputFiles.Size(kv)} of KV cache for {info.ModelName}, more than the {InputFiles.Size(available)} of memory available; use a smaller context");
        }
    }

    /// <summary>F16 keys and values for every layer and position (llama.cpp's default cache type), or null when the model does not say.</summary>
    internal static long? KvCacheBytes(ModelInfo info, long context)
    {
        if (info.Layers is not long layers || info.EmbeddingSize is not long embedding || info.Heads is not long heads || heads <= 0)
        {
            return null;
        }

        long kvHeads = info.KvHeads ?? heads;
        double bytes = 2.0 * 2 * layers * context * (embedding / (double)heads) * kvHeads;
        return bytes >= long.MaxValue ? long.MaxValue : (long)bytes;
    }
}
