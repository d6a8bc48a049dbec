using System.Runtime.InteropServices;
using EdgeLm.Core.Native;

namespace EdgeLm.Core.Devices;

/// <summary>What Get-DeviceProfile / edgelm device should look at.</summary>
public sealed class DeviceProbeOptions
{
    /// <summary>The filesystem to read: "/" or a snapshot tree of another board.</summary>
    public string Root { get; set; } = "/";

    /// <summary>Where board tools (nvidia-smi, vcgencmd, nvpmodel) are looked for; null = PATH.</summary>
    public string? SearchPath { get; set; }

    /// <summary>Measure memory bandwidth (a few seconds) and remember it for inference records.</summary>
    public bool MeasureBandwidth { get; set; }

    /// <summary>A board catalog file consulted before the embedded one; null = $EDGELM_BOARD_CATALOG or ~/.config/edgelm/boards.yaml.</summary>
    public string? BoardCatalogFile { get; set; }

    /// <summary>llama.cpp's folder, for its view of the CPU (live system only).</summary>
    public string? NativeDirectory { get; set; }
}

/// <summary>
/// Builds a <see cref="DeviceProfile"/> from /proc, /sys, /etc and /var/lib under a root, board tools on the
/// PATH, llama.cpp's own view and the board catalog. Nothing here throws for a missing or unreadable source:
/// the property stays null and Warnings says why.
/// </summary>
internal static class DeviceProbe
{
    private static readonly string[] PlaceholderDmi = { "To Be Filled By O.E.M.", "System Product Name", "Default string", "Not Specified", "None" };

    /// <summary>
    /// The profile; <paramref name="powerSources"/> names the readable power sources under a root (the energy layer
    /// sits above this one and passes its discovery in: see Host's DeviceProfiles).
    /// </summary>
    internal static DeviceProfile Read(DeviceProbeOptions options, CancellationToken cancellationToken,
        Func<ProbeRoot, ExternalCommand, IReadOnlyList<string>>? powerSources)
    {
        var root = new ProbeRoot(options.Root);
        var commands = new ExternalCommand(options.SearchPath);
        string? cpuText = root.Read("/proc/cpuinfo");
        CpuInfo cpu = CpuInfo.Parse(cpuText ?? string.Empty);
        MemInfo memory = MemInfo.Read(root);
        CpuFrequency frequency = CpuFrequency.Read(root);
        ThermalZones thermal = ThermalZones.Read(root);
        JetsonInfo? jetson = JetsonInfo.Read(root, commands);
        string hostName = root.IsLiveSystem ? Environment.MachineName
            : root.Read("/etc/hostname", expected: false) ?? root.Read("/proc/sys/kernel/hostname") ?? Path.GetFileName(root.Root);

        var profile = new DeviceProfile
        {
            HostName = hostName,
            DeviceName = DeviceIdentity.Name(hostName),
            BoardModel = BoardModel(root, cpu),
            Architecture = root.IsLiveSystem ? LiveArchitecture() : cpu.Architecture,
            CpuModel = cpu.CpuModel,
            PhysicalCores = CpuTopologyProbe.PhysicalCores(root),
            LogicalCores = cpu.LogicalCores > 0 ? cpu.LogicalCores : null,
            MaxCpuFrequencyMHz = frequency.MaxMHz,
            CurrentCpuFrequencyMHz = frequency.CurrentMinMHz,
            CpuGovernor = frequency.Governor,
            LastLevelCacheBytes = CpuTopologyProbe.LastLevelCacheBytes(root),
            TotalMemoryBytes = memory.TotalBytes,
            AvailableMemoryBytes = memory.AvailableBytes,
            SwapBytes = memory.SwapBytes,
            OperatingSystem = OsRelease(root),
            KernelVersion = root.Read("/proc/sys/kernel/osrelease"),
            L4TVersion = jetson?.L4TVersion,
            JetPackVersion = jetson?.JetPackVersion,
            PowerMode = jetson?.PowerMode,
            PowerModeId = jetson?.PowerModeId,
            MaxTemperatureCelsius = thermal.MaxCelsius,
            ThermalZones = thermal.Summary,
        };

        if (cpu.LogicalCores == 0 && cpuText is not null)
        {
            root.Warn("/proc/cpuinfo: no processor entries");
        }

        AddThrottling(profile, root, commands, frequency);
        AddGpu(profile, root, commands);
        AddLlamaView(profile, root, options.NativeDirectory);
        AddCatalog(profile, root, options.BoardCatalogFile);
        AddBandwidth(profile, root, options.MeasureBandwidth, cancellationToken);
        if (powerSources is not null)
        {
            IReadOnlyList<string> readable = powerSources(root, commands);
            profile.PowerSources = readable.Count == 0 ? null : string.Join(";", readable);
        }

        profile.Warnings = root.Warnings.Count == 0 ? null : string.Join("; ", root.Warnings);
        return profile;
    }

    private static string? BoardModel(ProbeRoot root, CpuInfo cpu)
    {
        string? deviceTree = root.Read("/proc/device-tree/model", expected: false) ?? root.Read("/sys/firmware/devicetree/base/model", expected: false);
        if (!string.IsNullOrEmpty(deviceTree))
        {
            return deviceTree;
        }

        string? vendor = Dmi(root, "sys_vendor");
        string? product = Dmi(root, "product_name");
        // Lenovo keeps the marketing name (ThinkPad X1 Carbon Gen 9) in product_version and a part number in product_name.
        if (vendor?.Equals("LENOVO", StringComparison.OrdinalIgnoreCase) == true && Dmi(root, "product_version") is string version)
        {
            product = version;
        }

        if (product is not null)
        {
            return vendor is null || product.StartsWith(vendor, StringComparison.OrdinalIgnoreCase) ? product : $"{vendor} {product}";
        }

        if (cpu.BoardFromCpuInfo is not null)
        {
            return cpu.BoardFromCpuInfo;
        }

        root.Warn("board model unknown: no /proc/device-tree/model and no /sys/class/dmi/id/product_name");
        return null;
    }

    private static string? Dmi(ProbeRoot root, string field)
    {
        string? value = root.Read("/sys/class/dmi/id/" + field, expected: false);
        return string.IsNullOrWhiteSpace(value) || PlaceholderDmi.Contains(value, StringComparer.OrdinalIgnoreCase) ? null : value;
    }

    private static string? OsRelease(ProbeRoot root)
    {
        string? text = root.Read("/etc/os-release") ?? root.Read("/usr/lib/os-release", expected: false);
        string? pretty = text?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
        return pretty?["PRETTY_NAME=".Length..].Trim('"', '\'');
    }

    private static string LiveArchitecture() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "x86_64",
        Architecture.Arm64 => "aarch64",
        Architecture.Arm => "armv7l",
        Architecture.X86 => "i686",
        var other => other.ToString().ToLowerInvariant(),
    };

    private static void AddThrottling(DeviceProfile profile, ProbeRoot root, ExternalCommand commands, CpuFrequency frequency)
    {
        var reasons = new List<string>();
        bool? throttled = null;
        if (Throttling.Parse(commands.Run("vcgencmd", new[] { "get_throttled" }, root)) is Throttling flags)
        {
            throttled = flags.ThrottledNow || flags.UnderVoltageNow;
            if (flags.Describe() is { Length: > 0 } said)
            {
                reasons.Add("vcgencmd: " + said);
            }
        }

        if (frequency.Capped is bool capped)
        {
            throttled = (throttled ?? false) || capped;
            if (capped)
            {
                reasons.Add("a cpufreq policy caps the CPU below its hardware maximum");
            }
        }

        profile.Throttled = throttled;
        profile.ThrottleReasons = reasons.Count == 0 ? null : string.Join("; ", reasons);
    }

    private static void AddGpu(DeviceProfile profile, ProbeRoot root, ExternalCommand commands)
    {
        if (NvidiaGpu.Read(root, commands) is NvidiaGpu gpu)
        {
            profile.GpuName = gpu.Name;
            profile.GpuMemoryBytes = gpu.MemoryBytes;
        }
    }

    private static void AddLlamaView(DeviceProfile profile, ProbeRoot root, string? nativeDirectory)
    {
        // llama.cpp describes the machine it runs on, so only for the live system, never for a snapshot tree.
        if (!root.IsLiveSystem)
        {
            return;
        }

        try
        {
            LlamaRuntimeInfo runtime = LlamaRuntime.Initialize(nativeDirectory);
            profile.CpuFeatures = runtime.SystemInfo;
            profile.LlamaBackend = runtime.Backend;
            profile.LlamaVersion = runtime.LlamaVersion;
        }
        catch (EdgeLmException e)
        {
            root.Warn("llama.cpp's view unavailable: " + e.Message);
        }
    }

    private static void AddCatalog(DeviceProfile profile, ProbeRoot root, string? catalogFile)
    {
        BoardEntry? entry = BoardCatalog.Find(profile.BoardModel, profile.CpuModel, profile.TotalMemoryBytes, root, catalogFile);
        if (entry is null)
        {
            return;
        }

        profile.CatalogEntry = entry.Name;
        profile.PriceUsd = entry.PriceUsd;
        profile.TypicalIdleWatts = entry.IdleWatts;
        profile.TdpWatts = entry.TdpWatts;
        profile.BoardNotes = entry.Notes;
        if (profile.GpuName is null && entry.Gpu is not null)
        {
            profile.GpuName = entry.Gpu;
            profile.GpuMemoryBytes = entry.GpuSharesMemory ? null : profile.GpuMemoryBytes;
        }
    }

    private static void AddBandwidth(DeviceProfile profile, ProbeRoot root, bool measure, CancellationToken cancellationToken)
    {
        string key = BandwidthCache.Key(profile.HostName, profile.CpuModel, profile.TotalMemoryBytes);
        if (measure)
        {
            if (!root.IsLiveSystem)
            {
                root.Warn("memory bandwidth is measured on the live system only, not under --root");
                return;
            }

            double bandwidth = MemoryBandwidth.Measure(profile.LastLevelCacheBytes ?? 32L << 20, profile.AvailableMemoryBytes, cancellationToken: cancellationToken);
            BandwidthCache.Store(key, bandwidth);
            profile.MemoryBandwidthBytesPerSecond = bandwidth;
        }
        else if (root.IsLiveSystem)
        {
            profile.MemoryBandwidthBytesPerSecond = BandwidthCache.Load(key);
        }
    }
}
