using System.Diagnostics;
using System.Globalization;

namespace EdgeLm.Core.Energy;

/// <summary>
/// One source's readings as a cumulative energy curve on the monotonic clock: a counter's joules with wraps and
/// resets undone, or a power source's watts integrated with the trapezoid rule as they arrive. A window's energy is
/// the curve's rise across it, so it is never negative and never NaN.
/// <para>
/// Every reading is checked before it counts. A reading that is not a finite number, is negative, or is above
/// <see cref="MaximumWatts"/> (a power reading, or a counter step implying more) is dropped and reported in
/// <see cref="Problems"/>. A counter that goes back is a wrap only when the step across the range is plausible
/// (it was near its range and restarted near 0), else a reset to 0 when what it counted since is plausible, else a
/// glitch: dropped, and if the counter stays at its new value, the jump is not counted. A range of 0 or less is unknown.
/// </para>
/// <para>
/// Memory is bounded: past <see cref="Capacity"/> readings, every other reading of the older half is folded away.
/// The curve stays exact at the readings kept, so windows in old history lose only their inner detail.
/// </para>
/// </summary>
internal sealed class EnergySeries
{
    /// <summary>The most a single board, rail or GPU can draw; anything above is a broken sensor, not a load.</summary>
    public const double MaximumWatts = 10_000;

    /// <summary>How much a counter may move between two reads taken almost together: a sensor updates in steps.</summary>
    private static readonly TimeSpan UpdateSlack = TimeSpan.FromMilliseconds(100);

    private readonly List<long> _times = new();
    private readonly List<double> _energy = new(); // cumulative joules at each reading
    private readonly List<double> _watts = new(); // power sources: the reading itself (counters: empty)
    private readonly List<long> _ordinals = new(); // how many readings were accepted up to and including this one
    private readonly Dictionary<string, (int Count, string First)> _problems = new(StringComparer.Ordinal);
    private readonly double? _range;
    private readonly double _slackSeconds;
    private long _accepted;
    private double _lastRaw;
    private (long Time, double Raw)? _pending; // a counter reading that jumped; kept to see whether the counter stays there

    public EnergySeries(IEnergySource source, int capacity = 1 << 17)
    {
        Source = source;
        Capacity = Math.Max(capacity, 16);
        _range = source.CounterRangeJoules is double r && double.IsFinite(r) && r > 0 ? r : null;
        _slackSeconds = Math.Max(source.MinimumInterval.TotalSeconds, UpdateSlack.TotalSeconds);
    }

    public IEnergySource Source { get; }
    public int Capacity { get; }
    public int Count => _times.Count;

    /// <summary>What was dropped or taken as a reset, one line per kind with how often.</summary>
    public IEnumerable<string> Problems =>
        _problems.Select(p => p.Value.Count > 1 ? $"{Source.Name}: {p.Value.First} ({p.Value.Count} times)" : $"{Source.Name}: {p.Value.First}");

    /// <summary>Adds a reading taken at <paramref name="timestamp"/> (Stopwatch ticks, after every earlier one).</summary>
    public void Add(long timestamp, double raw)
    {
        if (_times.Count > 0 && timestamp <= _times[^1])
        {
            return; // not after the last reading: it adds no time to integrate over
        }

        if (!double.IsFinite(raw) || raw < 0 || (!Source.IsCounter && raw > MaximumWatts))
        {
            string unit = Source.IsCounter ? "J" : "W";
            string why = !double.IsFinite(raw) ? "not a finite number" : raw < 0 ? "negative" : $"above {MaximumWatts:0} W";
            Problem(why, $"a reading of {Show(raw)} {unit} was dropped ({why})");
            return;
        }

        if (!Source.IsCounter)
        {
            double energy = _times.Count == 0 ? 0 : _energy[^1] + (_watts[^1] + raw) / 2 * Seconds(_times[^1], timestamp);
            Append(timestamp, energy, raw);
            return;
        }

        if (_times.Count == 0)
        {
            _lastRaw = raw;
            Append(timestamp, 0, 0);
            return;
        }

        if (Step(_lastRaw, raw, Seconds(_times[^1], timestamp)) is (double delta, var reset))
        {
            _pending = null;
            if (reset is not null)
            {
                Problem("reset", reset);
            }

            _lastRaw = raw;
            Append(timestamp, _energy[^1] + delta, 0);
            return;
        }

        if (_pending is (long pendingTime, double pendingRaw) && Step(pendingRaw, raw, Seconds(pendingTime, timestamp)) is (double since, _))
        {
            // The counter stayed where it jumped to: it was set or restarted there. Nothing is counted across the jump.
            Problem("rebase", $"the counter jumped from {Show(_lastRaw)} J to {Show(pendingRaw)} J and stayed there; energy across the jump is not counted");
            _pending = null;
            Append(pendingTime, _energy[^1], 0);
            _lastRaw = raw;
            Append(timestamp, _energy[^1] + since, 0);
            return;
        }

        Problem("glitch", $"a counter reading of {Show(raw)} J after {Show(_lastRaw)} J was dropped: no wrap or reset explains the step below {MaximumWatts:0} W");
        _pending = (timestamp, raw);
    }

    /// <summary>Readings taken between two times, edges included (folded-away readings counted).</summary>
    public int CountBetween(long from, long to)
    {
        int first = LowerBound(from);
        int last = LowerBound(to + 1) - 1;
        return last < first ? 0 : (int)(_ordinals[last] - _ordinals[first] + 1);
    }

    /// <summary>Joules between two times: the curve's rise, held flat (power: the last watts) beyond the readings.</summary>
    public double Energy(long from, long to)
    {
        if (to <= from || _times.Count == 0)
        {
            return 0;
        }

        double rise = EnergyAt(to) - EnergyAt(from);
        return rise > 0 ? rise : 0; // the curve never falls; this also keeps a NaN from ever leaving
    }

    /// <summary>The highest power inside the window: a power reading, or a counter's rise over at least half its update interval.</summary>
    public double? Peak(long from, long to)
    {
        int first = LowerBound(from);
        int end = LowerBound(to + 1);
        double? peak = null;
        if (!Source.IsCounter)
        {
            for (int i = first; i < end; i++)
            {
                peak = Math.Max(peak ?? 0, _watts[i]);
            }

            return peak;
        }

        // Reads a few microseconds apart (a window edge next to a scheduled read) straddle a sensor update now and
        // then; over so short a span the counter's step is not a power.
        double span = Math.Max(Source.MinimumInterval.TotalSeconds / 2, 0.001);
        int start = Math.Max(first - 1, 0);
        for (int i = start + 1; i < Math.Min(end + 1, _times.Count); i++)
        {
            double seconds = Seconds(_times[start], _times[i]);
            if (seconds >= span)
            {
                peak = Math.Max(peak ?? 0, (_energy[i] - _energy[start]) / seconds);
                start = i;
            }
        }

        return peak;
    }

    // The step from one raw counter value to the next as (joules, a reset warning or null); null when implausible.
    private (double Joules, string? Reset)? Step(double last, double raw, double seconds)
    {
        double allowed = MaximumWatts * (Math.Max(seconds, 0) + _slackSeconds);
        if (raw >= last)
        {
            return raw - last <= allowed ? (raw - last, null) : null;
        }

        if (_range is double range && last <= range && range - last + raw <= allowed)
        {
            return (range - last + raw, null); // (cur - prev) mod range: one wrap, which the read rate guarantees
        }

        return raw <= allowed
            ? (raw, $"the counter went back from {Show(last)} J to {Show(raw)} J (reset); energy across the reset is approximate")
            : null;
    }

    private double EnergyAt(long time)
    {
        int index = _times.BinarySearch(time);
        if (index >= 0)
        {
            return _energy[index];
        }

        index = ~index;
        bool power = !Source.IsCounter;
        if (index == 0)
        {
            return power ? _energy[0] - _watts[0] * Seconds(time, _times[0]) : _energy[0];
        }

        int a = index - 1;
        if (index >= _times.Count)
        {
            return power ? _energy[a] + _watts[a] * Seconds(_times[a], time) : _energy[a];
        }

        double fraction = (double)(time - _times[a]) / (_times[index] - _times[a]);
        if (power)
        {
            // The trapezoid's share of the gap up to this time (watts linear across it), scaled onto the curve so a
            // gap whose inner readings were folded away still ends exactly on its reading.
            double wa = _watts[a], wb = _watts[index];
            double whole = (wa + wb) / 2;
            if (whole > 0)
            {
                fraction = (wa + (wa + (wb - wa) * fraction)) / 2 * fraction / whole;
            }
        }

        return _energy[a] + (_energy[index] - _energy[a]) * fraction;
    }

    private void Append(long timestamp, double energy, double watts)
    {
        _times.Add(timestamp);
        _energy.Add(energy);
        if (!Source.IsCounter)
        {
            _watts.Add(watts);
        }

        _ordinals.Add(++_accepted);
        if (_times.Count > Capacity)
        {
            Fold();
        }
    }

    // Drops every other reading of the older half (the first reading stays).
    private void Fold()
    {
        int half = _times.Count / 2;
        int write = 1;
        for (int read = 1; read < _times.Count; read++)
        {
            if (read < half && read % 2 == 1)
            {
                continue;
            }

            _times[write] = _times[read];
            _energy[write] = _energy[read];
            _ordinals[write] = _ordinals[read];
            if (!Source.IsCounter)
            {
                _watts[write] = _watts[read];
            }

            write++;
        }

        int removed = _times.Count - write;
        _times.RemoveRange(write, removed);
        _energy.RemoveRange(write, removed);
        _ordinals.RemoveRange(write, removed);
        if (!Source.IsCounter)
        {
            _watts.RemoveRange(write, removed);
        }
    }

    private int LowerBound(long time)
    {
        int index = _times.BinarySearch(time);
        return index >= 0 ? index : ~index;
    }

    private void Problem(string kind, string message) =>
        _problems[kind] = _problems.TryGetValue(kind, out var known) ? (known.Count + 1, known.First) : (1, message);

    private static string Show(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static double Seconds(long from, long to) => (double)(to - from) / Stopwatch.Frequency;
}
