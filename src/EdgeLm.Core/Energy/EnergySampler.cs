using System.Diagnostics;
using System.Globalization;

namespace EdgeLm.Core.Energy;

/// <summary>Energy over one window of a sampler's timeline.</summary>
internal sealed record EnergyWindow(double Joules, double Seconds, int Samples, double? PeakWatts);

/// <summary>
/// Reads the selected sources on a background thread on the monotonic clock (Stopwatch, CLOCK_MONOTONIC on Linux,
/// the same clock in the worker process, so its token timestamps can mark windows here). Power sources are read at
/// the interval (never faster than a sensor updates) and integrated with the trapezoid rule; counters are read as
/// often (at least once a second, so a RAPL counter cannot wrap twice unseen), unwrapped modulo their range, and
/// differenced. <see cref="SampleNow"/> adds a reading at a window edge. Windows between samples interpolate linearly.
/// </summary>
internal sealed class EnergySampler : IDisposable
{
    private readonly EnergySelection _selection;
    private readonly TimeSpan[] _intervals;
    private readonly List<Series> _series;
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
        _series = selection.Parts.Select(p => new Series(p)).ToList();
        _thread = new Thread(Run) { IsBackground = true, Name = "edgelm energy sampler" };
    }

    public TimeSpan Interval { get; }
    public EnergySelection Selection => _selection;

    public IReadOnlyList<string> Warnings
    {
        get { lock (_gate) { return _warnings.ToArray(); } }
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
            foreach (Series series in _series)
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

    private double? TryRead(Series series)
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

    private void Record(Series series, long timestamp, double value)
    {
        string? problem;
        lock (_gate)
        {
            problem = series.Add(timestamp, value);
        }

        if (problem is not null)
        {
            Warn(problem);
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
            foreach (Series series in _series)
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

    /// <summary>One source's readings: watts, or a counter's cumulative joules with wraps undone.</summary>
    private sealed class Series(IEnergySource source)
    {
        private readonly List<long> _times = new();
        private readonly List<double> _values = new();
        private double? _lastRaw;
        private double _offset;

        public IEnergySource Source { get; } = source;

        /// <summary>Adds a reading; returns a warning when a counter went backwards without a known range (a reset).</summary>
        public string? Add(long timestamp, double raw)
        {
            string? problem = null;
            double value = raw;
            if (Source.IsCounter)
            {
                if (_lastRaw is double last && raw < last)
                {
                    if (Source.CounterRangeJoules is double range)
                    {
                        _offset += range; // (cur - prev) mod range: one wrap between reads, which the read rate guarantees
                    }
                    else
                    {
                        _offset += last; // a reset to 0: keep what was counted before it
                        problem = $"{Source.Name}: the counter went back from {last:0.###} J to {raw:0.###} J (reset); energy across the reset is approximate";
                    }
                }

                _lastRaw = raw;
                value = raw + _offset;
            }

            _times.Add(timestamp);
            _values.Add(value);
            return problem;
        }

        public int CountBetween(long from, long to) => _times.Count(t => t >= from && t <= to);

        public double Energy(long from, long to)
        {
            if (_times.Count == 0 || to <= from)
            {
                return 0;
            }

            if (Source.IsCounter)
            {
                return At(to) - At(from);
            }

            // Trapezoid over the readings inside the window plus interpolated values at its edges.
            double joules = 0;
            long previousTime = from;
            double previousWatts = At(from);
            for (int i = 0; i < _times.Count; i++)
            {
                if (_times[i] <= from)
                {
                    continue;
                }

                if (_times[i] >= to)
                {
                    break;
                }

                joules += (previousWatts + _values[i]) / 2 * Seconds(previousTime, _times[i]);
                previousTime = _times[i];
                previousWatts = _values[i];
            }

            joules += (previousWatts + At(to)) / 2 * Seconds(previousTime, to);
            return joules;
        }

        public double? Peak(long from, long to)
        {
            double? peak = null;
            for (int i = 1; i < _times.Count; i++)
            {
                if (_times[i] < from || _times[i - 1] > to)
                {
                    continue;
                }

                double watts = Source.IsCounter
                    ? (_values[i] - _values[i - 1]) / Math.Max(Seconds(_times[i - 1], _times[i]), 1e-9)
                    : _values[i];
                peak = Math.Max(peak ?? double.MinValue, watts);
            }

            return peak;
        }

        // The value at a time, linear between the readings around it, held flat beyond the first and last.
        private double At(long time)
        {
            int index = _times.BinarySearch(time);
            if (index >= 0)
            {
                return _values[index];
            }

            index = ~index;
            if (index == 0)
            {
                return _values[0];
            }

            if (index >= _times.Count)
            {
                return _values[^1];
            }

            double fraction = (double)(time - _times[index - 1]) / (_times[index] - _times[index - 1]);
            return _values[index - 1] + (_values[index] - _values[index - 1]) * fraction;
        }

        private static double Seconds(long from, long to) => (double)(to - from) / Stopwatch.Frequency;
    }
}
