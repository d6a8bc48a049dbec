using System.Diagnostics;
using System.Globalization;

namespace EdgeLm.Core.Energy;

/// <summary>Energy over one window of a sampler's timeline.</summary>
internal sealed record EnergyWindow(double Joules, double Seconds, int Samples, double? PeakWatts);

/// <summary>
/// Reads the selected sources on a background thread on the monotonic clock (Stopwatch, CLOCK_MONOTONIC on Linux,
/// the same clock in the worker process, so its token timestamps can mark windows here). Power sources are read at
/// the interval (never faster than a sensor updates) and integrated with the trapezoid rule; counters are read as
/// often (at least once a second, so a RAPL counter cannot wrap twice unseen) and differenced. Readings are checked
/// and kept as a cumulative energy curve (<see cref="EnergySeries"/>: impossible readings dropped, wraps and resets
/// undone). <see cref="SampleNow"/> adds a reading at a window edge. Windows between samples interpolate.
/// </summary>
internal sealed class EnergySampler : IDisposable
{
    private readonly EnergySelection _selection;
    private readonly TimeSpan[] _intervals;
    private readonly List<EnergySeries> _series;
    private readonly List<string> _warnings = new();
    private readonly Thread _thread;
    // No spinning before blocking: a sampler waking 10 times a second must cost next to nothing.
    private readonly ManualResetEventSlim _stop = new(false, 0);
    private readonly object _gate = new();
    private readonly object _readGate = new();
    private string? _threadStat;
    private long _cpuAtStart;
    private long _startTimestamp;

    public EnergySampler(EnergySelection selection, TimeSpan interval)
    {
        _selection = selection;
        Interval = interval;
        // Counters need a read at least every second for wrap safety; power sources no faster than they update.
        _intervals = selection.Parts.Select(p => p.IsCounter ? Min(Max(interval, p.MinimumInterval), TimeSpan.FromSeconds(1)) : Max(interval, p.MinimumInterval)).ToArray();
        _series = selection.Parts.Select(p => new EnergySeries(p)).ToList();
        _thread = new Thread(Run) { IsBackground = true, Name = "edgelm energy sampler" };
    }

    public TimeSpan Interval { get; }
    public EnergySelection Selection => _selection;

    /// <summary>Read failures, and readings dropped as impossible or taken as counter resets.</summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_gate)
            {
                return _warnings.Concat(_series.SelectMany(s => s.Problems)).ToArray();
            }
        }
    }

    public void Start()
    {
        _startTimestamp = Stopwatch.GetTimestamp();
        SampleNow();
        _thread.Start();
    }

    /// <summary>
    /// Reads every source now (at a window's edge) and returns the time the readings are stamped with, so a window
    /// starting or ending there begins or ends exactly on them.
    /// </summary>
    public long SampleNow()
    {
        lock (_readGate)
        {
            var values = new double?[_series.Count];
            for (int i = 0; i < _series.Count; i++)
            {
                values[i] = TryRead(_series[i]);
            }

            long timestamp = Stopwatch.GetTimestamp();
            for (int i = 0; i < _series.Count; i++)
            {
                if (values[i] is double value)
                {
                    Record(_series[i], timestamp, value);
                }
            }

            return timestamp;
        }
    }

    public void Stop()
    {
        if (_stop.IsSet)
        {
            return;
        }

        _stop.Set();
        if (_thread.IsAlive)
        {
            _thread.Interrupt();
            _thread.Join();
        }

        SampleNow();
    }

    /// <summary>The sampler thread's CPU time as a percentage of one core since <see cref="Start"/>.</summary>
    public double? CpuPercent()
    {
        long? nanoseconds = ThreadCpuNanoseconds();
        if (nanoseconds is null)
        {
            return null;
        }

        double seconds = Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds;
        return seconds > 0 ? (nanoseconds.Value - _cpuAtStart) / 1e9 / seconds * 100 : null;
    }

    /// <summary>Energy between two monotonic timestamps, summed over the selected sources.</summary>
    public EnergyWindow Measure(long fromTimestamp, long toTimestamp)
    {
        double joules = 0;
        int samples = int.MaxValue;
        lock (_gate)
        {
            foreach (EnergySeries series in _series)
            {
                joules += series.Energy(fromTimestamp, toTimestamp);
                samples = Math.Min(samples, series.CountBetween(fromTimestamp, toTimestamp));
            }
        }

        // Exact ticks, not a TimeSpan (100 ns steps), so watts = joules / seconds agrees with the integration.
        double seconds = (double)(toTimestamp - fromTimestamp) / Stopwatch.Frequency;
        return new EnergyWindow(joules, seconds, samples == int.MaxValue ? 0 : samples, PeakWatts(fromTimestamp, toTimestamp));
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }

    private void Run()
    {
        _threadStat = ThreadStatPath();
        _cpuAtStart = ThreadCpuNanoseconds() ?? 0;
        var next = new long[_series.Count];
        var intervals = new long[_series.Count];
        long now = Stopwatch.GetTimestamp();
        for (int i = 0; i < next.Length; i++)
        {
            intervals[i] = Ticks(_intervals[i]);
            next[i] = now + intervals[i];
        }

        try
        {
            while (!_stop.IsSet)
            {
                long due = long.MaxValue;
                foreach (long n in next)
                {
                    due = Math.Min(due, n);
                }

                // A plain sleep: an event wait with a timeout costs several times more CPU per wake-up, and this
                // thread wakes ten times a second for hours. Stop interrupts the sleep.
                long wait = due - Stopwatch.GetTimestamp();
                if (wait > 0)
                {
                    // Whole milliseconds, rounded up: Sleep truncates, and a 0 ms sleep would spin until the deadline.
                    Thread.Sleep((int)Math.Ceiling(wait * 1000.0 / Stopwatch.Frequency));
                }

                now = Stopwatch.GetTimestamp();
                for (int i = 0; i < next.Length; i++)
                {
                    if (now >= next[i])
                    {
                        Take(i);
                        // Fixed cadence from the schedule, not from the read's end, so slow reads do not drift it.
                        next[i] += intervals[i];
                        if (next[i] <= now)
                        {
                            next[i] = now + intervals[i];
                        }
                    }
                }
            }
        }
        catch (ThreadInterruptedException)
        {
            // Stop woke us.
        }
    }

    // Reads are serialised (edge reads come from other threads) so each series stays in time order.
    private void Take(int index)
    {
        lock (_readGate)
        {
            if (TryRead(_series[index]) is double value)
            {
                Record(_series[index], Stopwatch.GetTimestamp(), value);
            }
        }
    }

    private double? TryRead(EnergySeries series)
    {
        try
        {
            return series.Source.Read();
        }
        catch (EnergyReadException e)
        {
            Warn($"{series.Source.Name}: {e.Message}");
            return null;
        }
    }

    private void Record(EnergySeries series, long timestamp, double value)
    {
        lock (_gate)
        {
            series.Add(timestamp, value);
        }
    }

    private void Warn(string message)
    {
        lock (_gate)
        {
            if (!_warnings.Contains(message))
            {
                _warnings.Add(message);
            }
        }
    }

    // The highest total power between two consecutive readings inside the window.
    private double? PeakWatts(long from, long to)
    {
        lock (_gate)
        {
            double? peak = null;
            foreach (EnergySeries series in _series)
            {
                double? p = series.Peak(from, to);
                if (p is double value)
                {
                    peak = (peak ?? 0) + value;
                }
            }

            return peak;
        }
    }

    private static string? ThreadStatPath()
    {
        try
        {
            // /proc/thread-self points at /proc/<pid>/task/<tid> of the thread that resolves it.
            FileSystemInfo? target = new DirectoryInfo("/proc/thread-self").ResolveLinkTarget(returnFinalTarget: false);
            return target is null ? null : Path.Combine(target.FullName, "schedstat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // Nanoseconds the sampler thread has run, from the scheduler's own accounting (schedstat's first field). The
    // tick-sampled utime/stime of /proc/.../stat would charge a thread that wakes on the timer tick a whole tick.
    private long? ThreadCpuNanoseconds()
    {
        try
        {
            if (_threadStat is null)
            {
                return null;
            }

            return long.Parse(File.ReadAllText(_threadStat).Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
