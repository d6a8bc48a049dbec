using System.Collections.Concurrent;
using EdgeLm.Cmdlets;
using Xunit;

namespace EdgeLm.Tests.Module;

/// <summary>The plumbing that lets cmdlets run Core off the pipeline thread and write from it.</summary>
public class WorkerPumpTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    [Fact]
    public void RunsWorkElsewhereAndPostedActionsHereInOrder()
    {
        using var pump = new WorkerPump(CancellationToken.None, Grace);
        int caller = Environment.CurrentManagedThreadId;
        var seen = new List<(int Value, int Thread)>();
        int workerThread = 0;

        int result = pump.Run(() =>
        {
            workerThread = Environment.CurrentManagedThreadId;
            for (int i = 0; i < 100; i++)
            {
                int value = i;
                Assert.True(pump.Post(() => seen.Add((value, Environment.CurrentManagedThreadId))));
            }

            return 42;
        });

        Assert.Equal(42, result);
        Assert.NotEqual(caller, workerThread);
        Assert.Equal(Enumerable.Range(0, 100), seen.Select(s => s.Value));
        Assert.All(seen, s => Assert.Equal(caller, s.Thread));
    }

    [Fact]
    public void RethrowsTheWorksExceptionUnwrappedAfterItsWrites()
    {
        using var pump = new WorkerPump(CancellationToken.None, Grace);
        var written = new List<string>();

        var e = Assert.Throws<FileNotFoundException>(() => pump.Run<int>(() =>
        {
            pump.Post(() => written.Add("before the failure"));
            throw new FileNotFoundException("model.gguf is missing");
        }));

        Assert.Equal("model.gguf is missing", e.Message);
        Assert.Equal(new[] { "before the failure" }, written);
    }

    [Fact]
    public async Task StopCancelsTheWorkAndEndsPromptly()
    {
        using var stop = new CancellationTokenSource();
        using var pump = new WorkerPump(stop.Token, Grace);
        using var started = new ManualResetEventSlim();
        bool workSawCancellation = false;

        var run = Task.Run(() => pump.Run(() =>
        {
            started.Set();
            // Like a long decode that checks its token between tokens.
            workSawCancellation = pump.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(30));
            pump.Token.ThrowIfCancellationRequested();
            return 0;
        }));

        Assert.True(started.Wait(TimeSpan.FromSeconds(10)));
        stop.Cancel();

        Task finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.Same(run, finished);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(workSawCancellation);
    }

    [Fact]
    public void AFailingWriteCancelsTheWorkAndSurfacesThatFailure()
    {
        using var pump = new WorkerPump(CancellationToken.None, Grace);
        bool workSawCancellation = false;

        // As when Select-Object -First 1 ends the pipeline: the pipeline thread's write throws.
        var e = Assert.Throws<InvalidOperationException>(() => pump.Run(() =>
        {
            pump.Post(() => throw new InvalidOperationException("pipeline stopped downstream"));
            workSawCancellation = pump.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(30));
            return 0;
        }));

        Assert.Equal("pipeline stopped downstream", e.Message);
        Assert.True(workSawCancellation);
    }

    [Fact]
    public void LatePostsAreDroppedWithoutThrowing()
    {
        var pump = new WorkerPump(CancellationToken.None, Grace);
        var written = new ConcurrentBag<int>();
        pump.Run(() => 0);

        Assert.False(pump.Post(() => written.Add(1)));
        pump.Dispose();
        Assert.False(pump.Post(() => written.Add(2)));
        Assert.Empty(written);
    }

    [Fact]
    public void RunsOnlyOnce()
    {
        using var pump = new WorkerPump(CancellationToken.None, Grace);
        pump.Run(() => 0);

        Assert.Throws<InvalidOperationException>(() => pump.Run(() => 0));
    }
}
