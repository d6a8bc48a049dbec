using EdgeLm.Core.Devices;

namespace EdgeLm.Core.Energy;

/// <summary>Where to look for power sources and which to use.</summary>
public sealed class EnergyOptions
{
    /// <summary>The environment variable that points energy measurement at a snapshot tree instead of "/".</summary>
    public const string RootVariable = "EDGELM_POWER_ROOT";

    /// <summary>
    /// "/" or a snapshot tree; sources are found by their name and label files, never by index. Default:
    /// $EDGELM_POWER_ROOT, else "/": a board in a box (a recorded Pi 5 or Jetson tree with its tools on PATH) measures
    /// a benchmark's energy from the recording, so the whole pipeline runs where no such sensor exists.
    /// </summary>
    public string Root { get; set; } = Environment.GetEnvironmentVariable(RootVariable) is { Length: > 0 } root ? root : "/";

    /// <summary>Where vcgencmd and nvidia-smi are looked for; null = PATH.</summary>
    public string? SearchPath { get; set; }

    /// <summary>An external meter, KIND=ADDRESS (see <see cref="MeterSource"/>); null = $EDGELM_METER.</summary>
    public string? Meter { get; set; }

    /// <summary>Source names to use ('+'-joined for disjoint scopes); null = the widest trustworthy scope.</summary>
    public string? Source { get; set; }

    /// <summary>
    /// Sampling interval: counters are read once per interval (and at window edges); power sources at a random point
    /// in each interval, and up to 20 times per interval (every 5 ms at the most) where the sensor updates that fast.
    /// </summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMilliseconds(100);
}

/// <summary>
/// Finds every power and energy source on a device: external meters, Jetson INA3221 rails (JetPack 4 iio and
/// JetPack 5/6 hwmon layouts), the Raspberry Pi 5 PMIC, RAPL zones, generic hwmon sensors, NVIDIA GPUs,
/// batteries and the estimate. Each is test-read once, so the list says which are readable and why not.
/// </summary>
public static class PowerSourceDiscovery
{
    private static readonly TimeSpan Default = TimeSpan.FromMilliseconds(100);

    public static PowerSourceSet Discover(EnergyOptions options)
    {
        var root = new ProbeRoot(options.Root);
        return Discover(root, new ExternalCommand(options.SearchPath), options.Meter ?? Environment.GetEnvironmentVariable(MeterSource.Variable));
    }

    internal static PowerSourceSet Discover(ProbeRoot root, ExternalCommand commands, string? meter)
    {
        var found = new List<(IEnergySource? Source, PowerSourceInfo Info)>();
        if (!string.IsNullOrWhiteSpace(meter))
        {
            found.Add(Probe(MeterSource.Parse(meter)));
        }

        found.AddRange(JetsonRails(root).Select(Probe));
        found.AddRange(Pmic(root, commands));
        found.AddRange(Rapl(root));
        found.AddRange(Hwmon(root).Select(Probe));
        found.AddRange(Gpus(root, commands));
        found.AddRange(Batteries(root));
        found.Add(Probe(EstimateSource.For(root)));
        return new PowerSourceSet(found);
    }

    /// <summary>A source test-read once: readable, or not and why.</summary>
    private static (IEnergySource?, PowerSourceInfo) Probe(IEnergySource source)
    {
        var info = Info(source, readable: true, reason: null);
        try
        {
            source.Read();
            return (source, info);
        }
        catch (EnergyReadException e)
        {
            info.Readable = false;
            info.Reason = e.Message;
            source.Dispose();
            return (null, info);
        }
    }

    private static PowerSourceInfo Info(IEnergySource source, bool readable, string? reason) => new()
    {
        Name = source.Name,
        Kind = source.Kind,
        Scope = source.Scope,
        Method = EnergyMethods.Of(source),
        Path = source.Path,
        Readable = readable,
        Reason = reason ?? source.Note,
    };

    // JetPack 5/6: upstream ina3221 hwmon, channels 1-3 with inN_label, bus voltage inN_input (mV) and currN_input (mA);
    // in4-in6 are shunt voltages (µV) and in7 their sum, never power. JetPack 4: NVIDIA's ina3221x iio driver with
    // rail_name_N and in_powerN_input (mW), N = 0-2. NC labels are unconnected channels.
    private static IEnumerable<IEnergySource> JetsonRails(ProbeRoot root)
    {
        const string hwmonDriver = "/sys/bus/i2c/drivers/ina3221";
        foreach (string device in root.Folders(hwmonDriver, ""))
        {
            foreach (string hwmon in root.Folders($"{hwmonDriver}/{device}/hwmon", "hwmon"))
            {
                string folder = $"{hwmonDriver}/{device}/hwmon/{hwmon}";
                for (int n = 1; n <= 3; n++)
                {
                    string? label = root.Read($"{folder}/in{n}_label", expected: false);
                    if (IsRail(label))
                    {
                        yield return new FileSensorSource("jetson:" + label, "jetson", JetsonScope(label!), root,
                            new[] { $"{folder}/in{n}_input", $"{folder}/curr{n}_input" }, v => v[0] * v[1] / 1e6, false, null, Default);
                    }
                }
            }
        }

        const string iioDriver = "/sys/bus/i2c/drivers/ina3221x";
        foreach (string device in root.Folders(iioDriver, ""))
        {
            foreach (string iio in root.Folders($"{iioDriver}/{device}", "iio:device"))
            {
                string folder = $"{iioDriver}/{device}/{iio}";
                for (int n = 0; n <= 2; n++)
                {
                    string? label = root.Read($"{folder}/rail_name_{n}", expected: false);
                    if (IsRail(label))
                    {
                        yield return new FileSensorSource("jetson:" + label, "jetson", JetsonScope(label!), root,
                            new[] { $"{folder}/in_power{n}_input" }, v => v[0] / 1000, false, null, Default);
                    }
                }
            }
        }
    }

    private static bool IsRail(string? label) =>
        !string.IsNullOrWhiteSpace(label) && !label.StartsWith("NC", StringComparison.OrdinalIgnoreCase) &&
        !label.Contains("sum of shunt", StringComparison.OrdinalIgnoreCase);

    /// <summary>VDD_IN (Orin, Xavier NX) and POM_5V_IN (Nano) are the module's input; other rails are parts of it.</summary>
    internal static string JetsonScope(string label) => label is "VDD_IN" or "POM_5V_IN" ? "module-input" : "module-rail";

    private static IEnumerable<(IEnergySource?, PowerSourceInfo)> Pmic(ProbeRoot root, ExternalCommand commands)
    {
        string? board = root.Read("/proc/device-tree/model", expected: false);
        if (board?.StartsWith("Raspberry Pi 5", StringComparison.Ordinal) != true)
        {
            yield break;
        }

        (double, double)? calibration = PmicSource.CalibrationFromEnvironment();
        string? mailboxReason = null;
        if (root.IsLiveSystem && VcioMailbox.TryOpen("/dev/vcio", out mailboxReason) is VcioMailbox mailbox)
        {
            yield return Probe(new PmicSource(() => mailbox.Command("pmic_read_adc"), "/dev/vcio", Default, false, calibration, mailbox));
            yield break;
        }

        string? vcgencmd = commands.Find("vcgencmd");
        if (vcgencmd is null)
        {
            yield return (null, new PowerSourceInfo
            {
                Name = "pi5:pmic", Kind = "pmic", Scope = "board-rails", Method = EnergyMethods.IntegratedPower, Path = "/dev/vcio",
                Readable = false, Reason = (mailboxReason ?? "/dev/vcio not usable") + "; vcgencmd is not on PATH either (install libraspberrypi-bin)",
            });
            yield break;
        }

        var probe = new ProbeRoot(root.Root);
        yield return Probe(new PmicSource(() => commands.Run("vcgencmd", new[] { "pmic_read_adc" }, probe) ?? throw new EnergyReadException(
                "vcgencmd pmic_read_adc failed: " + string.Join("; ", probe.Warnings)), vcgencmd + " pmic_read_adc",
            TimeSpan.FromMilliseconds(500), true, calibration));
    }

    // powercap zones by their name file: top level package-N (or package-N-die-D) and psys; sub-zones core, uncore, dram.
    // The MMIO copy of a package zone is the same counter: only one of the pair is kept.
    private static IEnumerable<(IEnergySource?, PowerSourceInfo)> Rapl(ProbeRoot root)
    {
        const string powercap = "/sys/class/powercap";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string zone in root.Folders(powercap, "intel-rapl").Where(z => z.Contains(':')).OrderBy(z => z.Contains("mmio", StringComparison.Ordinal) ? 1 : 0))
        {
            string folder = $"{powercap}/{zone}";
            string? zoneName = root.Read($"{folder}/name", expected: false);
            if (zoneName is null || !root.Exists($"{folder}/energy_uj"))
            {
                continue;
            }

            string[] parts = zone.Split(':');
            string name = zoneName;
            if (parts.Length > 2)
            {
                // A sub-zone is named with its parent: several sockets each have a dram zone.
                string? parent = root.Read($"{powercap}/{parts[0]}:{parts[1]}/name", expected: false);
                name = $"{parent ?? parts[1]}/{zoneName}";
            }

            if (!seen.Add(name))
            {
                continue;
            }

            // A range of 0 (some kernels and VMs) or less says nothing: unknown, so a step back is a reset, never a wrap.
            double? range = root.ReadLong($"{folder}/max_energy_range_uj", expected: false) is long r and > 0 ? r / 1e6 : null;
            string scope = zoneName switch
            {
                "psys" => "platform",
                "dram" => "dram",
                "core" => "cpu-core",
                "uncore" => "cpu-uncore",
                _ => "cpu-package",
            };
            var source = new FileSensorSource("rapl:" + name, "rapl", scope, root, new[] { $"{folder}/energy_uj" }, v => v[0] / 1e6, true, range, Default);
            (IEnergySource? usable, PowerSourceInfo info) = Probe(source);
            // The root-only advice fits one fault only: the kernel refusing a regular counter file. A folder, FIFO or device
            // in its place, or a folder on the way that cannot be searched, keeps the reason the read gave.
            if (!info.Readable && info.Reason?.Contains("permission denied", StringComparison.Ordinal) == true
                && InputFiles.KindOf(root.PathOf($"{folder}/energy_uj")) == FileKind.Regular)
            {
                info.Reason = $"{folder}/energy_uj: permission denied: RAPL counters are root-only since Linux 5.10 (CVE-2020-8694). " +
                              "Run as root, or let one group read them: sudo chgrp power /sys/class/powercap/intel-rapl:*/energy_uj && " +
                              "sudo chmod 0440 /sys/class/powercap/intel-rapl:*/energy_uj (not world-readable: that reopens the side channel)";
            }

            yield return (usable, info);
        }
    }

    // Generic hwmon power (µW) and energy (µJ) attributes, named by chip and label so renumbered hwmonN keep their name.
    // INA3221 is left to the Jetson reader, which knows its rails.
    private static IEnumerable<IEnergySource> Hwmon(ProbeRoot root)
    {
        const string hwmon = "/sys/class/hwmon";
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string chip in root.Folders(hwmon, "hwmon"))
        {
            string folder = $"{hwmon}/{chip}";
            string? chipName = root.Read($"{folder}/name", expected: false);
            if (chipName is null || chipName == "ina3221")
            {
                continue;
            }

            string fullFolder = root.PathOf(folder);
            string[] attributes;
            try
            {
                attributes = Directory.GetFiles(fullFolder).Select(Path.GetFileName).OfType<string>()
                    .Where(f => System.Text.RegularExpressions.Regex.IsMatch(f, @"^(power\d+_(input|average)|energy\d+_input)$")).Order(StringComparer.Ordinal).ToArray();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            long? updateMs = root.ReadLong($"{folder}/update_interval", expected: false);
            TimeSpan interval = updateMs is > 0 ? TimeSpan.FromMilliseconds(updateMs.Value) : Default;
            string scope = chipName switch { "power_meter" => "platform", "amdgpu" => "gpu-board", _ => "sensor" };
            foreach (string attribute in attributes)
            {
                string channel = attribute[..attribute.IndexOf('_')];
                string label = root.Read($"{folder}/{channel}_label", expected: false) ?? attribute;
                string name = $"hwmon:{chipName}/{label}";
                int count = names.TryGetValue(name, out int c) ? c + 1 : 1;
                names[name] = count;
                if (count > 1)
                {
                    name += $"#{count}";
                }

                bool counter = attribute.StartsWith("energy", StringComparison.Ordinal);
                yield return new FileSensorSource(name, "hwmon", scope, root, new[] { $"{folder}/{attribute}" },
                    v => v[0] / 1e6, counter, null, interval);
            }
        }
    }

    private static IEnumerable<(IEnergySource?, PowerSourceInfo)> Gpus(ProbeRoot root, ExternalCommand commands)
    {
        string? nvmlReason = null;
        if (root.IsLiveSystem)
        {
            IReadOnlyList<NvmlSource> gpus = NvmlSource.Discover(out nvmlReason);
            if (gpus.Count > 0)
            {
                foreach (NvmlSource gpu in gpus)
                {
                    yield return Probe(gpu);
                }

                yield break;
            }
        }

        if (commands.Find("nvidia-smi") is string nvidiaSmi)
        {
            IEnergySource source;
            try
            {
                source = NvidiaSmiSource.Start(nvidiaSmi);
            }
            catch (Exception e) when (e is EnergyReadException or System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                yield break;
            }

            (IEnergySource? usable, PowerSourceInfo info) = Probe(source);
            if (nvmlReason is not null)
            {
                info.Reason = $"NVML unavailable ({nvmlReason}); " + info.Reason;
            }
            yield return (usable, info);
        }
    }

    // Batteries measure the whole system only while discharging; on AC their rate is the charger's.
    private static IEnumerable<(IEnergySource?, PowerSourceInfo)> Batteries(ProbeRoot root)
    {
        const string supplies = "/sys/class/power_supply";
        foreach (string supply in root.Folders(supplies, ""))
        {
            string folder = $"{supplies}/{supply}";
            if (root.Read($"{folder}/type", expected: false) != "Battery")
            {
                continue;
            }

            string status = root.Read($"{folder}/status", expected: false) ?? "Unknown";
            IEnergySource source = root.Exists($"{folder}/power_now")
                ? new FileSensorSource("battery:" + supply, "battery", "battery", root, new[] { $"{folder}/power_now" }, v => v[0] / 1e6, false, null, TimeSpan.FromSeconds(1))
                : new FileSensorSource("battery:" + supply, "battery", "battery", root, new[] { $"{folder}/current_now", $"{folder}/voltage_now" },
                    v => Math.Abs(v[0]) * v[1] / 1e12, false, null, TimeSpan.FromSeconds(1));
            if (status != "Discharging")
            {
                source.Dispose();
                yield return (null, Info(source, false, $"status is {status}: a battery measures the system only while discharging (unplug AC)"));
                continue;
            }

            yield return Probe(source);
        }
    }
}
