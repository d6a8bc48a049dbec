namespace EdgeLm.Core.Devices;

/// <summary>What the thermal monitor saw during one run.</summary>
internal sealed record ThermalObservation(double? MaxTemperatureCelsius, double? MinCpuFrequencyMHz, bool? Throttled);

/// <summary>
/// Samples the live system's thermal zones and CPU frequencies on a background thread while a run executes (in
/// the host, so the worker's measurement is untouched; sysfs reads cost microseconds). Throttled is true when a
/// cpufreq policy caps a CPU below its maximum in any sample, when x86 thermal-throttle counters rise, or when the
/// Raspberry Pi firmware reports throttling (vcgencmd, read at the start and end only: it is a process).
/// Null figures mean the machine exposes no such sensor.
/// </summary>
internal sealed class ThermalMonitor : PeriodicMonitor
{
    private readonly string _root;
    private readonly ExternalCommand _commands;
    private readonly long _throttleCountAtStart;
    private readonly Throttling? _firmwareAtStart;
    private double? _maxTemperature;
    private double? _minFrequency;
    private bool? _capped;

    private ThermalMonitor(string root, string? searchPath)
        : base(TimeSpan.FromMilliseconds(500), "edgelm thermal monitor")
    {
        _root = root;
        _commands = new ExternalCommand(searchPath);
        _throttleCountAtStart = ThrottleCount(new ProbeRoot(root));
        _firmwareAtStart = Firmware();
        Sample();
        StartThread();
    }

    /// <summary>Starts sampling <paramref name="root"/> (the live "/" in use; a snapshot tree in tests).</summary>
    public static ThermalMonitor Start(string root = "/", string? searchPath = null) => new(root, searchPath);

    /// <summary>Stops sampling and says what was seen.</summary>
    public ThermalObservation Stop()
    {
        StopThread();
        bool? throttled = _capped;
        if (ThrottleCount(new ProbeRoot(_root)) > _throttleCountAtStart)
        {
            throttled = true;
        }

        if (_firmwareAtStart is Throttling before && Firmware() is Throttling after)
        {
            bool newSinceBoot = (after.Flags & ~before.Flags & 0xF0000) != 0;
            throttled = (throttled ?? false) || before.ThrottledNow || after.ThrottledNow || newSinceBoot;
        }

        return new ThermalObservation(_maxTemperature, _minFrequency, throttled);
    }

    protected override void Sample()
    {
        var root = new ProbeRoot(_root);
        if (ThermalZones.Read(root, warn: false).MaxCelsius is double t)
        {
            _maxTemperature = Math.Max(_maxTemperature ?? double.MinValue, t);
        }

        CpuFrequency frequency = CpuFrequency.Read(root);
        if (frequency.CurrentMinMHz is double f)
        {
            _minFrequency = Math.Min(_minFrequency ?? double.MaxValue, f);
        }

        if (frequency.Capped is bool capped)
        {
            _capped = (_capped ?? false) || capped;
        }
    }

    private Throttling? Firmware() => Throttling.Parse(_commands.Run("vcgencmd", new[] { "get_throttled" }, new ProbeRoot(_root)));

    // Intel's per-core and per-package thermal throttle event counters; 0 where the files do not exist.
    private static long ThrottleCount(ProbeRoot root)
    {
        long total = 0;
        foreach (string cpu in root.Folders("/sys/devices/system/cpu", "cpu").Where(CpuFrequency.IsCpu))
        {
            total += root.ReadLong($"/sys/devices/system/cpu/{cpu}/thermal_throttle/core_throttle_count", expected: false) ?? 0;
            total += root.ReadLong($"/sys/devices/system/cpu/{cpu}/thermal_throttle/package_throttle_count", expected: false) ?? 0;
        }

        return total;
    }
}
