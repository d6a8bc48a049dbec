using System.Globalization;

namespace EdgeLm.Core.Devices;

/// <summary>
/// What /proc/cpuinfo says: logical processors, the processor model and the architecture. x86 names its model;
/// ARM gives implementer and part numbers, which <see cref="ArmCores"/> turns into core names (Cortex-A76).
/// </summary>
internal sealed record CpuInfo(int LogicalCores, string? CpuModel, string? Architecture, string? BoardFromCpuInfo)
{
    public static CpuInfo Parse(string text)
    {
        var processors = new List<Dictionary<string, string>>();
        var global = new Dictionary<string, string>(StringComparer.Ordinal);
        Dictionary<string, string>? current = null;
        foreach (string raw in text.Split('\n'))
        {
            int colon = raw.IndexOf(':');
            if (colon < 0)
            {
                continue;
            }

            string key = raw[..colon].Trim();
            string value = raw[(colon + 1)..].Trim();
            if (key.Equals("processor", StringComparison.OrdinalIgnoreCase) && int.TryParse(value, out _))
            {
                current = new Dictionary<string, string>(StringComparer.Ordinal);
                processors.Add(current);
                continue;
            }

            (current ?? global)[key] = value;
            if (current is not null && !global.ContainsKey(key))
            {
                global[key] = value;
            }
        }

        string? model = null;
        string? architecture = null;
        if (global.TryGetValue("model name", out string? x86Model) && global.ContainsKey("vendor_id"))
        {
            model = x86Model;
            architecture = global.TryGetValue("flags", out string? flags) && flags.Split(' ').Contains("lm") ? "x86_64" : "i686";
        }
        else if (global.ContainsKey("CPU implementer"))
        {
            // Count each core type; big.LITTLE boards list every cluster.
            var counts = new List<(string Name, int Count)>();
            foreach (Dictionary<string, string> cpu in processors)
            {
                string name = ArmCores.Name(Get(cpu, "CPU implementer"), Get(cpu, "CPU part"));
                int at = counts.FindIndex(c => c.Name == name);
                if (at < 0)
                {
                    counts.Add((name, 1));
                }
                else
                {
                    counts[at] = (name, counts[at].Count + 1);
                }
            }

            model = string.Join(" + ", counts.Select(c => $"{c.Count}x {c.Name}"));
            architecture = Get(global, "CPU architecture") switch
            {
                "8" or "AArch64" => "aarch64",
                "7" => "armv7l",
                var other => other is null ? null : "arm" + other,
            };
        }
        else if (global.TryGetValue("model name", out string? other))
        {
            model = other;
        }

        string? board = global.TryGetValue("Model", out string? piModel) ? piModel : null;
        return new CpuInfo(processors.Count, model, architecture, board);
    }

    private static string? Get(Dictionary<string, string> values, string key) => values.TryGetValue(key, out string? v) ? v : null;
}

/// <summary>ARM's MIDR implementer and part numbers, as Linux's cputype.h and lscpu name them.</summary>
internal static class ArmCores
{
    private static readonly Dictionary<(int Implementer, int Part), string> Names = new()
    {
        [(0x41, 0xd03)] = "Cortex-A53",
        [(0x41, 0xd04)] = "Cortex-A35",
        [(0x41, 0xd05)] = "Cortex-A55",
        [(0x41, 0xd07)] = "Cortex-A57",
        [(0x41, 0xd08)] = "Cortex-A72",
        [(0x41, 0xd09)] = "Cortex-A73",
        [(0x41, 0xd0a)] = "Cortex-A75",
        [(0x41, 0xd0b)] = "Cortex-A76",
        [(0x41, 0xd0c)] = "Neoverse-N1",
        [(0x41, 0xd0d)] = "Cortex-A77",
        [(0x41, 0xd0e)] = "Cortex-A76AE",
        [(0x41, 0xd40)] = "Neoverse-V1",
        [(0x41, 0xd41)] = "Cortex-A78",
        [(0x41, 0xd42)] = "Cortex-A78AE",
        [(0x41, 0xd44)] = "Cortex-X1",
        [(0x41, 0xd46)] = "Cortex-A510",
        [(0x41, 0xd47)] = "Cortex-A710",
        [(0x41, 0xd48)] = "Cortex-X2",
        [(0x41, 0xd49)] = "Neoverse-N2",
        [(0x41, 0xd4b)] = "Cortex-A78C",
        [(0x41, 0xd4d)] = "Cortex-A715",
        [(0x41, 0xd4e)] = "Cortex-X3",
        [(0x41, 0xd4f)] = "Neoverse-V2",
        [(0x41, 0xd80)] = "Cortex-A520",
        [(0x41, 0xd81)] = "Cortex-A720",
        [(0x41, 0xd82)] = "Cortex-X4",
        [(0x41, 0xd87)] = "Cortex-A725",
        [(0x41, 0xc07)] = "Cortex-A7",
        [(0x41, 0xc0f)] = "Cortex-A15",
        [(0x41, 0xb76)] = "ARM1176",
        [(0x4e, 0x004)] = "Carmel",
        [(0x51, 0x805)] = "Kryo-4xx-Silver",
        [(0x61, 0x022)] = "Apple-M1-Icestorm",
        [(0x61, 0x023)] = "Apple-M1-Firestorm",
    };

    /// <summary>The core's name, or "ARM 0xIMPL/0xPART" for one not in the table.</summary>
    public static string Name(string? implementer, string? part)
    {
        if (TryHex(implementer, out int i) && TryHex(part, out int p))
        {
            return Names.TryGetValue((i, p), out string? name) ? name : $"ARM 0x{i:x2}/0x{p:x3}";
        }

        return "ARM (unknown core)";
    }

    private static bool TryHex(string? text, out int value)
    {
        value = 0;
        return text is not null && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) &&
               int.TryParse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value);
    }
}
