namespace EdgeLm.Core.Benchmarks;

/// <summary>
/// What one board of a fleet added to the merged results file: runs received as they completed, runs recovered from
/// the board's own results file afterwards (completed there, lost on the way), and runs already in the merged file
/// (a board that resumed sends its earlier runs again only when they were never received).
/// </summary>
public sealed class FleetBoardTally
{
    public FleetBoardTally(string board)
    {
        Board = board;
    }

    public string Board { get; }

    /// <summary>The DeviceName the board's records carry (its $EDGELM_DEVICE_NAME or host name); null until its first record.</summary>
    public string? DeviceName { get; internal set; }

    public int Received { get; internal set; }

    public int Recovered { get; internal set; }

    public int AlreadySaved { get; internal set; }

    /// <summary>Lines of the board's file that were no record (a run cut short by a kill leaves half a line).</summary>
    public int Unreadable { get; internal set; }

    public string Describe()
    {
        string device = DeviceName is null || DeviceName == Board ? string.Empty : $" ({DeviceName})";
        string recovered = Recovered > 0 ? $", {Recovered} recovered from its results file" : string.Empty;
        string saved = AlreadySaved > 0 ? $", {AlreadySaved} already in the merged file" : string.Empty;
        string unreadable = Unreadable > 0 ? $", {Unreadable} unreadable line(s) in its file skipped" : string.Empty;
        return $"{Board}{device}: {Received} run(s) received{recovered}{saved}{unreadable}";
    }
}
