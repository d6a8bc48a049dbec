using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeLm.Core.Engine;

/// <summary>
/// What a llama.cpp context allocates beside the weights. llama.cpp's C API has no call for these, but it logs
/// every buffer it allocates when it builds a context ("CPU KV buffer size = 11.25 MiB", "CUDA0 compute buffer
/// size = ..."); we sum those lines over all devices. Precision is llama.cpp's: 0.01 MiB.
/// </summary>
internal readonly record struct ContextMemory(long KvCacheBytes, long ComputeBufferBytes)
{
    // KV for attention layers, RS (recurrent state) for Mamba-style layers: both are the model's cache.
    private static readonly Regex Cache = new(@"\b(?:KV|RS) buffer size\s*=\s*([0-9.]+) MiB", RegexOptions.CultureInvariant);
    // sched_reserve's line; "~llama_context: ... compute buffer size is" at teardown is a different sentence.
    private static readonly Regex Compute = new(@"\bcompute buffer size\s*=\s*([0-9.]+) MiB", RegexOptions.CultureInvariant);

    public static ContextMemory FromLog(IEnumerable<string> lines)
    {
        double cache = 0, compute = 0;
        foreach (string line in lines)
        {
            cache += Sum(Cache, line);
            compute += Sum(Compute, line);
        }

        return new ContextMemory(ToBytes(cache), ToBytes(compute));
    }

    private static double Sum(Regex pattern, string line)
    {
        Match m = pattern.Match(line);
        return m.Success ? double.Parse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture) : 0;
    }

    private static long ToBytes(double mebibytes) => (long)Math.Round(mebibytes * 1024 * 1024);
}
