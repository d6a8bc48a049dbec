using System.Globalization;

namespace EdgeLm.Core.Devices;

/// <summary>What else the machine did during one run (null figures: the kernel does not say).</summary>
internal sealed record ContentionObservation(double? CpuPressurePercent, double? StealPercent, int? ExtraRunnableTasks)
{
    /// <summary>
    /// Above these the run shared the CPU enough to move its figures: tasks waited for a CPU more than 10% of the
    /// time, the hypervisor took more than 2%, or more tasks were runnable than the run's threads and the monitor.
    /// </summary>
    public const double PressureThresholdPercent = 10, StealThresholdPercent = 2;

    public bool? Contended => CpuPressurePercent is null && StealPercent is null && ExtraRunnableTasks is null
        ? null
        : CpuPressurePercent > PressureThresholdPercent || StealPercent > StealThresholdPercent || ExtraRunnableTasks > 0;
}

/// <summary>
/// Watches the live system for contention while a run executes: CPU pressure (/proc/pressure/cpu "some", the share
/// of time at least one task waited for a CPU), steal time (/proc/stat) over the run, and the most runnable tasks
/// beyond the run's own threads (procs_running, sampled). A busy or shared machine then shows on every record.
/// </summary>
internal sealed class ContentionMonitor : PeriodicMonitor
{
    private readonly ProbeRoot _root;
    private readonly int _ownThreads;
    private readonly long _startTimestamp;
    private readonly long? _pressureAtStart;
    private readonly (long Steal, long Total)? _cpuAtStart;
    private int? _maxRunnable;

    private ContentionMonitor(string root, int ownThreads)
        : base(TimeSpan.FromMilliseconds(250), "edgelm contention monitor")
    {
        _root = new ProbeRoot(root);
        _ownThreads = ownThreads;
        _startTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        _pressureAtStart = PressureMicroseconds(_root);
        _cpuAtStart = CpuTimes(_root);
        Sample();
        StartThread();
    }

    /// <summary>Starts watching; <paramref name="ownThreads"/> are the run's threads, which are not contention.</summary>
    public static ContentionMonitor Start(int ownThreads, string root = "/") => new(root, ownThreads);

    public ContentionObservation Stop()
    {
        StopThread();
        double seconds = System.Diagnostics.Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds;
        double? pressure = _pressureAtStart is long before && PressureMicroseconds(_root) is long after && seconds > 0 && after >= before
            ? Math.Min(100, (after - before) / 1e6 / seconds * 100)
            : null;
        double? steal = null;
        if (_cpuAtStart is (long steal0, long total0) && CpuTimes(_root) is (long steal1, long total1) && total1 > total0 && steal1 >= steal0)
        {
            steal = (double)(steal1 - steal0) / (total1 - total0) * 100;
        }

        // procs_running counts the run's threads and this monitor reading it.
        int? extra = _maxRunnable is int runnable ? Math.Max(0, runnable - _ownThreads - 1) : null;
        return new ContentionObservation(pressure, steal, extra);
    }

    // The most runnable tasks seen.
    protected override void Sample()
    {
        if (Field(_root.Read("/proc/stat", expected: false), "procs_running") is long running and >= 0 and < int.MaxValue)
        {
            _maxRunnable = Math.Max(_maxRunnable ?? 0, (int)running);
        }
    }

    // "some avg10=… avg60=… avg300=… total=MICROSECONDS" (Linux 4.20 and later, with PSI enabled).
    internal static long? PressureMicroseconds(ProbeRoot root)
    {
        string? some = root.Read("/proc/pressure/cpu", expected: false)?.Split('\n').FirstOrDefault(l => l.StartsWith("some ", StringComparison.Ordinal));
        string? total = some?.Split(' ').FirstOrDefault(p => p.StartsWith("total=", StringComparison.Ordinal));
        return total is not null && long.TryParse(total.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out long us) ? us : null;
    }

    // The first line of /proc/stat: cpu user nice system idle iowait irq softirq steal ... (jiffies).
    internal static (long Steal, long Total)? CpuTimes(ProbeRoot root)
    {
        string? line = root.Read("/proc/stat", expected: false)?.Split('\n').FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        string[]? fields = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields is null || fields.Length < 9)
        {
            return null;
        }

        long total = 0;
        // user .. steal; guest time is already counted in user.
        for (int i = 1; i <= 8; i++)
        {
            if (!long.TryParse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out long value) || value > long.MaxValue / 16)
            {
                return null;
            }

            total += value;
        }

        return (long.Parse(fields[8], CultureInfo.InvariantCulture), total);
    }

    private static long? Field(string? text, string name)
    {
        string? line = text?.Split('\n').FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return line is not null && long.TryParse(line.AsSpan(name.Length + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? value : null;
    }
}
