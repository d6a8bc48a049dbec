namespace EdgeLm.Core.Devices;

/// <summary>
/// A background thread that samples something every <see cref="Interval"/> while a run executes, in the host (the
/// worker's measurement is untouched); the derived monitor samples once more when stopped.
/// </summary>
internal abstract class PeriodicMonitor : IDisposable
{
    private readonly Thread _thread;
    // No spinning before blocking: a monitor waking a few times a second must cost next to nothing.
    private readonly ManualResetEventSlim _stop = new(false, 0);
    private readonly TimeSpan _interval;

    protected PeriodicMonitor(TimeSpan interval, string name)
    {
        _interval = interval;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
    }

    /// <summary>Takes one sample; called on the monitor's thread, and by the derived class before and after it runs.</summary>
    protected abstract void Sample();

    /// <summary>Starts the thread; call at the end of the derived constructor, once its first sample is taken.</summary>
    protected void StartThread() => _thread.Start();

    /// <summary>Stops the thread (idempotent) and takes the last sample.</summary>
    protected void StopThread()
    {
        _stop.Set();
        if (_thread.IsAlive)
        {
            _thread.Join();
        }

        Sample();
    }

    public void Dispose()
    {
        _stop.Set();
        if (_thread.IsAlive)
        {
            _thread.Join();
        }

        _stop.Dispose();
    }

    private void Run()
    {
        while (!_stop.Wait(_interval))
        {
            Sample();
        }
    }
}
