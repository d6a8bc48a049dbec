using EdgeLm.Core.Devices;

namespace EdgeLm.Core.Devices;

/// <summary>Physical core count, the default thread count (as llama-bench and llama.cpp's common code choose).</summary>
internal static class CpuTopology
{
    /// <summary>Physical cores from sysfs topology; the logical count where the topology is not exposed.</summary>
    public static int PhysicalCores(string root = "/") =>
        Math.Min(CpuTopologyProbe.PhysicalCores(new ProbeRoot(root)) ?? Environment.ProcessorCount, Environment.ProcessorCount);
}
