using System.Globalization;

namespace EdgeLm.Core.Devices;

/// <summary>/proc/meminfo's totals (kB there, bytes here).</summary>
internal sealed record MemInfo(long? TotalBytes, long? AvailableBytes, long? SwapBytes)
{
    public static MemInfo Read(ProbeRoot root)
    {
        string? text = root.Read("/proc/meminfo");
        if (text is null)
        {
            return new MemInfo(null, null, null);
        }

        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            string[] parts = line.Split(new[] { ' ', '\t', ':' }, StringSplitOptions.RemoveEmptyEntries);
            // Negative or overflowing figures (a corrupt or hostile tree) are no figures at all.
            if (parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long kb) && kb <= long.MaxValue / 1024)
            {
                values[parts[0]] = kb * 1024;
            }
        }

        return new MemInfo(Get(values, "MemTotal"), Get(values, "MemAvailable"), Get(values, "SwapTotal"));
    }

    private static long? Get(Dictionary<string, long> values, string key) => values.TryGetValue(key, out long v) ? v : null;
}
