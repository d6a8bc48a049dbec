using EdgeLm.Core;
using EdgeLm.Core.Devices;
using EdgeLm.Core.Energy;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Energy;

/// <summary>Discovery and the default choice on the board layouts of shared/research/energy.md (tests/Fixtures/energy).</summary>
public sealed class PowerSourceTests
{
    private static string Fixture(string name) => Path.Combine(Repository.Root, "tests", "Fixtures", "energy", name);

    private static PowerSourceSet Discover(string root, ProbeRoot? probe = null, string? meter = null) =>
        PowerSourceDiscovery.Discover(probe ?? new ProbeRoot(root), new ExternalCommand(Path.Combine(root, "bin")), meter);

    [Fact]
    public void JetPack6ReadsTheModuleInputAsBusVoltsTimesAmps()
    {
        using PowerSourceSet sources = Discover(Fixture("jetson-orin-nano-jp6"));
        EnergySelection chosen = sources.Choose();

        IEnergySource vddIn = Assert.Single(chosen.Parts);
        Assert.Equal("jetson:VDD_IN", vddIn.Name);
        Assert.Equal("module-input", chosen.Scope);
        Assert.Equal("integrated-power", chosen.Method);
        Assert.Equal(5.072 * 1.182, vddIn.Read(), 9);
        // The shunt-voltage sum (in7) is no rail.
        Assert.DoesNotContain(sources.All, s => s.Name.Contains("shunt", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(3, sources.All.Count(s => s.Kind == "jetson"));
    }

    [Fact]
    public void JetPack4ReadsTheIioPowerFilesInMilliwatts()
    {
        using PowerSourceSet sources = Discover(Fixture("jetson-nano-jp4"));
        EnergySelection chosen = sources.Choose();

        Assert.Equal("jetson:POM_5V_IN", Assert.Single(chosen.Parts).Name);
        Assert.Equal(2.016, chosen.Parts[0].Read(), 9);
        Assert.Contains(sources.All, s => s.Name == "jetson:POM_5V_CPU" && s.Scope == "module-rail");
    }

    [Fact]
    public void AgxOrinHasNoInputRailSoItsRailsAreSummedWithoutNcChannels()
    {
        using PowerSourceSet sources = Discover(Fixture("jetson-agx-orin-jp6"));
        EnergySelection chosen = sources.Choose();

        Assert.Equal(new[] { "jetson:VDD_GPU_SOC", "jetson:VDD_CPU_CV", "jetson:VIN_SYS_5V0", "jetson:VDDQ_VDD2_1V8AO" }, chosen.Parts.Select(p => p.Name));
        Assert.Equal(19.5 * 0.43 + 19.5 * 0.17 + 5 * 0.7 + 5 * 0.06, chosen.Parts.Sum(p => p.Read()), 9);
        Assert.DoesNotContain(sources.All, s => s.Name.Contains("NC"));
        Assert.Equal("module-rail", chosen.Scope);
    }

    [Fact]
    public void RecordedPi5PmicOutputSumsTheTwelveRailsWithCurrentAndVoltage()
    {
        string recorded = File.ReadAllText(Path.Combine(Fixture("raspberry-pi-5"), "pmic_read_adc.txt"));
        double expected =
            0.09466522 * 3.62925200 + 0.08197812 * 3.31652900 + 0.15029320 * 1.79877700 + 0.00390372 * 1.10146400 +
            0.00000000 * 0.60622650 + 0.20299340 * 1.10402800 + 0.30546610 * 0.79853400 + 1.11625000 * 0.74944980 +
            0.00000000 * 3.31043600 + 0.00018315 * 3.31684600 + 0.00274725 * 0.79794790 + 0.01660560 * 5.10138000;

        IReadOnlyDictionary<string, double> rails = Pi5Pmic.RailWatts(recorded);

        Assert.Equal(12, rails.Count);
        Assert.DoesNotContain("EXT5V", rails.Keys);
        Assert.DoesNotContain("BATT", rails.Keys);
        Assert.Equal(expected, Pi5Pmic.TotalWatts(recorded), 9);
        Assert.Equal(0.9, Pi5Pmic.TotalWatts("VDD_CORE_A=1.2000A\nVDD_CORE_V=0.7500V\n"), 9); // the other firmware's format

        using PowerSourceSet sources = Discover(Fixture("raspberry-pi-5"));
        EnergySelection chosen = sources.Choose();
        Assert.Equal("pi5:pmic", Assert.Single(chosen.Parts).Name);
        Assert.Equal("board-rails", chosen.Scope);
        Assert.Equal(expected, chosen.Parts[0].Read(), 9);
        Assert.Contains(sources.All, s => s.Name == "pi5:pmic" && s.Reason!.Contains("2 Hz"));
    }

    [Fact]
    public void PsysIsChosenAloneAndNeverAddedToThePackage()
    {
        using PowerSourceSet sources = Discover(Fixture("x86-laptop-rapl"));
        EnergySelection chosen = sources.Choose();

        Assert.Equal("rapl:psys", Assert.Single(chosen.Parts).Name);
        Assert.Equal("platform", chosen.Scope);
        Assert.Equal("counter-delta", chosen.Method);
        // The MMIO copy of package-0 is the same counter and is listed once.
        Assert.Single(sources.All, s => s.Name == "rapl:package-0");
        Assert.Equal("OverlappingPowerSources", Assert.Throws<EdgeLmArgumentException>(() => sources.Choose("rapl:psys+rapl:package-0")).ErrorId);
        Assert.Equal("OverlappingPowerSources", Assert.Throws<EdgeLmArgumentException>(() => sources.Choose("rapl:package-0,rapl:package-0/core")).ErrorId);
        Assert.Equal(2, sources.Choose("rapl:package-0+rapl:package-0/dram").Parts.Count);
        Assert.Equal("UnknownPowerSource", Assert.Throws<EdgeLmArgumentException>(() => sources.Choose("rapl:package-9")).ErrorId);
    }

    [Fact]
    public void APermissionDeniedCounterIsReportedWithItsReasonAndTheFix()
    {
        var probe = new ProbeRoot(Fixture("x86-laptop-rapl"));
        probe.DenyForTesting("/sys/class/powercap/intel-rapl:1/energy_uj");
        using PowerSourceSet sources = Discover(Fixture("x86-laptop-rapl"), probe);

        PowerSourceInfo psys = Assert.Single(sources.All, s => s.Name == "rapl:psys");
        Assert.False(psys.Readable);
        Assert.Contains("permission denied", psys.Reason);
        Assert.Contains("CVE-2020-8694", psys.Reason);
        Assert.Contains("chmod 0440", psys.Reason);

        EnergySelection chosen = sources.Choose();
        Assert.Equal(new[] { "rapl:package-0", "rapl:package-0/dram" }, chosen.Parts.Select(p => p.Name));
        Assert.Equal("cpu-package+dram", chosen.Scope);
        Assert.Contains(chosen.Warnings, w => w.StartsWith("rapl:psys not used: ") && w.Contains("permission denied"));
        Assert.Equal("PowerSourceUnreadable", Assert.Throws<EdgeLmException>(() => sources.Choose("rapl:psys")).ErrorId);
    }

    [Theory]
    [InlineData("folder", "/sys/class/powercap/intel-rapl:1/energy_uj: a folder, not a regular file")]
    [InlineData("fifo", "/sys/class/powercap/intel-rapl:1/energy_uj: a named pipe (FIFO), not a regular file")]
    [InlineData("device", "/sys/class/powercap/intel-rapl:1/energy_uj: a character device, not a regular file")]
    [InlineData("loop", "/sys/class/powercap/intel-rapl:1/energy_uj: cannot be looked up: Too many levels of symbolic links")]
    public void ACounterThatIsNoRegularFileIsNamedForWhatItIsNeverRootOnly(string kind, string reason)
    {
        using var tree = new FakeTree("x86-laptop-rapl");
        string counter = Path.Combine(tree.Root, "sys/class/powercap/intel-rapl:1/energy_uj");
        File.Delete(counter);
        switch (kind)
        {
            case "folder": Directory.CreateDirectory(counter); break;
            case "fifo": Assert.Equal(0, ProcessRunner.Run("mkfifo", new[] { counter }).Exit); break;
            case "device": File.CreateSymbolicLink(counter, "/dev/null"); break;
            default: File.CreateSymbolicLink(counter, "energy_uj"); break;
        }

        // Even where reading would be refused (RAPL's 0400 on a real counter), the kind is what is wrong.
        var probe = new ProbeRoot(tree.Root);
        probe.DenyForTesting("/sys/class/powercap/intel-rapl:1/energy_uj");
        using PowerSourceSet sources = Discover(tree.Root, probe);

        PowerSourceInfo psys = Assert.Single(sources.All, s => s.Name == "rapl:psys");
        Assert.False(psys.Readable);
        Assert.Equal(reason, psys.Reason);
    }

    [Fact]
    public void ServersAddEachSocketsPackageAndDram()
    {
        using var tree = new FakeTree("x86-server-rapl");
        Directory.Delete(Path.Combine(tree.Root, "sys/class/hwmon"), recursive: true); // no ACPI power meter
        using PowerSourceSet sources = Discover(tree.Root);

        EnergySelection chosen = sources.Choose();

        Assert.Equal(new[] { "rapl:package-0", "rapl:package-0/dram", "rapl:package-1", "rapl:package-1/dram" }, chosen.Parts.Select(p => p.Name).Order());
        Assert.Equal(65712999613 / 1e6, chosen.Parts.Single(p => p.Name == "rapl:package-1/dram").CounterRangeJoules);
    }

    [Fact]
    public void AnAcpiPowerMeterIsThePlatformInputAndWins()
    {
        using PowerSourceSet sources = Discover(Fixture("x86-server-rapl"));
        EnergySelection chosen = sources.Choose();

        Assert.Equal("hwmon:power_meter/power1_average", Assert.Single(chosen.Parts).Name);
        Assert.Equal(182.0, chosen.Parts[0].Read(), 9);
    }

    [Fact]
    public void HwmonSourcesKeepTheirNamesWhenTheKernelRenumbersThem()
    {
        using var tree = new FakeTree("x86-server-rapl");
        string[] before;
        using (PowerSourceSet sources = Discover(tree.Root))
        {
            before = sources.All.Select(s => s.Name).ToArray();
        }

        Directory.Move(Path.Combine(tree.Root, "sys/class/hwmon/hwmon0"), Path.Combine(tree.Root, "sys/class/hwmon/hwmon7"));
        using PowerSourceSet renumbered = Discover(tree.Root);

        Assert.Equal(before, renumbered.All.Select(s => s.Name).ToArray());
        Assert.True(renumbered.All.Single(s => s.Name == "hwmon:power_meter/power1_average").Readable);
    }

    [Fact]
    public void WithoutNvmlGpusAreReadFromOneLongRunningNvidiaSmi()
    {
        using PowerSourceSet sources = Discover(Fixture("x86-gpu-server"));
        EnergySelection chosen = sources.Choose();

        IEnergySource gpus = Assert.Single(chosen.Parts);
        Assert.Equal("nvidia-smi:power.draw", gpus.Name);
        Assert.Equal("gpu-board", chosen.Scope);
        Assert.Equal(71.23 + 65.10, gpus.Read(), 9);
        Assert.Contains(chosen.Warnings, w => w.Contains("only the GPU board"));
        Assert.Contains("long-running", sources.All.Single(s => s.Name == gpus.Name).Reason);
    }

    [Fact]
    public void ADischargingBatteryIsUsedAndOneOnAcIsNot()
    {
        using (PowerSourceSet onBattery = Discover(Fixture("laptop-on-battery")))
        {
            EnergySelection chosen = onBattery.Choose();
            Assert.Equal("battery:BAT0", Assert.Single(chosen.Parts).Name);
            Assert.Equal(8.54, chosen.Parts[0].Read(), 9);
        }

        using PowerSourceSet charging = Discover(Fixture("x86-laptop-rapl"));
        PowerSourceInfo battery = Assert.Single(charging.All, s => s.Name == "battery:BAT0");
        Assert.False(battery.Readable);
        Assert.Contains("Charging", battery.Reason);
    }

    [Fact]
    public void WithoutAnySensorTheEstimateIsChosenAndSaysItIsOne()
    {
        using var tree = new FakeTree();
        using PowerSourceSet sources = Discover(tree.Root);

        EnergySelection chosen = sources.Choose();

        Assert.True(chosen.IsEstimate);
        Assert.Equal("estimate:generic-cpu", chosen.Source);
        Assert.Equal("estimated-model", chosen.Method);
        Assert.Contains(chosen.Warnings, w => w.Contains("estimate, not a measurement"));
    }

    [Fact]
    public void Pi5EstimateUsesPowerJoularsFit()
    {
        using var tree = new FakeTree("raspberry-pi-5");
        tree.Write("/proc/stat", "cpu  100 0 0 900 0 0 0 0 0 0");
        var source = EstimateSource.For(new ProbeRoot(tree.Root));
        tree.Write("/proc/stat", "cpu  150 0 0 950 0 0 0 0 0 0"); // half busy since the last read

        Assert.Equal("estimate:pi5-linear", source.Name);
        Assert.Equal(3.457855981342954 * 0.5 + 4.403192179893827, source.Read(), 9);
    }

    [Fact]
    public void AShellyPlugIsTheWidestScopeAndWinsOverSensors()
    {
        using var listener = new System.Net.HttpListener();
        int port = System.Net.IPEndPoint.MinPort;
        for (port = 47000; port < 47100; port++)
        {
            try
            {
                listener.Prefixes.Clear();
                listener.Prefixes.Add($"http://127.0.0.1:{port}/");
                listener.Start();
                break;
            }
            catch (System.Net.HttpListenerException)
            {
            }
        }

        var serving = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                System.Net.HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception)
                {
                    return;
                }

                byte[] body = context.Request.Url!.PathAndQuery == "/rpc/Switch.GetStatus?id=0"
                    ? "{\"id\":0,\"apower\":6.3,\"voltage\":229.1,\"aenergy\":{\"total\":1234.5}}"u8.ToArray()
                    : "{}"u8.ToArray();
                context.Response.OutputStream.Write(body);
                context.Response.Close();
            }
        });

        using PowerSourceSet sources = Discover(Fixture("jetson-orin-nano-jp6"), meter: $"shelly-gen2=http://127.0.0.1:{port}");
        EnergySelection chosen = sources.Choose();

        Assert.Equal("meter:shelly-gen2", Assert.Single(chosen.Parts).Name);
        Assert.Equal("wall", chosen.Scope);
        Assert.Equal(6.3, chosen.Parts[0].Read(), 9);
        listener.Stop();
        Assert.Equal("UnknownMeter", Assert.Throws<EdgeLmArgumentException>(() => MeterSource.Parse("kasa=10.0.0.1")).ErrorId);

        // The same meter, no longer answering: an error naming it, never a quiet fall back to another source.
        using PowerSourceSet gone = Discover(Fixture("jetson-orin-nano-jp6"), meter: $"shelly-gen2=http://127.0.0.1:{port}");
        var e = Assert.Throws<EdgeLmException>(() => gone.Choose());
        Assert.Equal("MeterUnreadable", e.ErrorId);
        Assert.Contains("meter:shelly-gen2 cannot be read", e.Message);
    }
}
