namespace EdgeLm.Core.Inference;

/// <summary>Physical core count, the default thread count (as llama-bench and llama.cpp's common code choose).</summary>
public static class CpuTopology
{
    public static int PhysicalCores(string root = "/")
    {
        try
        {
            string cpus = Path.Combine(root, "sys/devices/system/cpu");
            var cores = new HashSet<string>(StringComparer.Ordinal);
            foreach (string cpu in Directory.EnumerateDirectories(cpus, "cpu*"))
            {
                string name = Path.GetFileName(cpu);
                if (name.Length <= 3 || !name[3..].All(char.IsDigit))
                {
                    continue;
                }

                string topology = Path.Combine(cpu, "topology");
                string package = ReadTrimmed(Path.Combine(topology, "physical_package_id")) ?? "0";
                string? core = ReadTrimmed(Path.Combine(topology, "core_id"));
                if (core is not null)
                {
                    cores.Add(package + ":" + core);
                }
            }

            return cores.Count > 0 ? Math.Min(cores.Count, Environment.ProcessorCount) : Environment.ProcessorCount;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Environment.ProcessorCount;
        }
    }

    private static string? ReadTrimmed(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : null;
}
