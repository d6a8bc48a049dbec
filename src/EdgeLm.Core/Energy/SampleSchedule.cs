namespace EdgeLm.Core.Energy;

/// <summary>
/// One lane of the sampler's timetable: time cut into slots of equal length, one read in each. Counters are read at
/// each slot's end (a fixed cadence: the hardware integrates, so no load can alias them). Power sources are read at a
/// random point inside each slot (stratified jitter): the mean rate and the longest gap (under two slots) stay, but
/// no periodic load can stay in step with the reads, so none can bias the mean, whatever its frequency.
/// </summary>
internal sealed class SampleSchedule
{
    private readonly Random? _jitter;
    private long _slotStart;

    public SampleSchedule(long slotTicks, long start, Random? jitter)
    {
        Slot = Math.Max(slotTicks, 1);
        _jitter = jitter;
        _slotStart = start;
        Due = PointIn(_slotStart);
    }

    /// <summary>The slot's length in Stopwatch ticks.</summary>
    public long Slot { get; }

    /// <summary>When the current slot's read is due.</summary>
    public long Due { get; private set; }

    /// <summary>Moves on to the next slot after a read at <paramref name="now"/>.</summary>
    public void Advance(long now)
    {
        _slotStart += Slot;
        if (_slotStart + Slot <= now)
        {
            // A whole slot went by unread (the machine stalled us): start afresh from now rather than catch up in a burst.
            _slotStart = now;
        }

        Due = PointIn(_slotStart);
    }

    private long PointIn(long slotStart) => slotStart + (_jitter is null ? Slot : (long)(_jitter.NextDouble() * Slot));
}
