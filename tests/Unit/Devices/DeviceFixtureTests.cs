using EdgeLm.Core.Host;
using EdgeLm.Core.Devices;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Devices;

/// <summary>
/// Each board's /proc, /sys, /etc and /var/lib snapshot (tests/Fixtures/devices, built from the layouts in
/// shared/research/energy.md and public documentation) must yield the right profile. Board tools (vcgencmd,
/// nvidia-smi) are the recorded fakes in each tree's bin/, and nothing else is on the search path.
/// </summary>
public sealed class DeviceFixtureTests
{
    private const long GiB = 1024L * 1024 * 1024;

    public static DeviceProfile Probe(string fixture, string? catalog = null)
    {
        string root = Path.Combine(Repository.Root, "tests", "Fixtures", "devices", fixture);
        Assert.True(Directory.Exists(root), $"fixture {root} is missing");
        return DeviceProfiles.Read(new DeviceProbeOptions { Root = root, SearchPath = Path.Combine(root, "bin"), BoardCatalogFile = catalog ?? "/nonexistent/boards.yaml" });
    }

    [Fact]
    public void RaspberryPi5()
    {
        DeviceProfile p = Probe("raspberry-pi-5-8gb");

        Assert.Equal("Raspberry Pi 5 Model B Rev 1.0", p.BoardModel);
        Assert.Equal("aarch64", p.Architecture);
        Assert.Equal("4x Cortex-A76", p.CpuModel);
        Assert.Equal(4, p.PhysicalCores);
        Assert.Equal(4, p.LogicalCores);
        Assert.Equal(2400, p.MaxCpuFrequencyMHz);
        Assert.Equal("ondemand", p.CpuGovernor);
        Assert.Equal(8245344L * 1024, p.TotalMemoryBytes);
        Assert.Equal(2048L * 1024, p.LastLevelCacheBytes);
        Assert.Equal("Raspberry Pi 5 8GB", p.CatalogEntry);
        Assert.Equal(80, p.PriceUsd);
        Assert.StartsWith("VideoCore VII", p.GpuName);
        Assert.Null(p.PowerMode);
        Assert.Equal(51.85, p.MaxTemperatureCelsius);
        Assert.Equal("cpu-thermal=51.9", p.ThermalZones);
        // vcgencmd: a soft temperature limit was hit since boot, nothing now.
        Assert.False(p.Throttled);
        Assert.Contains("earlier since boot", p.ThrottleReasons);
        Assert.Equal("6.6.51+rpt-rpi-2712", p.KernelVersion);
        Assert.Equal("Debian GNU/Linux 12 (bookworm)", p.OperatingSystem);
        Assert.Equal("pi5", p.HostName);
        Assert.Null(p.CpuFeatures); // llama.cpp describes the live machine only, never a snapshot
        // The recorded vcgencmd answers get_throttled only, so the PMIC is unreadable and the estimate is what remains.
        Assert.Equal("estimate:pi5-linear", p.PowerSources);
    }

    [Fact]
    public void RaspberryPi4ThrottledNow()
    {
        DeviceProfile p = Probe("raspberry-pi-4-4gb");

        Assert.Equal("Raspberry Pi 4 Model B Rev 1.4", p.BoardModel);
        Assert.Equal("4x Cortex-A72", p.CpuModel);
        Assert.Equal(4, p.PhysicalCores);
        Assert.Equal(3882280L * 1024, p.TotalMemoryBytes);
        Assert.Equal("Raspberry Pi 4 4GB", p.CatalogEntry);
        Assert.Equal(55, p.PriceUsd);
        Assert.True(p.Throttled);
        Assert.Contains("frequency capped", p.ThrottleReasons);
        Assert.Contains("soft temperature limit", p.ThrottleReasons);
        Assert.Contains("cpufreq policy caps", p.ThrottleReasons);
        Assert.Equal(1000, p.CurrentCpuFrequencyMHz);
    }

    [Fact]
    public void JetsonOrinNanoOnJetPack6()
    {
        DeviceProfile p = Probe("jetson-orin-nano-jp6");

        Assert.Equal("NVIDIA Jetson Orin Nano Engineering Reference Developer Kit", p.BoardModel);
        Assert.Equal("6x Cortex-A78AE", p.CpuModel);
        Assert.Equal(6, p.PhysicalCores);
        Assert.Equal(6, p.LogicalCores);
        Assert.Equal(7620368L * 1024, p.TotalMemoryBytes);
        Assert.Equal("15W", p.PowerMode);
        Assert.Equal(0, p.PowerModeId);
        Assert.Equal("36.4.3", p.L4TVersion);
        Assert.Equal("6", p.JetPackVersion);
        Assert.Equal("Jetson Orin Nano Developer Kit 8GB", p.CatalogEntry);
        Assert.StartsWith("1024-core NVIDIA Ampere", p.GpuName);
        Assert.Null(p.GpuMemoryBytes); // integrated: shares system memory
        // cv0-thermal reads the disabled-zone sentinel (-256 °C) and is left out.
        Assert.Equal(49.0, p.MaxTemperatureCelsius);
        Assert.DoesNotContain("cv0-thermal", p.ThermalZones);
        Assert.False(p.Throttled);
    }

    [Fact]
    public void JetsonNanoOnJetPack4In5WMode()
    {
        DeviceProfile p = Probe("jetson-nano-jp4");

        Assert.Equal("NVIDIA Jetson Nano Developer Kit", p.BoardModel);
        Assert.Equal("4x Cortex-A57", p.CpuModel);
        Assert.Equal(4, p.PhysicalCores);
        Assert.Equal(4059712L * 1024, p.TotalMemoryBytes);
        Assert.Equal("5W", p.PowerMode);
        Assert.Equal(1, p.PowerModeId);
        Assert.Equal("32.7.1", p.L4TVersion);
        Assert.Equal("4", p.JetPackVersion);
        Assert.Equal("128-core NVIDIA Maxwell", p.GpuName);
        Assert.Equal(99, p.PriceUsd);
        // PMIC-Die is a constant 100 °C placeholder on the Nano; the hottest real zone is AO-therm.
        Assert.Equal(45.5, p.MaxTemperatureCelsius);
        // The 5W mode caps the CPU below its hardware maximum, and the profile says so.
        Assert.True(p.Throttled);
        Assert.Contains("cpufreq policy caps", p.ThrottleReasons);
    }

    [Fact]
    public void X86Laptop()
    {
        DeviceProfile p = Probe("x86-laptop");

        Assert.Equal("LENOVO ThinkPad X1 Carbon Gen 9", p.BoardModel);
        Assert.Equal("x86_64", p.Architecture);
        Assert.Equal("11th Gen Intel(R) Core(TM) i7-1165G7 @ 2.80GHz", p.CpuModel);
        Assert.Equal(4, p.PhysicalCores);
        Assert.Equal(8, p.LogicalCores);
        Assert.Equal(4700, p.MaxCpuFrequencyMHz);
        Assert.Equal("powersave", p.CpuGovernor);
        Assert.Equal(16103512L * 1024, p.TotalMemoryBytes);
        Assert.Null(p.GpuName);
        Assert.Null(p.PowerMode);
        Assert.Null(p.CatalogEntry);
        Assert.Equal(52, p.MaxTemperatureCelsius);
    }

    [Fact]
    public void X86ServerWithAnNvidiaGpu()
    {
        DeviceProfile p = Probe("x86-server-nvidia");

        Assert.Equal("Supermicro SYS-2029GP-TR", p.BoardModel);
        Assert.Equal("Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz", p.CpuModel);
        Assert.Equal(20, p.PhysicalCores);
        Assert.Equal(40, p.LogicalCores);
        Assert.Equal(394807132L * 1024, p.TotalMemoryBytes);
        Assert.Equal("NVIDIA A100-PCIE-40GB", p.GpuName);
        Assert.Equal(40 * GiB, p.GpuMemoryBytes);
        Assert.Equal("performance", p.CpuGovernor);
    }

    [Fact]
    public void ThisMachinesSnapshot()
    {
        DeviceProfile p = Probe("this-machine");

        Assert.Equal("Intel(R) Xeon(R) Processor", p.CpuModel);
        Assert.Equal(2, p.PhysicalCores);
        Assert.Equal(2, p.LogicalCores);
        Assert.Null(p.BoardModel);
        Assert.Contains("board model unknown", p.Warnings);
        Assert.Contains("cpufreq: not found", p.Warnings);
    }

    [Fact]
    public void AContainerWithoutSysGivesNullsAndWarnings()
    {
        DeviceProfile p = Probe("container-no-sys");

        Assert.Equal(2, p.LogicalCores);
        Assert.Null(p.PhysicalCores);
        Assert.Null(p.MaxCpuFrequencyMHz);
        Assert.Null(p.BoardModel);
        Assert.Null(p.OperatingSystem);
        Assert.Null(p.KernelVersion);
        Assert.Equal(2097152L * 1024, p.TotalMemoryBytes);
        Assert.Contains("/sys/devices/system/cpu/cpu*/topology: not found", p.Warnings);
        Assert.Contains("/etc/os-release: not found", p.Warnings);
    }

    [Fact]
    public void AnEmptyRootIsAllNullsAndWarningsNeverAnError()
    {
        using var empty = new TempFolder();
        DeviceProfile p = DeviceProfiles.Read(new DeviceProbeOptions { Root = empty.Path, SearchPath = empty.Path, BoardCatalogFile = "/nonexistent" });

        Assert.Null(p.LogicalCores);
        Assert.Null(p.TotalMemoryBytes);
        Assert.Contains("/proc/cpuinfo: not found", p.Warnings);
        Assert.Contains("/proc/meminfo: not found", p.Warnings);
    }

    [Fact]
    public void TheLiveMachineMatchesNprocAndMeminfo()
    {
        DeviceProfile p = DeviceProfiles.Read(new DeviceProbeOptions());

        var nproc = ProcessRunner.Run("nproc", Array.Empty<string>());
        Assert.Equal(int.Parse(nproc.Out.Trim()), p.LogicalCores);
        string memTotal = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:"));
        Assert.Equal(long.Parse(memTotal.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024, p.TotalMemoryBytes);
        Assert.Equal(Environment.MachineName, p.HostName);
        Assert.StartsWith("0.5.0", p.LlamaVersion);
        Assert.StartsWith("cpu", p.LlamaBackend);
        Assert.Contains("CPU", p.CpuFeatures);
    }

    [Fact]
    public void AUserCatalogIsConsultedFirstAndABadOneIsAWarning()
    {
        using var folder = new TempFolder();
        string user = folder.File("boards.yaml");
        File.WriteAllText(user, "- { name: My Pi, board: 'Raspberry Pi 5', priceUsd: 95, idleWatts: 3.1 }\n");
        DeviceProfile custom = Probe("raspberry-pi-5-8gb", user);
        Assert.Equal("My Pi", custom.CatalogEntry);
        Assert.Equal(95, custom.PriceUsd);

        File.WriteAllText(user, "- { name: Broken, board: [unclosed\n");
        DeviceProfile fallback = Probe("raspberry-pi-5-8gb", user);
        Assert.Equal("Raspberry Pi 5 8GB", fallback.CatalogEntry);
        Assert.Contains($"{user}: board catalog line", fallback.Warnings);
    }
}
