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

    /// <summary>The EdgeLm version the board's records carry (empty from a build older than that column); null until its first record.</summary>
    public string? EdgeLmVersion { get; private set; }

    private bool _versionWarned;

    public int Received { get; internal set; }

    public int Recovered { get; internal set; }

    public int AlreadySaved { get; internal set; }

    /// <summary>Lines of the board's file that were no record (a run cut short by a kill leaves half a line).</summary>
    public int Unreadable { get; internal set; }

    /// <summary>Takes the board's name and version from its first record.</summary>
    internal void Note(InferenceResult record)
    {
        DeviceName ??= record.DeviceName;
        EdgeLmVersion ??= record.EdgeLmVersion;
    }

    /// <summary>
    /// Once per board, when its records come from another EdgeLm than this one: its figures may be measured
    /// differently or lack columns, so the merged file would compare unlike with unlike. Null otherwise.
    /// </summary>
    public string? TakeVersionWarning(string deploy)
    {
        if (_versionWarned || EdgeLmVersion is null || EdgeLmVersion == EdgeLmBuild.Version)
        {
            return null;
        }

        _versionWarned = true;
        // The board's text goes to the user's terminal: only a plausible version is repeated, never escapes or pages of it.
        string theirs = EdgeLmVersion.Length == 0 ? "an older EdgeLm (its records carry no EdgeLmVersion)"
            : EdgeLmVersion.Length <= 40 && EdgeLmVersion.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '+') ? $"EdgeLm {EdgeLmVersion}"
            : "an EdgeLm whose records carry an unreadable EdgeLmVersion";
        return $"{Board} runs {theirs}, this machine EdgeLm {EdgeLmBuild.Version}: its records may be measured differently or lack " +
            $"columns; {deploy} so that every board runs the same";
    }

    public string Describe()
    {
        string device = DeviceName is null || DeviceName == Board ? string.Empty : $" ({DeviceName})";
        string recovered = Recovered > 0 ? $", {Recovered} recovered from its results file" : string.Empty;
        string saved = AlreadySaved > 0 ? $", {AlreadySaved} already in the merged file" : string.Empty;
        string unreadable = Unreadable > 0 ? $", {Unreadable} unreadable line(s) in its file skipped" : string.Empty;
        return $"{Board}{device}: {Received} run(s) received{recovered}{saved}{unreadable}";
    }
}
