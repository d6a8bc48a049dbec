using System.Management.Automation;
using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Cmdlets.Fleet;

/// <summary>
/// A plan on every board at once, one remote pipeline per board, every record merged into one local results file as
/// it arrives. A board that fails is an error naming it; the others carry on. Each board's tally goes to -Verbose.
/// </summary>
internal static class FleetRun
{
    public static void Run(IReadOnlyList<BoardTarget> boards, FleetRequest request, string outputPath, CoreCall call)
    {
        using FleetResults merged = FleetResults.Open(outputPath, request.Resume);
        if (merged.Repaired is string repaired)
        {
            call.WriteWarning($"{merged.Path}: {repaired}");
        }

        if (merged.ExistingRecords > 0)
        {
            call.WriteVerbose($"resuming: {merged.ExistingRecords} record(s) already in {merged.Path}; each board goes on from its own results file");
        }

        BoardRun[] runs = boards.Select((board, i) => new BoardRun(board, request, merged, call, i + 1)).ToArray();
        Task[] tasks = runs.Select(run => Task.Factory.StartNew(() => RunOne(run, call), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        Task.WaitAll(tasks);
        call.CancellationToken.ThrowIfCancellationRequested();
        foreach (BoardRun run in runs)
        {
            call.WriteVerbose(run.Tally.Describe());
        }
    }

    // A board's unexpected failure is still only that board's: reported, never thrown into the others' wait.
    private static void RunOne(BoardRun run, CoreCall call)
    {
        try
        {
            run.Run(call.CancellationToken);
        }
        catch (OperationCanceledException) when (call.CancellationToken.IsCancellationRequested)
        {
            // Stopped by Ctrl+C: the command ends as stopped once every board has.
        }
        catch (Exception e)
        {
            call.WriteError(new ErrorRecord(new FleetBoardException(run.Tally.Board, e.Message, e), "BoardFailed", ErrorCategory.NotSpecified, run.Tally.Board));
        }
    }
}
