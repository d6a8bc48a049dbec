using EdgeLm.Core.Host;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Core;

/// <summary>The worker process itself: what it is set up with before any model loads.</summary>
public sealed class WorkerProcessTests
{
    [Fact]
    public void TheWorkerWritesNoCoreDumps()
    {
        using WorkerClient client = WorkerClient.Start(TestWorker.Launch, null, null, CancellationToken.None);

        // A llama.cpp abort on a bad model must not write gigabytes of address space to a board's disk.
        string limits = File.ReadAllText($"/proc/{client.Hello.ProcessId}/limits");
        string core = limits.Split('\n').Single(l => l.StartsWith("Max core file size", StringComparison.Ordinal));
        Assert.Equal(new[] { "0", "0", "bytes" }, core["Max core file size".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
