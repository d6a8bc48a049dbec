using System.Collections.Concurrent;
using System.Management.Automation;
using EdgeLm.Core;
using EdgeLm.Core.Native;

namespace EdgeLm.Cmdlets;

/// <summary>
/// Base of every EdgeLm cmdlet. Long Core calls run on a worker thread while the pipeline thread pumps what
/// they write (objects, verbose lines, progress, errors): PowerShell only accepts Write* calls from the
/// pipeline thread. Ctrl+C (StopProcessing) cancels the token handed to Core. EdgeLmException becomes an
/// ErrorRecord with the exception's ErrorId and category.
/// </summary>
public abstract class EdgeLmCmdlet : PSCmdlet, IDisposable
{
    // How long a stopped or failed pipeline waits for Core to notice the cancellation before it moves on.
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stopping = new();
    private bool _disposed;

    /// <summary>Cancelled when the user presses Ctrl+C or a downstream command stops the pipeline.</summary>
    protected CancellationToken StopToken => _stopping.Token;

    protected override void StopProcessing()
    {
        _stopping.Cancel();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        ReleaseResources();
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a worker thread and returns its result on the pipeline thread,
    /// writing everything it posted through the <see cref="CoreCall"/> on the way. With -Verbose, llama.cpp's
    /// log goes to the verbose stream for the duration of the call. Exceptions from the work are rethrown
    /// here as they are; a cancelled call ends as <see cref="PipelineStoppedException"/>.
    /// </summary>
    protected T RunCore<T>(Func<CoreCall, T> work)
    {
        using var pump = new WorkerPump(_stopping.Token, StopGrace);
        var call = new CoreCall(this, pump);

        Action<string>? sink = null;
        Action<string>? previousSink = null;
        if (IsVerbose())
        {
            sink = line => call.WriteVerbose("llama.cpp: " + line);
            previousSink = LlamaLog.Sink;
            LlamaLog.Sink = sink;
        }

        try
        {
            return pump.Run(() => work(call));
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            if (sink is not null && ReferenceEquals(LlamaLog.Sink, sink))
            {
                LlamaLog.Sink = previousSink;
            }

            CompleteProgress(call);
        }
    }

    /// <summary><see cref="RunCore{T}"/> for work that writes its results itself.</summary>
    protected void RunCore(Action<CoreCall> work)
    {
        RunCore<bool>(call =>
        {
            work(call);
            return true;
        });
    }

    /// <summary>
    /// Runs one input item's work: an EdgeLmException (or an I/O failure) becomes a non-terminating error
    /// about <paramref name="target"/> so the pipeline goes on with the next item; parameter problems and
    /// missing native libraries end the command, since no other item could succeed.
    /// </summary>
    protected void RunForItem(object? target, Action<CoreCall> work)
    {
        try
        {
            RunCore(work);
        }
        catch (Exception e) when (IsReportable(e))
        {
            ReportError(e, target);
        }
    }

    /// <summary>Like <see cref="RunForItem"/>, on the pipeline thread, for quick calls.</summary>
    protected void RunInline(object? target, Action work)
    {
        try
        {
            work();
        }
        catch (Exception e) when (IsReportable(e))
        {
            ReportError(e, target);
        }
    }

    /// <summary>Writes (or, for parameter-level failures, throws) the ErrorRecord for a Core failure.</summary>
    protected void ReportError(Exception e, object? target)
    {
        ErrorRecord record = ToErrorRecord(e, target);
        if (IsTerminating(e))
        {
            ThrowTerminatingError(record);
        }

        WriteError(record);
    }

    /// <summary>The ErrorRecord for an exception: EdgeLmException keeps its ErrorId and category.</summary>
    public static ErrorRecord ToErrorRecord(Exception e, object? target) => e switch
    {
        EdgeLmException edge => new ErrorRecord(edge, edge.ErrorId, ParseCategory(edge.Category), target),
        FileNotFoundException or DirectoryNotFoundException => new ErrorRecord(e, "FileNotFound", ErrorCategory.ObjectNotFound, target),
        UnauthorizedAccessException => new ErrorRecord(e, "AccessDenied", ErrorCategory.PermissionDenied, target),
        IOException => new ErrorRecord(e, "IOError", ErrorCategory.WriteError, target),
        _ => new ErrorRecord(e, "EdgeLmError", ErrorCategory.NotSpecified, target),
    };

    /// <summary>A category name from EdgeLmException.Category as PowerShell's enum; NotSpecified when unknown.</summary>
    public static ErrorCategory ParseCategory(string? category) =>
        !string.IsNullOrEmpty(category) && Enum.TryParse(category, ignoreCase: true, out ErrorCategory parsed) && Enum.IsDefined(parsed)
            ? parsed
            : ErrorCategory.NotSpecified;

    private static bool IsReportable(Exception e) =>
        e is EdgeLmException or IOException or UnauthorizedAccessException;

    private static bool IsTerminating(Exception e) =>
        e is EdgeLmArgumentException or EdgeLmNativeLibraryException;

    /// <summary>
    /// Resolves -Path (wildcards) or -LiteralPath values to file-system paths. Problems with one value
    /// (not found, not a file-system path) are non-terminating errors; the others still resolve.
    /// </summary>
    protected IEnumerable<string> ResolveInputPaths(IEnumerable<string> paths, bool literal)
    {
        var resolved = new List<string>();
        foreach (string path in paths)
        {
            try
            {
                if (literal)
                {
                    string file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
                    if (RequireFileSystem(provider, path))
                    {
                        resolved.Add(file);
                    }

                    continue;
                }

                // A path that names an existing file is taken as it is, so names with [ ] work when piped by FullName.
                string unresolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo literalProvider, out _);
                if (literalProvider.Name == "FileSystem" && File.Exists(unresolved))
                {
                    resolved.Add(unresolved);
                    continue;
                }

                foreach (string file in SessionState.Path.GetResolvedProviderPathFromPSPath(path, out ProviderInfo provider))
                {
                    if (!RequireFileSystem(provider, path))
                    {
                        break;
                    }

                    resolved.Add(file);
                }
            }
            catch (ItemNotFoundException e)
            {
                WriteError(new ErrorRecord(e, "PathNotFound", ErrorCategory.ObjectNotFound, path));
            }
            catch (Exception e) when (e is SessionStateException or PSArgumentException or NotSupportedException)
            {
                WriteError(new ErrorRecord(e, "InvalidPath", ErrorCategory.InvalidArgument, path));
            }
        }

        return resolved;
    }

    /// <summary>A file or folder path (which need not exist yet) relative to $PWD; terminating when not a file-system path.</summary>
    protected string ResolveFileSystemPath(string path, string parameterName)
    {
        string file;
        ProviderInfo provider;
        try
        {
            file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
        }
        catch (Exception e) when (e is SessionStateException or PSArgumentException or NotSupportedException)
        {
            ThrowTerminatingError(new ErrorRecord(e, "InvalidPath", ErrorCategory.InvalidArgument, path));
            throw; // not reached
        }

        if (provider.Name != "FileSystem")
        {
            ThrowTerminatingError(new ErrorRecord(
                new PSArgumentException($"-{parameterName} '{path}' is a {provider.Name} path; give a file-system path.", parameterName),
                "PathNotFileSystem", ErrorCategory.InvalidArgument, path));
        }

        return file;
    }

    /// <summary>-Root as a file-system folder ("/" when not given); terminating when it is not a folder.</summary>
    protected string ResolveRoot(string? root)
    {
        string folder = root is null ? "/" : ResolveFileSystemPath(root, "Root");
        if (!Directory.Exists(folder))
        {
            ThrowTerminatingError(new ErrorRecord(new DirectoryNotFoundException($"-Root {folder} is not a folder; give the folder holding the board's proc/ and sys/."),
                "RootNotFound", ErrorCategory.ObjectNotFound, folder));
        }

        return folder;
    }

    /// <summary>True when the user bound the parameter (so Core's default is left alone otherwise).</summary>
    protected bool IsBound(string parameterName) => MyInvocation.BoundParameters.ContainsKey(parameterName);

    private bool RequireFileSystem(ProviderInfo provider, string path)
    {
        if (provider.Name == "FileSystem")
        {
            return true;
        }

        WriteError(new ErrorRecord(
            new PSArgumentException($"'{path}' is a {provider.Name} path; EdgeLm reads model files from the file system."),
            "PathNotFileSystem", ErrorCategory.InvalidArgument, path));
        return false;
    }

    /// <summary>Frees what a cmdlet holds across records (a worker process); PowerShell disposes cmdlets however the pipeline ends.</summary>
    protected virtual void ReleaseResources()
    {
    }

    /// <summary>True when -Verbose or $VerbosePreference asks for verbose output.</summary>
    /// <summary>
    /// Where llama.cpp's log lines go: -Verbose of the call <paramref name="call"/> names (the running one, for a host
    /// that outlives one record), each marked as llama.cpp's; null without -Verbose, so nothing is formatted for nobody.
    /// </summary>
    protected Action<string>? LlamaLogTo(Func<CoreCall?> call) =>
        IsVerbose() ? line => call()?.WriteVerbose("llama.cpp: " + line) : null;

    protected bool IsVerbose()
    {
        if (MyInvocation.BoundParameters.TryGetValue("Verbose", out object? bound))
        {
            return bound switch
            {
                SwitchParameter s => s.IsPresent,
                bool b => b,
                _ => LanguagePrimitives.IsTrue(bound),
            };
        }

        object? preference = GetVariableValue("VerbosePreference");
        if (preference is PSObject wrapped)
        {
            preference = wrapped.BaseObject;
        }

        return preference switch
        {
            ActionPreference p => p is not (ActionPreference.SilentlyContinue or ActionPreference.Ignore),
            string s when Enum.TryParse(s, true, out ActionPreference p) => p is not (ActionPreference.SilentlyContinue or ActionPreference.Ignore),
            _ => false,
        };
    }

    private void CompleteProgress(CoreCall call)
    {
        foreach (ProgressRecord record in call.ActiveProgress())
        {
            record.RecordType = ProgressRecordType.Completed;
            record.PercentComplete = 100;
            try
            {
                WriteProgress(record);
            }
            catch (Exception e) when (e is PipelineStoppedException or InvalidOperationException)
            {
                // The pipeline is gone; nothing to tidy on screen.
            }
        }
    }
}

/// <summary>
/// What a Core call running on the worker thread may do with the pipeline: every write is queued and
/// performed by the pipeline thread in order. Safe to call from any thread, llama.cpp's log threads included.
/// </summary>
public sealed class CoreCall
{
    private readonly EdgeLmCmdlet _cmdlet;
    private readonly WorkerPump _pump;
    private readonly ConcurrentDictionary<int, ProgressRecord> _progress = new();

    internal CoreCall(EdgeLmCmdlet cmdlet, WorkerPump pump)
    {
        _cmdlet = cmdlet;
        _pump = pump;
    }

    /// <summary>Pass this to Core: cancelled by Ctrl+C or when the pipeline ends early.</summary>
    public CancellationToken CancellationToken => _pump.Token;

    public void WriteObject(object? value) => Post(cmdlet => cmdlet.WriteObject(value));

    public void WriteVerbose(string message) => Post(cmdlet => cmdlet.WriteVerbose(message));

    public void WriteWarning(string message) => Post(cmdlet => cmdlet.WriteWarning(message));

    public void WriteError(ErrorRecord record) => Post(cmdlet => cmdlet.WriteError(record));

    /// <summary>A line shown as Write-Host shows it (tagged PSHOST), also kept by -InformationVariable.</summary>
    public void WriteInformation(string message) =>
        Post(cmdlet => cmdlet.WriteInformation(new HostInformationMessage { Message = message }, new[] { "PSHOST" }));

    public void WriteProgress(ProgressRecord record)
    {
        _progress[record.ActivityId] = record;
        Post(cmdlet => cmdlet.WriteProgress(record));
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the pipeline thread (a script block Core measures) and waits for its result
    /// here; what it throws is thrown here. A stop ends the wait with an OperationCanceledException.
    /// </summary>
    public T InvokeOnPipeline<T>(Func<T> work)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool posted = _pump.Post(() =>
        {
            try
            {
                result.SetResult(work());
            }
            catch (Exception e)
            {
                result.SetException(e);
            }
        });
        if (!posted)
        {
            throw new OperationCanceledException(CancellationToken);
        }

        try
        {
            result.Task.Wait(CancellationToken);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException!).Throw();
        }

        return result.Task.Result;
    }

    /// <summary>An IProgress for Core's 0..1 fractions; writes a progress record when the whole percent changes.</summary>
    public IProgress<double> Progress(int activityId, string activity, string status) =>
        new FractionProgress(this, activityId, activity, status);

    internal IEnumerable<ProgressRecord> ActiveProgress() => _progress.Values.ToArray();

    // Never throws: llama.cpp's log callback calls this, and an exception there would take the process down.
    // Writes after the call has ended (stopped or failed) have nowhere to go and are dropped.
    private void Post(Action<EdgeLmCmdlet> write)
    {
        EdgeLmCmdlet cmdlet = _cmdlet;
        _pump.Post(() => write(cmdlet));
    }

    private sealed class FractionProgress : IProgress<double>
    {
        private readonly CoreCall _call;
        private readonly int _activityId;
        private readonly string _activity;
        private readonly string _status;
        private int _lastPercent = -1;

        public FractionProgress(CoreCall call, int activityId, string activity, string status)
        {
            _call = call;
            _activityId = activityId;
            _activity = activity;
            _status = status;
        }

        public void Report(double value)
        {
            int percent = double.IsNaN(value) ? 0 : (int)Math.Clamp(Math.Floor(value * 100), 0, 100);
            if (Interlocked.Exchange(ref _lastPercent, percent) == percent)
            {
                return;
            }

            _call.WriteProgress(new ProgressRecord(_activityId, _activity, _status) { PercentComplete = percent });
        }
    }
}
