using EdgeLm.Core.Perplexity;
using EdgeLm.Core.Engine;
using EdgeLm.Core.Worker;
using EdgeLm.Core.Models;
using EdgeLm.Core.Native;
using System.Diagnostics;

namespace EdgeLm.Core.Host;

/// <summary>
/// The host's side of one worker process. Runs are sent one at a time; the host waits for each result, so
/// nothing the host does between runs competes with a measurement. When the worker dies, the caller gets one
/// <see cref="EdgeLmWorkerException"/> naming the model, the signal and llama.cpp's last lines.
/// </summary>
internal sealed class WorkerClient : IDisposable
{
    // How long a cancelled run may take to notice before the worker is killed.
    private static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(10);
    private const int KeptLogLines = 64;

    private readonly Process _process;
    private readonly Queue<string> _log = new();
    private readonly Thread _logReader;
    private readonly Action<string>? _logSink;
    private string _phase = "starting";
    private bool _disposed;

    private WorkerClient(Process process, Action<string>? logSink)
    {
        _process = process;
        _logSink = logSink;
        _logReader = new Thread(ReadLog) { IsBackground = true, Name = "edgelm worker log" };
        _logReader.Start();
    }

    /// <summary>What the worker reported when it started.</summary>
    public WorkerHello Hello { get; private set; } = null!;

    /// <summary>From starting the process to its hello: the runtime and llama.cpp's libraries loaded.</summary>
    public double StartMs { get; private set; }

    /// <summary>False once the worker has died or been stopped; such a client is not used again.</summary>
    public bool Alive => !_disposed && !_process.HasExited;

    /// <summary>Starts a worker and waits for its hello.</summary>
    public static WorkerClient Start(WorkerLaunch launch, string? nativeDirectory, Action<string>? logSink, CancellationToken cancellationToken) =>
        Start(launch, nativeDirectory, logSink, cancellationToken, Environment.GetEnvironmentVariable(WorkerLaunch.PrefixVariable));

    /// <summary>Starts a worker under <paramref name="prefix"/> (EDGELM_WORKER_PREFIX's words) and waits for its hello.</summary>
    internal static WorkerClient Start(WorkerLaunch launch, string? nativeDirectory, Action<string>? logSink, CancellationToken cancellationToken, string? prefix)
    {
        launch = launch.Under(prefix);
        var start = new ProcessStartInfo(launch.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in launch.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Through the environment, which every kind of worker (edgelm, pwsh) reads the same way.
        if (nativeDirectory is not null)
        {
            start.Environment["EDGELM_LLAMA_DIR"] = nativeDirectory;
        }

        // ggml's crash handler would attach gdb for a backtrace: slow, and noise in the error we quote.
        start.Environment[NativeEnvironment.NoBacktrace] = "1";
        var clock = Stopwatch.StartNew();
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new EdgeLmException("WorkerStartFailed",
                $"could not start the EdgeLm worker ({launch.FileName} {string.Join(' ', launch.Arguments)}): {e.Message}; " +
                (string.IsNullOrWhiteSpace(prefix)
                    ? "use -InProcess (--in-process) to run in this process instead"
                    : $"check {WorkerLaunch.PrefixVariable}='{prefix}' (its first word must be a program on PATH or a path), or unset it"));
        }

        var client = new WorkerClient(process, logSink);
        try
        {
            WorkerMessage hello = client.Receive(cancellationToken, "starting");
            if (hello.Type == WorkerMessage.ErrorType && hello.Error is not null)
            {
                throw hello.Error.ToException();
            }

            client.Hello = hello.Hello ?? throw new EdgeLmException("WorkerProtocol", $"the EdgeLm worker answered '{hello.Type}' instead of hello");
            client.StartMs = clock.Elapsed.TotalMilliseconds;
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Runs one measurement in the worker. Cancellation asks the worker to stop within a token, then kills it.</summary>
    public RunMeasurement Run(RunOrder order, Action<RunProgress>? progress, CancellationToken cancellationToken) =>
        Exchange(new WorkerMessage { Type = WorkerMessage.RunType, Run = order }, order.Settings.ModelPath, "loading the model",
            m => m.Type == WorkerMessage.ResultType ? m.Result : null,
            p => p.Phase switch
            {
                "decode" => $"generating token {p.Tokens + 1} of {p.MaxTokens}",
                "prefill" => "processing the prompt",
                "loading" => "loading the model",
                var other => other,
            },
            progress, cancellationToken);

    /// <summary>
    /// Runs one quantization in the worker. llama.cpp's quantizer cannot be interrupted, so cancelling stops the
    /// worker at once; what it half wrote is the caller's temporary to delete.
    /// </summary>
    public void Quantize(QuantizeOrder order, CancellationToken cancellationToken)
    {
        using CancellationTokenRegistration stop = cancellationToken.Register(TryKill);
        Exchange(new WorkerMessage { Type = WorkerMessage.QuantizeType, Quantize = order }, order.InputPath, "quantizing",
            m => m.Type == WorkerMessage.QuantizedType ? m : null, phaseOf: null, progress: null, cancellationToken: cancellationToken);
    }

    /// <summary>Scores perplexity over a text in the worker; cancellation asks the worker to stop within a chunk.</summary>
    public PerplexityMeasurement Perplexity(PerplexityOrder order, Action<RunProgress>? progress, CancellationToken cancellationToken) =>
        Exchange(new WorkerMessage { Type = WorkerMessage.PerplexityType, Perplexity = order }, order.ModelPath, "scoring perplexity",
            m => m.Type == WorkerMessage.PerplexityResultType ? m.PerplexityResult : null,
            p => $"scoring chunk {p.Tokens + 1} of {p.MaxTokens}",
            progress, cancellationToken);

    /// <summary>
    /// Sends one order and waits for its answer (what <paramref name="answer"/> picks out of a message), passing
    /// progress on; an error or a cancellation from the worker is thrown as the host's own.
    /// </summary>
    private T Exchange<T>(WorkerMessage order, string model, string phase, Func<WorkerMessage, T?> answer,
        Func<RunProgress, string>? phaseOf, Action<RunProgress>? progress, CancellationToken cancellationToken) where T : class
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _phase = phase;
        Send(order);
        while (true)
        {
            WorkerMessage message = Receive(cancellationToken, model);
            if (answer(message) is T result)
            {
                _phase = "idle";
                return result;
            }

            switch (message.Type)
            {
                case WorkerMessage.ProgressType when message.Progress is not null:
                    _phase = phaseOf?.Invoke(message.Progress) ?? _phase;
                    progress?.Invoke(message.Progress);
                    break;
                case WorkerMessage.ErrorType when message.Error is not null:
                    _phase = "idle";
                    throw message.Error.ToException();
                case WorkerMessage.CancelledType:
                    _phase = "idle";
                    throw new OperationCanceledException(cancellationToken);
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            // Closing stdin asks the worker to finish; a worker that does not is killed.
            _process.StandardInput.Close();
            if (!_process.WaitForExit(2000))
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(2000);
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private void Send(WorkerMessage message)
    {
        try
        {
            _process.StandardInput.WriteLine(message.ToLine());
            _process.StandardInput.Flush();
        }
        catch (IOException)
        {
            // The worker is gone; Receive reports how it died.
        }
    }

    private WorkerMessage Receive(CancellationToken cancellationToken, string model)
    {
        using CancellationTokenRegistration onCancel = cancellationToken.Register(() =>
        {
            Send(new WorkerMessage { Type = WorkerMessage.CancelType });
            ThreadPool.QueueUserWorkItem(_ =>
            {
                try
                {
                    if (!_process.WaitForExit((int)CancelGrace.TotalMilliseconds) && _phase != "idle")
                    {
                        TryKill();
                    }
                }
                catch (InvalidOperationException)
                {
                    // The client was disposed meanwhile (its process with it): nothing left to stop. Unhandled, this
                    // would end the host process.
                }
            });
        });

        while (true)
        {
            string? line = _process.StandardOutput.ReadLine();
            if (line is null)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw Died(model);
            }

            // The hello, the first line, is read without the serializer: its first use would count in WorkerStartMs.
            WorkerMessage? message = WorkerServer.ReadHello(line) ?? WorkerMessage.Parse(line);
            if (message is null)
            {
                Log(line);
                continue;
            }

            return message;
        }
    }

    private EdgeLmWorkerException Died(string model)
    {
        _process.WaitForExit(5000);
        int exitCode = _process.HasExited ? _process.ExitCode : -1;
        // The log reader may still hold the dying process's last lines (the ones that say why): let it reach the end.
        _logReader.Join(TimeSpan.FromSeconds(2));
        string[] last;
        lock (_log)
        {
            // Every kept line: after an assert, gdb's backtrace would push the assert itself out of a short tail, and
            // the exception quotes only the lines that name the fault.
            last = _log.Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l.Trim()).ToArray();
        }

        return new EdgeLmWorkerException(model, exitCode, _phase, last);
    }

    private void TryKill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
    }

    private void ReadLog()
    {
        try
        {
            string? line;
            while ((line = _process.StandardError.ReadLine()) is not null)
            {
                Log(line);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private void Log(string line)
    {
        lock (_log)
        {
            _log.Enqueue(line);
            while (_log.Count > KeptLogLines)
            {
                _log.Dequeue();
            }
        }

        _logSink?.Invoke(line);
    }
}
