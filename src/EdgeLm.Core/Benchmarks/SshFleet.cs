using System.Diagnostics;
using System.Globalization;

namespace EdgeLm.Core.Benchmarks;

/// <summary>What edgelm fleet asks: boards, a plan, the merged results file, and how to reach the boards over ssh.</summary>
public sealed record SshFleetRequest
{
    public IReadOnlyList<FleetBoard> Boards { get; init; } = Array.Empty<FleetBoard>();
    public string PlanPath { get; init; } = string.Empty;
    public string OutputPath { get; init; } = string.Empty;
    public bool Resume { get; init; }
    public string? UserName { get; init; }
    public string? KeyFilePath { get; init; }

    /// <summary>ssh -o options, NAME=VALUE.</summary>
    public IReadOnlyList<string> SshOptions { get; init; } = Array.Empty<string>();

    /// <summary>The edgelm to run on each board: a command on its PATH or a path there (the release archive's, README).</summary>
    public string RemoteEdgelm { get; init; } = "edgelm";

    public int ConnectTimeoutSeconds { get; init; } = 30;
}

/// <summary>
/// edgelm fleet: one plan on every board over plain ssh with the self-contained edgelm (no PowerShell anywhere), the
/// twin of Invoke-EdgeBenchmark -HostName. Each board gets the plan's text on stdin, saved in its EdgeLm cache under a
/// name taken from the text (<see cref="FleetPlanCopy"/>), and runs it with --resume against its own results file
/// there, printing each record as a JSON line, which goes into the merged file as it arrives; when a board is done
/// (or drops), its own file is read back for runs it saved but never sent. Boards run at once; one board's failure is
/// that board's error, and the others go on.
/// </summary>
public static class SshFleet
{
    // ssh's own exit status for its failures; 127 is the remote shell's "command not found".
    private const int SshFailed = 255;
    private const int CommandNotFound = 127;

    /// <summary>
    /// Runs the plan on every board; <paramref name="note"/> gets each board's progress lines, <paramref name="warning"/> what
    /// the user should act on but that stops nothing (a board running another EdgeLm), <paramref name="error"/> a board's failure.
    /// </summary>
    public static IReadOnlyList<FleetBoardTally> Run(SshFleetRequest request, Action<FleetBoard, string> note, Action<FleetBoard, string> warning,
        Action<FleetBoard, EdgeLmException> error, CancellationToken cancellationToken = default)
    {
        if (request.Boards.Count == 0)
        {
            throw new EdgeLmArgumentException("NoBoards", "no board to run on: give --hosts one or more hosts, comma-separated (host, host:port)");
        }

        string planText = InputFiles.ReadText(Path.GetFullPath(request.PlanPath), InputFiles.MaxDocumentBytes, "benchmark plan", "PlanNotFound");
        // Not checked here: its model paths are paths on the boards. Each board checks it and says what it refuses.
        string stem = FleetPlanCopy.Stem(planText);
        using FleetResults results = FleetResults.Open(request.OutputPath, request.Resume);
        FleetBoardTally[] tallies = request.Boards.Select(b => new FleetBoardTally(b.Name)).ToArray();
        Task[] boards = request.Boards.Select((board, i) => Task.Run(() =>
        {
            try
            {
                RunBoard(request, board, planText, stem, results, tallies[i], note, warning, cancellationToken);
            }
            catch (EdgeLmException e)
            {
                error(board, e);
            }
        }, CancellationToken.None)).ToArray();
        Task.WaitAll(boards, CancellationToken.None);
        cancellationToken.ThrowIfCancellationRequested();
        return tallies;
    }

    private static void RunBoard(SshFleetRequest request, FleetBoard board, string planText, string stem, FleetResults results, FleetBoardTally tally,
        Action<FleetBoard, string> note, Action<FleetBoard, string> warning, CancellationToken cancellationToken)
    {
        string folder = $"\"${{EDGELM_CACHE_DIR:-${{XDG_CACHE_HOME:-$HOME/.cache}}/edgelm}}/{FleetPlanCopy.Folder}\"";
        string keep = request.Resume ? string.Empty : $"if [ -f {folder}/{stem}.jsonl ]; then mv -f {folder}/{stem}.jsonl {folder}/{stem}.jsonl.previous; fi; ";
        string run = $"set -e; mkdir -p {folder}; cat > {folder}/{stem}.yaml; {keep}exec {Quote(request.RemoteEdgelm)} bench --plan {folder}/{stem}.yaml " +
            $"--out {folder}/{stem}.jsonl --resume --format json";
        string lastError = string.Empty;
        int exit = Ssh(request, board, run, planText, line =>
        {
            if (results.AddLine(line, tally) is InferenceResult record)
            {
                WarnOfVersion(tally, board, warning);
                note(board, $"{record.ModelName} {record.Quantization} t={record.Threads} run {record.Repetition}: {record.DecodeTokensPerSecond?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-"} tokens/s");
            }
        }, line =>
        {
            lastError = line;
            note(board, line);
        }, cancellationToken);

        // Whatever happened, the runs the board saved are fetched: a dropped connection loses no finished run.
        if (exit != SshFailed)
        {
            var saved = new List<string>();
            if (Ssh(request, board, $"cat {folder}/{stem}.jsonl 2>/dev/null || true", null, saved.Add, _ => { }, cancellationToken) == 0)
            {
                results.Reconcile(string.Join('\n', saved), tally);
                WarnOfVersion(tally, board, warning);
            }
        }

        note(board, tally.Describe());
        switch (exit)
        {
            case 0:
                return;
            case SshFailed:
                throw new EdgeLmException("BoardUnreachable", $"{board.Name}: ssh could not reach it: {lastError}");
            case CommandNotFound:
                throw new EdgeLmException("BoardEdgelmMissing",
                    $"{board.Name}: '{request.RemoteEdgelm}' was not found there; unpack the release archive on the board (README: Release archives) or give --remote-edgelm");
            default:
                throw new EdgeLmException("BoardFailed", $"{board.Name}: edgelm stopped (exit status {exit}): {lastError.Replace("edgelm: ", string.Empty)}; rerun with --resume to go on");
        }
    }

    private static void WarnOfVersion(FleetBoardTally tally, FleetBoard board, Action<FleetBoard, string> warning)
    {
        if (tally.TakeVersionWarning("unpack this machine's release archive there (README: Release archives)") is string different)
        {
            warning(board, different);
        }
    }

    /// <summary>Runs <paramref name="command"/> on the board, feeding it <paramref name="input"/>; each output line as it comes. Returns ssh's exit status.</summary>
    private static int Ssh(SshFleetRequest request, FleetBoard board, string command, string? input, Action<string> output, Action<string> error,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("ssh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in Arguments(request, board).Append(command))
        {
            start.ArgumentList.Add(argument);
        }

        using Process ssh = Process.Start(start) ?? throw new EdgeLmException("SshNotFound", "ssh did not start; install the OpenSSH client");
        using CancellationTokenRegistration kill = cancellationToken.Register(() =>
        {
            try
            {
                ssh.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        });
        Task errors = Task.Run(() =>
        {
            while (ssh.StandardError.ReadLine() is string line)
            {
                if (line.Trim().Length > 0 && !line.StartsWith("Warning: Permanently added", StringComparison.Ordinal))
                {
                    error(line.Trim());
                }
            }
        });
        if (input is not null)
        {
            ssh.StandardInput.Write(input);
        }

        ssh.StandardInput.Close();
        while (ssh.StandardOutput.ReadLine() is string line)
        {
            output(line);
        }

        ssh.WaitForExit();
        errors.Wait();
        cancellationToken.ThrowIfCancellationRequested();
        return ssh.ExitCode;
    }

    private static IEnumerable<string> Arguments(SshFleetRequest request, FleetBoard board) =>
        SshArguments.For(board, request.UserName, request.KeyFilePath, request.ConnectTimeoutSeconds, request.SshOptions).Concat(new[] { "--", board.HostName });

    // For the remote shell: a word in single quotes, a quote inside written '\''.
    private static string Quote(string word) => "'" + word.Replace("'", "'\\''") + "'";
}
