namespace EdgeLm.Core.Benchmarks;

/// <summary>
/// The one local results file a fleet benchmark merges every board's records into, each run once: a record whose
/// (DeviceName, RunKey) is already there is skipped, so a board that resumed, or whose file is read back after it
/// finished, never duplicates a run. Boards stream concurrently: every call is serialized here. Records are
/// appended, flushed and synced as they arrive, as a single board's benchmark does.
/// </summary>
public sealed class FleetResults : IDisposable
{
    private readonly object _gate = new();
    private readonly ResultStore _store;
    private readonly HashSet<(string DeviceName, string RunKey)> _saved;

    private FleetResults(ResultStore store)
    {
        _store = store;
        _saved = new HashSet<(string, string)>(store.DeviceKeys);
        ExistingRecords = store.Records;
    }

    public string Path => _store.Path;

    /// <summary>Records in the file when it was opened (with -Resume).</summary>
    public int ExistingRecords { get; }

    /// <summary>What was removed from the end of the file on open (a kill mid-write), if anything.</summary>
    public string? Repaired => _store.Repaired;

    /// <summary>Opens the merged file; without <paramref name="resume"/> a file that already holds results is refused rather than mixed into.</summary>
    public static FleetResults Open(string path, bool resume) => new(ResultStore.Open(path, resume));

    /// <summary>Appends a record streamed from a board; false when that board's run is already in the file.</summary>
    public bool Add(InferenceResult result, FleetBoardTally tally)
    {
        lock (_gate)
        {
            tally.Note(result);
            if (!_saved.Add(KeyOf(result)))
            {
                tally.AlreadySaved++;
                return false;
            }

            _store.Append(result);
            tally.Received++;
            return true;
        }
    }

    /// <summary>
    /// A record as the board saved it (one JSON line), appended when new: the record, or null when that board's run is
    /// already in the file or the line is no record (the board's file, read back at the end, counts those).
    /// </summary>
    public InferenceResult? AddLine(string line, FleetBoardTally tally) =>
        ResultStore.TryParse(line.Trim()) is InferenceResult record && Add(record, tally) ? record : null;

    /// <summary>
    /// Appends the records of a board's own results file (its text) that are not in the merged file yet: runs the board
    /// completed and saved whose streamed copy was lost when the connection dropped. Returns them, in file order.
    /// </summary>
    public IReadOnlyList<InferenceResult> Reconcile(string boardFileText, FleetBoardTally tally)
    {
        var recovered = new List<InferenceResult>();
        int unreadable = 0;
        string[] lines = boardFileText.Split('\n');
        lock (_gate)
        {
            foreach (string raw in lines)
            {
                string line = raw.Trim();
                if (line.Length == 0)
                {
                    continue;
                }

                InferenceResult? record = ResultStore.TryParse(line);
                if (record is null)
                {
                    unreadable++;
                    continue;
                }

                tally.Note(record);
                if (_saved.Add(KeyOf(record)))
                {
                    _store.Append(record);
                    tally.Recovered++;
                    recovered.Add(record);
                }
            }
        }

        // Of the file as last read: reading it again finds the same lines.
        tally.Unreadable = unreadable;
        return recovered;
    }

    public void Dispose() => _store.Dispose();

    // A benchmark's records always carry a RunKey; a record without one is told apart by its RunId.
    private static (string, string) KeyOf(InferenceResult result) =>
        (result.DeviceName, string.IsNullOrEmpty(result.RunKey) ? "run:" + result.RunId : result.RunKey);
}
