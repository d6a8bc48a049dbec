using System.Globalization;

namespace EdgeLm.Core.Devices;

/// <summary>
/// Discrete NVIDIA GPUs from `nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits`
/// ("NVIDIA A100-SXM4-40GB, 40960" per GPU, MiB). Several GPUs are joined as "2x NAME" with their memory summed.
/// </summary>
internal sealed record NvidiaGpu(string Name, long MemoryBytes)
{
    public static NvidiaGpu? Read(ProbeRoot root, ExternalCommand commands)
    {
        string? output = commands.Run("nvidia-smi", new[] { "--query-gpu=name,memory.total", "--format=csv,noheader,nounits" }, root);
        return output is null ? null : Parse(output);
    }

    public static NvidiaGpu? Parse(string output)
    {
        var gpus = new List<(string Name, long Bytes)>();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int comma = line.LastIndexOf(',');
            if (comma > 0 && double.TryParse(line[(comma + 1)..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double mib))
            {
                gpus.Add((line[..comma].Trim(), (long)(mib * 1024 * 1024)));
            }
        }

        if (gpus.Count == 0)
        {
            return null;
        }

        string name = gpus.Select(g => g.Name).Distinct().Count() == 1 && gpus.Count > 1 ? $"{gpus.Count}x {gpus[0].Name}" : string.Join(" + ", gpus.Select(g => g.Name));
        return new NvidiaGpu(name, gpus.Sum(g => g.Bytes));
    }
}
