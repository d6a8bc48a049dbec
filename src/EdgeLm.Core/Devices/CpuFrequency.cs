namespace EdgeLm.Core.Devices;

/// <summary>
/// cpufreq across all CPUs (kHz in sysfs, MHz here): the highest hardware maximum, the lowest current
/// frequency, the governor, and whether a policy caps any CPU below its hardware maximum (what thermal
/// throttling does on ARM boards, through the cpufreq cooling device).
/// </summary>
internal sealed record CpuFrequency(double? MaxMHz, double? CurrentMinMHz, string? Governor, bool? Capped)
{
    public static CpuFrequency Read(ProbeRoot root)
    {
        const string cpus = "/sys/devices/system/cpu";
        double? max = null, current = null;
        string? governor = null;
        bool? capped = null;
        bool any = false;
        foreach (string cpu in root.Folders(cpus, "cpu").Where(IsCpu))
        {
            string folder = $"{cpus}/{cpu}/cpufreq";
            if (!root.Exists(folder))
            {
                continue;
            }

            any = true;
            long? hardwareMax = root.ReadLong($"{folder}/cpuinfo_max_freq", expected: false);
            long? policyMax = root.ReadLong($"{folder}/scaling_max_freq", expected: false);
            long? now = root.ReadLong($"{folder}/scaling_cur_freq", expected: false) ?? root.ReadLong($"{folder}/cpuinfo_cur_freq", expected: false);
            if (hardwareMax is long hw)
            {
                max = Math.Max(max ?? 0, hw / 1000.0);
                if (policyMax is long policy)
                {
                    capped = (capped ?? false) || policy < hw;
                }
            }

            if (now is long n)
            {
                current = Math.Min(current ?? double.MaxValue, n / 1000.0);
            }

            governor ??= root.Read($"{folder}/scaling_governor", expected: false);
        }

        if (!any)
        {
            root.Warn($"{cpus}/cpu*/cpufreq: not found (no frequency scaling exposed, as in most VMs and containers)");
        }

        return new CpuFrequency(max, current, governor, capped);
    }

    internal static bool IsCpu(string name) => name.Length > 3 && name[3..].All(char.IsAsciiDigit);
}
