namespace EdgeLm.Core.Devices;

/// <summary>Physical cores from /sys/devices/system/cpu/cpuN/topology (distinct package and core ids).</summary>
internal static class CpuTopologyProbe
{
    /// <summary>The count, or null where no CPU exposes its topology.</summary>
    public static int? PhysicalCores(ProbeRoot root)
    {
        const string cpus = "/sys/devices/system/cpu";
        var cores = new HashSet<string>(StringComparer.Ordinal);
        foreach (string cpu in root.Folders(cpus, "cpu").Where(CpuFrequency.IsCpu))
        {
            string topology = $"{cpus}/{cpu}/topology";
            string? core = root.Read($"{topology}/core_id", expected: false);
            if (core is not null)
            {
                cores.Add((root.Read($"{topology}/physical_package_id", expected: false) ?? "0") + ":" + core);
            }
        }

        if (cores.Count == 0)
        {
            root.Warn($"{cpus}/cpu*/topology: not found; physical cores unknown");
            return null;
        }

        return cores.Count;
    }

    /// <summary>The largest cache of cpu0 (the last level), in bytes, from cache/index*/size ("2048K").</summary>
    public static long? LastLevelCacheBytes(ProbeRoot root)
    {
        const string caches = "/sys/devices/system/cpu/cpu0/cache";
        long? largest = null;
        foreach (string index in root.Folders(caches, "index"))
        {
            string? size = root.Read($"{caches}/{index}/size", expected: false);
            if (size is null || size.Length < 2)
            {
                continue;
            }

            long multiplier = char.ToUpperInvariant(size[^1]) switch { 'K' => 1024, 'M' => 1024 * 1024, 'G' => 1024L * 1024 * 1024, _ => 1 };
            string digits = char.IsAsciiDigit(size[^1]) ? size : size[..^1];
            if (long.TryParse(digits, out long value))
            {
                largest = Math.Max(largest ?? 0, value * multiplier);
            }
        }

        return largest;
    }
}
