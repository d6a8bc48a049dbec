using EdgeLm.Core.Host;

namespace EdgeLm.Tests.Core;

/// <summary>EDGELM_WORKER_PREFIX: the worker started under another program (an emulator, taskset), its words first.</summary>
public sealed class WorkerLaunchPrefixTests
{
    private static readonly WorkerLaunch Apphost = new("/opt/edgelm/edgelm", new[] { "worker" });

    [Fact]
    public void PrefixWordsComeBeforeTheWorkerProgram()
    {
        WorkerLaunch launch = Apphost.Under("qemu-aarch64-static  -L /usr/aarch64-linux-gnu ");

        Assert.Equal("qemu-aarch64-static", launch.FileName);
        Assert.Equal(new[] { "-L", "/usr/aarch64-linux-gnu", "/opt/edgelm/edgelm", "worker" }, launch.Arguments);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void NoPrefixLeavesTheLaunchAsItWas(string? prefix) => Assert.Same(Apphost, Apphost.Under(prefix));

    [Fact]
    public void AWorkerThatCannotStartNamesThePrefix()
    {
        var e = Assert.Throws<EdgeLm.Core.EdgeLmException>(() =>
            WorkerClient.Start(Apphost, null, null, CancellationToken.None, "/nonexistent/emulator -x"));

        Assert.Contains("/nonexistent/emulator -x /opt/edgelm/edgelm worker", e.Message);
        Assert.Contains("EDGELM_WORKER_PREFIX='/nonexistent/emulator -x'", e.Message);
    }
}
