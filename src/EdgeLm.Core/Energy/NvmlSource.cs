using System.Runtime.InteropServices;

namespace EdgeLm.Core.Energy;

/// <summary>
/// NVIDIA GPUs through NVML (libnvidia-ml.so.1, loaded at run time; no root needed): the total-energy counter
/// (millijoules since the driver loaded) on Volta and newer, board power otherwise (on Ampere and newer a one
/// second average). Scope gpu-board: the GPU and its memory, not the host.
/// </summary>
internal sealed unsafe class NvmlSource : IEnergySource
{
    private const int Volta = 5;
    private static readonly object Gate = new();
    private static IntPtr _library;
    private static bool _initialized;
    private readonly IntPtr _device;

    private NvmlSource(IntPtr device, uint index, bool counter)
    {
        _device = device;
        IsCounter = counter;
        Name = $"nvml:gpu{index}";
    }

    public string Name { get; }
    public string Kind => "nvml";
    public string Scope => "gpu-board";
    public string Path => "libnvidia-ml.so.1";
    public bool IsCounter { get; }
    public double? CounterRangeJoules => null;
    public TimeSpan MinimumInterval => TimeSpan.FromMilliseconds(100);

    /// <summary>One source per GPU, or none with the reason (no library, no GPU, driver not loaded).</summary>
    public static IReadOnlyList<NvmlSource> Discover(out string? reason)
    {
        reason = null;
        lock (Gate)
        {
            if (!_initialized)
            {
                if (!NativeLibrary.TryLoad("libnvidia-ml.so.1", out _library))
                {
                    reason = "libnvidia-ml.so.1 not found (no NVIDIA driver)";
                    return Array.Empty<NvmlSource>();
                }

                int init = ((delegate* unmanaged<int>)Export("nvmlInit_v2"))();
                if (init != 0)
                {
                    reason = $"nvmlInit_v2 returned {init}";
                    return Array.Empty<NvmlSource>();
                }

                _initialized = true;
            }
        }

        uint count;
        if (((delegate* unmanaged<uint*, int>)Export("nvmlDeviceGetCount_v2"))(&count) != 0)
        {
            reason = "nvmlDeviceGetCount_v2 failed";
            return Array.Empty<NvmlSource>();
        }

        var sources = new List<NvmlSource>();
        for (uint i = 0; i < count; i++)
        {
            IntPtr device;
            if (((delegate* unmanaged<uint, IntPtr*, int>)Export("nvmlDeviceGetHandleByIndex_v2"))(i, &device) != 0)
            {
                continue;
            }

            uint architecture = 0;
            ulong energy;
            bool counter = NativeLibrary.TryGetExport(_library, "nvmlDeviceGetArchitecture", out IntPtr arch) &&
                           ((delegate* unmanaged<IntPtr, uint*, int>)arch)(device, &architecture) == 0 && architecture >= Volta &&
                           ((delegate* unmanaged<IntPtr, ulong*, int>)Export("nvmlDeviceGetTotalEnergyConsumption"))(device, &energy) == 0;
            sources.Add(new NvmlSource(device, i, counter));
        }

        return sources;
    }

    public double Read()
    {
        if (IsCounter)
        {
            ulong millijoules;
            int result = ((delegate* unmanaged<IntPtr, ulong*, int>)Export("nvmlDeviceGetTotalEnergyConsumption"))(_device, &millijoules);
            return result == 0 ? millijoules / 1000.0 : throw new EnergyReadException($"{Name}: nvmlDeviceGetTotalEnergyConsumption returned {result}");
        }

        uint milliwatts;
        int status = ((delegate* unmanaged<IntPtr, uint*, int>)Export("nvmlDeviceGetPowerUsage"))(_device, &milliwatts);
        return status == 0 ? milliwatts / 1000.0 : throw new EnergyReadException($"{Name}: nvmlDeviceGetPowerUsage returned {status}");
    }

    public void Dispose()
    {
        // NVML stays initialised for the process: re-initialising would reset nothing we need and costs time.
    }

    private static IntPtr Export(string name) =>
        NativeLibrary.TryGetExport(_library, name, out IntPtr address) ? address : throw new EnergyReadException($"libnvidia-ml.so.1 lacks {name}");
}
