using System.Collections.Concurrent;

namespace EdgeLm.Cmdlets;

/// <summary>
/// Runs one piece of work on a worker thread while the calling (pipeline) thread executes, in order, the
/// actions the work posts. PowerShell accepts WriteObject, WriteProgress and the like only from the pipeline
/// thread; this is the plumbing behind <see cref="EdgeLmCmdlet"/>, free of PowerShell types so it can be
/// tested on its own.
/// </summary>
internal sealed class WorkerPump : IDisposable
{
    private readonly BlockingCollection<Action> _queue = new();
    private readonly CancellationTokenSource _cancel;
    private readonly TimeSpan _stopGrace;
    private Task? _worker;

    /// <param name="stop">Cancelled by the cmdlet's StopProcessing (Ctrl+C).</param>
    /// <param name="stopGrace">How long a stopped or failed pump waits for the work to notice before it moves on.</param>
    public WorkerPump(CancellationToken stop, TimeSpan stopGrace)
    {
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
        _stopGrace = stopGrace;
    }

    /// <summary>For the work: cancelled on stop, or when an action failed on the pipeline thread.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>
    /// Queues an action for the pipeline thread. Safe from any thread and never throws (llama.cpp's log
    /// callback posts through it); false once the pump has finished.
    /// </summary>
    public bool Post(Action action)
    {
        try
        {
            return _queue.TryAdd(action);
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Starts <paramref name="work"/> on a worker thread and runs posted actions here until it ends, then
    /// returns its result or rethrows its exception as it is. When stopped, or when a posted action throws,
    /// the work's token is cancelled and that failure (an OperationCanceledException for a stop) is rethrown.
    /// </summary>
    public T Run<T>(Func<T> work)
    {
        if (_worker is not null)
        {
            throw new InvalidOperationException("a WorkerPump runs one piece of work");
        }

        Task<T> worker = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    return work();
                }
                finally
                {
                    Complete();
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        _worker = worker;

        try
        {
            foreach (Action action in _queue.GetConsumingEnumerable(_cancel.Token))
            {
                action();
            }
        }
        catch
        {
            _cancel.Cancel();
            Complete();
            WaitQuietly(worker);
            throw;
        }

        return worker.GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        Complete();
        // A worker that outlived its grace period may still post (and fail quietly); leave its queue alone.
        if (_worker is null || _worker.IsCompleted)
        {
            _queue.Dispose();
            _cancel.Dispose();
        }
    }

    private void Complete()
    {
        try
        {
            _queue.CompleteAdding();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void WaitQuietly(Task task)
    {
        try
        {
            task.Wait(_stopGrace);
        }
        catch (AggregateException)
        {
            // The pump's own failure (or the stop) is what the caller sees.
        }
    }
}
