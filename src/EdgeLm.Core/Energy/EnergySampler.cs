using System.Diagnostics;
using System.Globalization;

namespace EdgeLm.Core.Energy;

/// <summary>Energy over one window of a sampler's timeline.</summary>
internal sealed record EnergyWindow(double Joules, double Seconds, int Samples, double? PeakWatts);

/// <summary>
/// Reads the selected sources on a background thread on the monotonic clock (Stopwatch, CLOCK_MONOTONIC on Linux,
/// the same clock in the worker process, so its token timestamps can mark windows here). Counters are read once per
/// interval (at least once a second, so a RAPL counter cannot wrap twice unseen) and differenced. Power sources are
/// read at a random point in each interval slot (see <see cref="SampleSchedule"/>), so a load that is periodic at the
/// sampling rate or one of its harmonics cannot bias the mean; those whose sensor updates faster are read up to
/// <see cref="PowerOversampling"/> times per interval (never more often than every <see cref="ShortestPowerSlot"/>,
/// never faster than they update), which cuts the random error a load faster than the interval leaves. Readings are
/// checked and kept as a cumulative energy curve (<see cref="EnergySeries"/>: power integrated with the trapezoid rule,
/// counters unwrapped). <see cref="SampleNow"/> adds a reading at a window edge. Windows between samples interpolate.
/// </summary>
internal sealed class EnergySampler : IDisposable
{
    /// <summary>How many times per interval a power source that updates fast enough is read.</summary>
    public const int PowerOversampling = 20;

    /// <summary>The shortest slot a power source is read in unless the interval asked for is shorter still.</summary>
    public static readonly TimeSpan ShortestPowerSlot = TimeSpan.FromMilliseconds(5);

    private readonly EnergySelection _selection;
    private readonly List<EnergySeries> _series;
    private readonly List<string> _warnings = new();
    private readonly Thread _thread;
    // No spinning before blocking: a sampler waking 10 times a second must cost next to nothing.
    private readonly ManualResetEventSlim _stop = new(false, 0);
    private readonly object _gate = new();
    private readonly object _readGate = new();
    private readonly Random _jitter;
    private readonly TimeSpan[] _slots;
    private string? _threadStat;
    private long _cpuAtStart;
    private long _startTimestamp;

    /// <param name="seed">Seeds the jitter (tests); null draws one.</param>
    public EnergySampler(EnergySelection selection, TimeSpan interval, int? seed = null)
    {
        _selection = selection;
        Interval = interval;
        _jitter = seed is int s ? new Random(s) : new Random();
        _slots = selection.Parts.Select(p => SlotOf(p, interval)).ToArray();
        _series = selection.Parts.Select(p => new EnergySeries(p)).ToList();
        _thread = new Thread(Run) { IsBackground = true, Name = "edgelm energy sampler" };
    }

    public TimeSpan Interval { get; }
    public EnergySelection Selection => _selection;

    /// <summary>The time between reads of the source read least often (counters and slow sensors: the interval).</summary>
    public TimeSpan SampleInterval => _slots.Length == 0 ? Interval : _slots.Max();

    /// <summary>
    /// How often a source is read: counters once per interval, at least once a second; power sources as often as the
    /// interval allows, up to <see cref="PowerOversampling"/> times per interval where the sensor updates that fast.
    /// </summary>
    internal static TimeSpan SlotOf(IEnergySource source, TimeSpan interval) => source.IsCounter
        ? Min(Max(interval, source.MinimumInterval), TimeSpan.FromSeconds(1))
        : Max(source.MinimumInterval, Min(interval, Max(interval / PowerOversampling, ShortestPowerSlot)));

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
    /// Reads every source now (at a window's edge) and returns the time the readings are stamped with (the middle of
    /// the reads), so a window starting or ending there begins or ends exactly on them.
    /// </summary>
    public long SampleNow()
    {
        lock (_readGate)
        {
            long before = Stopwatch.GetTimestamp();
            var values = new double?[_series.Count];
            for (int i = 0; i < _series.Count; i++)
            {
                values[i] = TryRead(_series[i]);
            }

            long timestamp = Middle(before, Stopwatch.GetTimestamp());
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
    public EnergyWindow Measure(long fromTimestamp, long toTimestamp) => Measure(_series, fromTimestamp, toTimestamp);

    /// <summary>Energy between two monotonic timestamps from one of the selected sources (by its place in the selection).</summary>
    public EnergyWindow MeasurePart(int part, long fromTimestamp, long toTimestamp) => Measure(new[] { _series[part] }, fromTimestamp, toTimestamp);

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }

    private EnergyWindow Measure(IReadOnlyList<EnergySeries> series, long fromTimestamp, long toTimestamp)
    {
        double joules = 0;
        int samples = int.MaxValue;
        double? peak = null;
        lock (_gate)
        {
            foreach (EnergySeries one in series)
            {
                joules += one.Energy(fromTimestamp, toTimestamp);
                samples = Math.Min(samples, one.CountBetween(fromTimestamp, toTimestamp));
                // The sum of each source's highest power inside the window.
                if (one.Peak(fromTimestamp, toTimestamp) is double p)
                {
                    peak = (peak ?? 0) + p;
                }
            }
        }

        // Exact ticks, not a TimeSpan (100 ns steps), so watts = joules / seconds agrees with the integration.
        double seconds = (double)(toTimestamp - fromTimestamp) / Stopwatch.Frequency;
        return new EnergyWindow(joules, seconds, samples == int.MaxValue ? 0 : samples, peak);
    }

    private void Run()
    {
        _threadStat = ThreadStatPath();
        _cpuAtStart = ThreadCpuNanoseconds() ?? 0;
        long now = Stopwatch.GetTimestamp();
        // Sources with the same slot share a lane and are read together: one wake-up for all of a board's rails.
        var lanes = Enumerable.Range(0, _series.Count)
            .GroupBy(i => (Slot: Ticks(_slots[i]), _series[i].Source.IsCounter))
            .Select(g => (Schedule: new SampleSchedule(g.Key.Slot, now, g.Key.IsCounter ? null : _jitter), Members: g.ToArray()))
            .ToArray();

        try
        {
            while (!_stop.IsSet)
            {
                long due = long.MaxValue;
                foreach (var lane in lanes)
                {
                    due = Math.Min(due, lane.Schedule.Due);
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
                foreach (var lane in lanes)
                {
                    if (now >= lane.Schedule.Due)
                    {
                        foreach (int member in lane.Members)
                        {
                            Take(member);
                        }

                        lane.Schedule.Advance(Stopwatch.GetTimestamp());
                    }
                }
            }
        }
        catch (ThreadInterruptedException)
        {
            // Stop woke us.
        }
    }

    // Reads are serialised (edge reads come from other threads) so each series stays in time order. A reading is
    // stamped with the middle of its read: a slow source (a process, an HTTP meter) took its value somewhere inside.
    private void Take(int index)
    {
        lock (_readGate)
        {
            long before = Stopwatch.GetTimestamp();
            if (TryRead(_series[index]) is double value)
            {
                Record(_series[index], Middle(before, Stopwatch.GetTimestamp()), value);
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

    private static long Middle(long before, long after) => before + (after - before) / 2;
    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
