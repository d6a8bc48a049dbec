using EdgeLm.Core.Devices;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Devices;

/// <summary>The parsers and measurements a device profile is built from.</summary>
public sealed class DevicePartsTests
{
    [Theory]
    [InlineData("0x41", "0xd0b", "Cortex-A76")]
    [InlineData("0x41", "0xd08", "Cortex-A72")]
    [InlineData("0x41", "0xd42", "Cortex-A78AE")]
    [InlineData("0x41", "0xd07", "Cortex-A57")]
    [InlineData("0x4e", "0x004", "Carmel")]
    [InlineData("0x41", "0xfff", "ARM 0x41/0xfff")]
    public void ArmCoresAreNamedFromImplementerAndPart(string implementer, string part, string name) =>
        Assert.Equal(name, ArmCores.Name(implementer, part));

    [Fact]
    public void BigLittleClustersAreListedTogether()
    {
        string cpuinfo = string.Join("\n", Enumerable.Range(0, 8).Select(i =>
            $"processor\t: {i}\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU part\t: {(i < 4 ? "0xd05" : "0xd0b")}\n"));

        Assert.Equal("4x Cortex-A55 + 4x Cortex-A76", CpuInfo.Parse(cpuinfo).CpuModel);
    }

    [Theory]
    [InlineData("throttled=0x0", false, false, "")]
    [InlineData("throttled=0x50005", true, true, "under-voltage; throttled")]
    [InlineData("throttled=0x80000", false, true, "throttled earlier since boot")]
    public void PiThrottleFlagsAreDecoded(string output, bool now, bool sinceBoot, string reasons)
    {
        Throttling flags = Throttling.Parse(output)!.Value;

        Assert.Equal(now, flags.ThrottledNow || flags.UnderVoltageNow);
        Assert.Equal(sinceBoot, flags.ThrottledSinceBoot || (flags.Flags & 0x50000) != 0);
        Assert.Equal(reasons, flags.Describe());
    }

    [Fact]
    public void SeveralGpusAreCountedAndTheirMemorySummed()
    {
        NvidiaGpu gpu = NvidiaGpu.Parse("NVIDIA GeForce RTX 4090, 24564\nNVIDIA GeForce RTX 4090, 24564\n")!;

        Assert.Equal("2x NVIDIA GeForce RTX 4090", gpu.Name);
        Assert.Equal(2 * 24564L * 1024 * 1024, gpu.MemoryBytes);
        Assert.Null(NvidiaGpu.Parse("No devices were found"));
    }

    [Fact]
    public void NvpmodelQueryIsTheFallbackWhenItsFilesAreUnreadable()
    {
        using var root = new TempFolder();
        Directory.CreateDirectory(Path.Combine(root.Path, "etc"));
        File.WriteAllText(Path.Combine(root.Path, "etc", "nv_tegra_release"), "# R35 (release), REVISION: 5.0, GCID: 35550185, BOARD: t186ref, EABI: aarch64\n");
        string bin = Path.Combine(root.Path, "bin");
        Directory.CreateDirectory(bin);
        string tool = Path.Combine(bin, "nvpmodel");
        File.WriteAllText(tool, "#!/bin/sh\nprintf 'NV Fan Mode:quiet\\nNV Power Mode: MODE_30W_4CORE\\n5\\n'\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        JetsonInfo info = JetsonInfo.Read(new ProbeRoot(root.Path), new ExternalCommand(bin))!;

        Assert.Equal("MODE_30W_4CORE", info.PowerMode);
        Assert.Equal(5, info.PowerModeId);
        Assert.Equal("35.5.0", info.L4TVersion);
        Assert.Equal("5", info.JetPackVersion);
    }

    [Theory]
    [InlineData("# R99999999999999999999 (release), REVISION: 99999999999999999999.3, GCID: 1", "pmode:0001", null,
        "/etc/nv_tegra_release: release R99999999999999999999 is too large to be an L4T release; L4T and JetPack versions unknown")]
    [InlineData("# R36 (release), REVISION: 4.3", "pmode:99999999999999999999", "36.4.3",
        "/var/lib/nvpmodel/status: power mode id 99999999999999999999 is too large to be a mode id; power mode unknown")]
    public void NumbersTooLargeForAnIntLeaveTheFieldUnknownWithANote(string release, string status, string? l4t, string warning)
    {
        using var root = new TempFolder();
        Directory.CreateDirectory(Path.Combine(root.Path, "etc"));
        Directory.CreateDirectory(Path.Combine(root.Path, "var", "lib", "nvpmodel"));
        File.WriteAllText(Path.Combine(root.Path, "etc", "nv_tegra_release"), release + "\n");
        File.WriteAllText(Path.Combine(root.Path, "var", "lib", "nvpmodel", "status"), status + "\n");
        // A mode ID past int's range in the conf is skipped, never an overflow.
        File.WriteAllText(Path.Combine(root.Path, "etc", "nvpmodel.conf"),
            "< POWER_MODEL ID=99999999999999999999 NAME=HUGE >\n< POWER_MODEL ID=1 NAME=7W >\n< PM_CONFIG DEFAULT=1 >\n");
        var probe = new ProbeRoot(root.Path);

        JetsonInfo info = JetsonInfo.Read(probe, new ExternalCommand(Path.Combine(root.Path, "bin")))!;

        Assert.Equal(l4t, info.L4TVersion);
        Assert.Contains(warning, probe.Warnings);
        if (l4t is null)
        {
            Assert.Null(info.JetPackVersion);
            Assert.Equal("7W", info.PowerMode);
        }
    }

    [Fact]
    public void TheEmbeddedCatalogCoversTheBoardsOfTheStudy()
    {
        IReadOnlyList<BoardEntry> entries = BoardCatalog.EmbeddedEntries;
        foreach (string board in new[] { "Raspberry Pi 5 Model B Rev 1.0", "Raspberry Pi 4 Model B Rev 1.5", "NVIDIA Jetson Nano Developer Kit",
                     "NVIDIA Jetson Orin Nano Engineering Reference Developer Kit Super", "NVIDIA Jetson Orin NX Engineering Reference Developer Kit",
                     "Jetson AGX Orin Developer Kit" })
        {
            BoardEntry? entry = BoardCatalog.Match(entries, board, null, 8L << 30);
            Assert.True(entry is { PriceUsd: > 0, IdleWatts: > 0, TdpWatts: > 0 }, $"no priced entry for {board}");
        }

        Assert.Equal("Jetson Orin Nano Super Developer Kit 8GB", BoardCatalog.Match(entries, "NVIDIA Jetson Orin Nano Engineering Reference Developer Kit Super", null, 7L << 30)!.Name);
        Assert.Equal("Intel N100 mini PC", BoardCatalog.Match(entries, "Default string", "Intel(R) N100", 16L << 30)!.Name);
    }

    [Fact]
    public void BandwidthBufferIsFarLargerThanTheCacheAndFitsInMemory()
    {
        Assert.Equal(256L << 20, MemoryBandwidth.BufferSize(2L << 20, 8L << 30));
        Assert.Equal(8 * (105L << 20), MemoryBandwidth.BufferSize(105L << 20, 24L << 30));
        Assert.Equal(1L << 30, MemoryBandwidth.BufferSize(512L << 20, 4L << 30)); // a quarter of what is available
    }

    [Fact]
    public void BandwidthIsMeasuredAndRemembered()
    {
        double bandwidth = MemoryBandwidth.Measure(8L << 20, 4L << 30, passes: 1);
        Assert.True(bandwidth > 100e6, $"{bandwidth} B/s is not a memory read speed");

        using var cache = new TempFolder();
        BandwidthCache.Store("host|cpu|1", bandwidth, cache.Path);
        Assert.Equal(bandwidth, BandwidthCache.Load("host|cpu|1", cache.Path));
        Assert.Null(BandwidthCache.Load("other|cpu|1", cache.Path));
    }
}

/// <summary>The thermal monitor over a live copy of a board's tree, changed while it samples.</summary>
public sealed class ThermalMonitorTests
{
    [Fact]
    public void TheHottestSampleAndTheLowestFrequencyAreKept()
    {
        using var copy = new TempFolder();
        string source = Path.Combine(Repository.Root, "tests", "Fixtures", "devices", "raspberry-pi-5-8gb");
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(copy.Path, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        string temp = Path.Combine(copy.Path, "sys/class/thermal/thermal_zone0/temp");
        string cur = Path.Combine(copy.Path, "sys/devices/system/cpu/cpu2/cpufreq/scaling_cur_freq");
        string cap = Path.Combine(copy.Path, "sys/devices/system/cpu/cpu2/cpufreq/scaling_max_freq");
        using ThermalMonitor monitor = ThermalMonitor.Start(copy.Path, searchPath: copy.File("no-tools"));
        File.WriteAllText(temp, "84700\n");
        File.WriteAllText(cur, "1200000\n");
        File.WriteAllText(cap, "1500000\n"); // the cooling device lowers the policy maximum while hot
        ThermalObservation seen = monitor.Stop();

        Assert.Equal(84.7, seen.MaxTemperatureCelsius);
        Assert.Equal(1200, seen.MinCpuFrequencyMHz);
        Assert.True(seen.Throttled);
    }

    [Fact]
    public void AMachineWithoutSensorsReportsNulls()
    {
        using var empty = new TempFolder();
        using ThermalMonitor monitor = ThermalMonitor.Start(empty.Path, searchPath: empty.Path);

        ThermalObservation seen = monitor.Stop();

        Assert.Null(seen.MaxTemperatureCelsius);
        Assert.Null(seen.MinCpuFrequencyMHz);
        Assert.Null(seen.Throttled);
    }
}
