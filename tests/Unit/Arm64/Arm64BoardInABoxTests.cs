using EdgeLm.Tests.BoardInABox;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Arm64;

/// <summary>tests/BoardInABox/run.sh pi5 on the linux-arm64 release under qemu-user: the board in a box as a Pi 5 runs it.</summary>
public sealed class Arm64BoardInABoxTests : IClassFixture<Arm64ReleaseFixture>, IDisposable
{
    private readonly Arm64ReleaseFixture _release;
    private readonly TempFolder _folder = new();

    public Arm64BoardInABoxTests(Arm64ReleaseFixture release) => _release = release;

    public void Dispose() => _folder.Dispose();

    /// <summary>
    /// The Pi 5 box as a Pi 5 receives EdgeLm: the linux-arm64 release (./build.sh release linux-arm64) under qemu-user
    /// with a Cortex-A76, its worker started under the same emulator; the quick plan run once per model (emulation is
    /// slow). The records must say an ARM CPU variant ran them.
    /// </summary>
    [Fact]
    public void ThePi5BoxRunsOnTheArm64ReleaseUnderEmulation()
    {
        string work = _folder.File("pi5-arm64");
        string cli = _release.Program;
        var environment = new Dictionary<string, string>(Arm64Emulator.ReleaseEnvironment("cortex-a76"))
        {
            ["EDGELM_CLI"] = $"{Arm64Emulator.Qemu} {cli}",
            ["EDGELM_BOX_EMULATED"] = "1",
            // qemu-user and .NET's double-mapped code pages: a bench (sampler, monitors, worker log threads) crashed in
            // the runtime with them on and ran clean with them off, where a single inference did either way.
            ["DOTNET_EnableWriteXorExecute"] = "0",
        };

        var run = ProcessRunner.Run("bash", new[] { Path.Combine(Repository.Root, "tests", "BoardInABox", "run.sh"), "pi5", work }, environment);

        Assert.True(run.Exit == 0, run.Err);
        Assert.Contains(": PASS", run.Err);
        string[] backends = File.ReadAllLines(Path.Combine(work, "runs.jsonl"))
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("Backend").GetString()!).Distinct().ToArray();
        Assert.All(backends, b => Assert.StartsWith("cpu:armv8", b));
        BoardInABoxTests.AssertReportRenders("pi5-arm64", work);
    }
}
