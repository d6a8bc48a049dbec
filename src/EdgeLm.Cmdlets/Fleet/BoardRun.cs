using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.Json;
using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Cmdlets.Fleet;

/// <summary>
/// One board's part of a fleet benchmark, on its own thread: <see cref="BoardScripts.Board"/> connects (or takes the
/// given session), deploys the module when asked, imports it there, saves the plan in the board's cache and runs it
/// with -Resume against the board's own results file; each record it reports is appended to the merged file as it
/// arrives, and the board's file, read back at the end, supplies runs that completed there but never arrived.
/// A board reached by host name is driven from a child pwsh: PowerShell 7.6's SSH transport can end its whole process
/// when ssh exits under it (see <see cref="SshProbe"/>), and a dropped board must cost only that board.
/// Every failure is an ErrorRecord naming the board; none is thrown, so the other boards go on.
/// </summary>
internal sealed class BoardRun
{
    private readonly BoardTarget _board;
    private readonly FleetRequest _request;
    private readonly FleetResults _merged;
    private readonly CoreCall _call;
    private readonly int _activityId;
    private readonly string _activity;
    private readonly List<string> _boardFile = new();
    private bool _ended;
    private bool _failed;

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

    /// <summary>True when the board's plan ran to its end and its file was read back.</summary>
    public bool Completed { get; private set; }

    public void Run(CancellationToken cancellationToken)
    {
        Report("connecting");
        if (_board.Host is FleetBoard host && SshProbe.Check(host, _request, cancellationToken) is string unreachable)
        {
            Fail("BoardUnreachable", ErrorCategory.ConnectionError, $"could not connect ({unreachable})");
            return;
        }

        string? ended = _board.Session is PSSession session ? RunHere(session, cancellationToken) : RunInChild(cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (_ended)
        {
            foreach (InferenceResult result in _merged.Reconcile(string.Join("\n", _boardFile), Tally))
            {
                _call.WriteObject(result);
            }

            WarnOfVersion();
        }
        else if (!_failed)
        {
            Fail("BoardDropped", ErrorCategory.ConnectionError, $"the connection dropped ({ended ?? "the board's pipeline ended early"}) after " +
                $"{Tally.Received} run(s) arrived; the board's runs are saved in its own results file: run the same command with -Resume to finish it");
        }

        Report((Completed ? "done: " : "stopped: ") + Tally.Describe());
    }

    /// <summary>In a child pwsh: its parameters and the script on stdin, its lines on stdout. Returns why it ended, if early.</summary>
    private string? RunInChild(CancellationToken cancellationToken)
    {
        string pwsh = WorkerHost.PwshPath()
            ?? throw new InvalidOperationException($"no pwsh executable found (this process is {Environment.ProcessPath}) to reach the board from");
        var start = new ProcessStartInfo(pwsh)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "-NoLogo", "-NoProfile", "-NonInteractive", "-Command", BoardScripts.Child })
        {
            start.ArgumentList.Add(argument);
        }

        using Process child = Process.Start(start) ?? throw new InvalidOperationException($"{pwsh} did not start");
        using CancellationTokenRegistration stop = cancellationToken.Register(() =>
        {
            try
            {
                child.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        });
        Task<string> errors = child.StandardError.ReadToEndAsync(CancellationToken.None);
        child.StandardInput.WriteLine(JsonSerializer.Serialize(Parameters()));
        child.StandardInput.Write(BoardScripts.Text);
        child.StandardInput.Close();
        string? line;
        while ((line = child.StandardOutput.ReadLine()) is not null)
        {
            Handle(line);
        }

        child.WaitForExit();
        string[] said = errors.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return child.ExitCode == 0 && said.Length == 0 ? null
            : $"its pwsh ended with exit status {child.ExitCode}{(said.Length > 0 ? ": " + string.Join(" ", said.Where(l => !l.StartsWith("at ", StringComparison.Ordinal)).Take(3)) : string.Empty)}";
    }

    /// <summary>In a local runspace, for a session given: its lines from the output stream.</summary>
    private string? RunHere(PSSession session, CancellationToken cancellationToken)
    {
        using Runspace local = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        local.Open();
        using PowerShell shell = PowerShell.Create();
        shell.Runspace = local;
        shell.AddScript(BoardScripts.Text);
        foreach ((string name, object? value) in Parameters())
        {
            shell.AddParameter(name, value);
        }

        shell.AddParameter("Session", session);
        using var input = new PSDataCollection<PSObject>();
        input.Complete();
        using var output = new PSDataCollection<PSObject>();
        output.DataAdded += (_, e) => Handle(output[e.Index]?.ToString() ?? string.Empty);
        using CancellationTokenRegistration stop = cancellationToken.Register(() => shell.BeginStop(null, null));
        try
        {
            shell.EndInvoke(shell.BeginInvoke(input, output));
            return null;
        }
        catch (RuntimeException e) when (!cancellationToken.IsCancellationRequested)
        {
            return e.Message.TrimEnd('.');
        }
    }

    private Dictionary<string, object?> Parameters()
    {
        var parameters = new Dictionary<string, object?>
        {
            ["PlanText"] = _request.PlanText,
            ["Stem"] = FleetPlanCopy.Stem(_request.PlanText),
            ["Folder"] = FleetPlanCopy.Folder,
            ["Fresh"] = !_request.Resume,
            ["AllowLarge"] = _request.AllowLarge,
            ["NativeLibraryPath"] = _request.NativeLibraryPath,
            ["DeployFrom"] = _request.DeployFrom,
        };
        if (_board.Host is FleetBoard host)
        {
            parameters["HostName"] = host.HostName;
            parameters["Port"] = host.Port ?? 0;
            parameters["UserName"] = _request.UserName;
            parameters["KeyFilePath"] = _request.KeyFilePath;
            parameters["ConnectingTimeout"] = _request.ConnectingTimeoutMs;
            if (_request.SshOptions is { } options)
            {
                parameters["Options"] = options.Keys.Cast<object>().ToDictionary(k => k.ToString()!, k => options[k]?.ToString());
            }
        }

        return parameters.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value);
    }

    // One line of the board script's protocol (BoardScripts): the kind, a space, the fields separated by tabs.
    private void Handle(string line)
    {
        if (line.Length < 1)
        {
            return;
        }

        string rest = line.Length > 2 ? line[2..] : string.Empty;
        string[] fields = rest.Split('\t', 3);
        switch (line[0])
        {
            case 'R':
                if (_merged.AddLine(rest, Tally) is InferenceResult result)
                {
                    WarnOfVersion();
                    _call.WriteObject(result);
                }

                break;
            case 'F':
                _boardFile.Add(rest);
                break;
            case 'P' when fields.Length == 3:
                Report(fields[2], int.TryParse(fields[0], out int percent) ? percent : -1, int.TryParse(fields[1], out int seconds) ? seconds : -1);
                break;
            case 'W':
                _call.WriteWarning($"{_board.Name}: {rest}");
                break;
            case 'I':
                _call.WriteInformation($"{_board.Name}: {rest}");
                break;
            case 'E' when fields.Length == 3:
                Fail(fields[0], EdgeLmCmdlet.ParseCategory(fields[1]), fields[2]);
                break;
            case 'D':
                _ended = true;
                Completed = rest == "completed";
                break;
        }
    }

    private void WarnOfVersion()
    {
        if (Tally.TakeVersionWarning("give -DeployModule to copy this machine's module there") is string different)
        {
            _call.WriteWarning(different);
        }
    }

    private void Report(string status, int percent = -1, int secondsRemaining = -1) =>
        _call.WriteProgress(new ProgressRecord(_activityId, _activity, string.IsNullOrWhiteSpace(status) ? "running" : status)
        {
            PercentComplete = Math.Clamp(percent, -1, 100),
            SecondsRemaining = secondsRemaining,
        });

    private void Fail(string errorId, ErrorCategory category, string message)
    {
        _failed = true;
        _call.WriteError(new ErrorRecord(new FleetBoardException(_board.Name, message), errorId, category, _board.Name));
    }
}
