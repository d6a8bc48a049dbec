using System.Management.Automation;
using System.Management.Automation.Remoting;
using System.Management.Automation.Runspaces;
using EdgeLm.Core;
using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Cmdlets.Fleet;

/// <summary>
/// One board's part of a fleet benchmark, on its own thread: connect (or take the given session), deploy the module
/// when asked, import it there, save the plan in the board's cache, run it with -Resume against the board's own results
/// file while each record streams into the merged file, then read the board's file back for runs that completed there
/// but never arrived. Every failure is an ErrorRecord naming the board; none is thrown, so the other boards go on.
/// </summary>
internal sealed class BoardRun
{
    private readonly BoardTarget _board;
    private readonly FleetRequest _request;
    private readonly FleetResults _merged;
    private readonly CoreCall _call;
    private readonly int _activityId;
    private readonly string _activity;

    public BoardRun(BoardTarget board, FleetRequest request, FleetResults merged, CoreCall call, int activityId)
    {
        _board = board;
        _request = request;
        _merged = merged;
        _call = call;
        _activityId = activityId;
        _activity = $"Invoke-EdgeBenchmark on {board.Name}";
        Tally = new FleetBoardTally(board.Name);
    }

    public FleetBoardTally Tally { get; }

    /// <summary>True when the board's plan ran to its end (its file read back); false after any error.</summary>
    public bool Completed { get; private set; }

    public void Run(CancellationToken cancellationToken)
    {
        using Runspace local = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        local.Open();
        PSSession? session = _board.Session;
        bool ours = session is null;
        try
        {
            if (session is null)
            {
                Report("connecting");
                FleetBoard host = _board.Host!;
                session = Step(local, "BoardUnreachable", ErrorCategory.ConnectionError, "could not connect", cancellationToken, BoardScripts.Connect,
                    ("HostName", host.HostName), ("Port", host.Port ?? 0), ("UserName", _request.UserName), ("KeyFilePath", _request.KeyFilePath),
                    ("Options", _request.SshOptions), ("ConnectingTimeout", _request.ConnectingTimeoutMs))
                    ?.Select(o => o.BaseObject).OfType<PSSession>().FirstOrDefault();
                if (session is null)
                {
                    return;
                }
            }

            if (_request.DeployFrom is string from && !Deploy(local, session, from, cancellationToken))
            {
                return;
            }

            Runspace remote = session.Runspace;
            Report("importing EdgeLm");
            if (Step(remote, "BoardModuleMissing", ErrorCategory.ObjectNotFound,
                    "Import-Module EdgeLm failed there; install the module on the board (Import-Module EdgeLm must work there), or give -DeployModule to copy this one",
                    cancellationToken, BoardScripts.Import) is null)
            {
                return;
            }

            Report("saving the plan");
            PSObject? prepared = Step(remote, "BoardPlanNotSaved", ErrorCategory.WriteError, "could not save the plan in its EdgeLm cache", cancellationToken,
                BoardScripts.Prepare, ("PlanText", _request.PlanText), ("Stem", FleetPlanCopy.Stem(_request.PlanText)), ("Folder", FleetPlanCopy.Folder),
                ("Fresh", !_request.Resume))?.FirstOrDefault();
            if (prepared is null)
            {
                return;
            }

            string plan = (string)prepared.Properties["Plan"].Value;
            string results = (string)prepared.Properties["Results"].Value;
            bool ran = Benchmark(remote, plan, results, cancellationToken);

            Report("reading its results file");
            string? text = Step(remote, "BoardResultsUnreadable", ErrorCategory.ReadError, $"could not read its results file {results}", cancellationToken,
                BoardScripts.ReadResults, ("Results", results))?.Select(o => o.BaseObject).OfType<string>().FirstOrDefault();
            if (text is not null)
            {
                foreach (InferenceResult result in _merged.Reconcile(text, Tally))
                {
                    _call.WriteObject(result);
                }
            }

            Completed = ran && text is not null;
            Report(Completed ? "done: " + Tally.Describe() : "stopped: " + Tally.Describe());
        }
        finally
        {
            if (ours && session is not null)
            {
                Invoke(local, BoardScripts.Disconnect, CancellationToken.None, ("Session", session));
            }
        }
    }

    private bool Deploy(Runspace local, PSSession session, string from, CancellationToken cancellationToken)
    {
        Report($"copying the EdgeLm module from {from}");
        PSObject? copied = Step(local, "BoardDeployFailed", ErrorCategory.WriteError, $"could not copy the module folder {from} there", cancellationToken,
            BoardScripts.Deploy, ("Session", session), ("From", from))?.FirstOrDefault();
        if (copied is null)
        {
            return false;
        }

        double megabytes = Convert.ToDouble(copied.Properties["Bytes"].Value ?? 0.0) / (1024 * 1024);
        _call.WriteInformation($"{_board.Name}: copied the EdgeLm module ({copied.Properties["Files"].Value} files, {megabytes:0.0} MiB) from {from} to {copied.Properties["Target"].Value}");
        return true;
    }

    /// <summary>The board's benchmark, each record streamed into the merged file as it arrives; false when it failed or dropped.</summary>
    private bool Benchmark(Runspace remote, string plan, string results, CancellationToken cancellationToken)
    {
        Report("starting the plan");
        using PowerShell shell = Shell(remote, BoardScripts.Run, ("Plan", plan), ("Results", results), ("AllowLarge", _request.AllowLarge),
            ("NativeLibraryPath", _request.NativeLibraryPath));
        using var input = new PSDataCollection<PSObject>();
        input.Complete();
        using var output = new PSDataCollection<PSObject>();
        output.DataAdded += (_, e) => Received(output[e.Index]);
        shell.Streams.Progress.DataAdded += (_, e) => Forward(shell.Streams.Progress[e.Index]);
        shell.Streams.Warning.DataAdded += (_, e) => _call.WriteWarning($"{_board.Name}: {shell.Streams.Warning[e.Index].Message}");
        shell.Streams.Error.DataAdded += (_, e) => WriteError(shell.Streams.Error[e.Index]);
        using CancellationTokenRegistration stop = cancellationToken.Register(() => shell.BeginStop(null, null));
        try
        {
            shell.EndInvoke(shell.BeginInvoke(input, output));
            return !shell.HadErrors;
        }
        catch (Exception e) when (e is RuntimeException or PSRemotingTransportException or InvalidRunspaceStateException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }

            bool dropped = e is PSRemotingTransportException or InvalidRunspaceStateException || remote.RunspaceStateInfo.State is RunspaceState.Broken or RunspaceState.Closed;
            if (dropped)
            {
                WriteError(new FleetBoardException(_board.Name,
                    $"the connection dropped after {Tally.Received} run(s) arrived ({e.Message.TrimEnd('.')}); the board's runs so far are in its own file: run again with -Resume to finish it", e),
                    "BoardDropped", ErrorCategory.ConnectionError);
            }
            else if (e is IContainsErrorRecord { ErrorRecord: ErrorRecord record })
            {
                WriteError(record);
            }
            else
            {
                WriteError(new FleetBoardException(_board.Name, e.Message, e), "BoardBenchmarkFailed", ErrorCategory.NotSpecified);
            }

            return false;
        }
    }

    private void Received(PSObject streamed)
    {
        InferenceResult result;
        try
        {
            result = ResultConversion.FromFields(ResultCmdletSupport.Properties(streamed));
        }
        catch (EdgeLmInvalidResultException e)
        {
            WriteError(new FleetBoardException(_board.Name, $"sent something that is no result: {e.Message}", e), "BoardSentNoResult", ErrorCategory.InvalidData);
            return;
        }

        if (_merged.Add(result, Tally))
        {
            _call.WriteObject(result);
        }
    }

    // The board's own progress line, under this board's activity, so each board keeps one line.
    private void Forward(ProgressRecord remote)
    {
        if (remote.RecordType == ProgressRecordType.Completed)
        {
            return;
        }

        Report(remote.StatusDescription, remote.PercentComplete, remote.SecondsRemaining);
    }

    private void Report(string status, int percent = -1, int secondsRemaining = -1) =>
        _call.WriteProgress(new ProgressRecord(_activityId, _activity, string.IsNullOrWhiteSpace(status) ? "running" : status)
        {
            PercentComplete = percent,
            SecondsRemaining = secondsRemaining,
        });

    /// <summary>One step's output, or null after writing its error (the step's ErrorId, naming the board and what failed).</summary>
    private IReadOnlyList<PSObject>? Step(Runspace runspace, string errorId, ErrorCategory category, string what, CancellationToken cancellationToken,
        string script, params (string Name, object? Value)[] parameters)
    {
        try
        {
            return Invoke(runspace, script, cancellationToken, parameters);
        }
        catch (Exception e) when (e is RuntimeException or PSRemotingTransportException or InvalidRunspaceStateException or IOException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }

            WriteError(new FleetBoardException(_board.Name, $"{what} ({e.Message.TrimEnd('.')})", e), errorId, category);
            return null;
        }
    }

    /// <summary>Runs a script to its end; a stop cancels it; its first error (or a terminating one) is thrown.</summary>
    private static IReadOnlyList<PSObject> Invoke(Runspace runspace, string script, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        using PowerShell shell = Shell(runspace, script, parameters);
        using CancellationTokenRegistration stop = cancellationToken.Register(() => shell.BeginStop(null, null));
        var output = shell.Invoke();
        if (shell.Streams.Error.Count > 0)
        {
            ErrorRecord first = shell.Streams.Error[0];
            throw new RuntimeException(first.ToString(), first.Exception);
        }

        return output.ToList();
    }

    private static PowerShell Shell(Runspace runspace, string script, params (string Name, object? Value)[] parameters)
    {
        PowerShell shell = PowerShell.Create();
        shell.Runspace = runspace;
        shell.AddScript(script);
        foreach ((string name, object? value) in parameters)
        {
            if (value is not null)
            {
                shell.AddParameter(name, value);
            }
        }

        return shell;
    }

    // An error the board wrote: its own ErrorId (the same as when run there), its message prefixed with the board.
    private void WriteError(ErrorRecord remote)
    {
        string id = remote.FullyQualifiedErrorId.Split(',')[0];
        string message = remote.ErrorDetails?.Message ?? remote.Exception?.Message ?? remote.ToString();
        WriteError(new FleetBoardException(_board.Name, message, remote.Exception), id, remote.CategoryInfo.Category);
    }

    private void WriteError(FleetBoardException e, string errorId, ErrorCategory category) =>
        _call.WriteError(new ErrorRecord(e, errorId, category, _board.Name));
}
