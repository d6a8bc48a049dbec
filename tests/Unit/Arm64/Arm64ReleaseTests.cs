using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeLm.Core;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Arm64;

/// <summary>
/// The linux-arm64 release runs on arm64: its self-contained edgelm, under qemu-aarch64 on this x64 machine,
/// makes a tiny model, reads it back and runs real inference in its worker process (`edgelm worker` through the
/// apphost, no dotnet) on one of ggml's arm64 CPU variants. Kept to the tiny shape and four tokens: emulation
/// is slow, and CI has two cores.
/// </summary>
public sealed class Arm64ReleaseTests : IClassFixture<Arm64ReleaseFixture>
{
    private readonly Arm64ReleaseFixture _release;

    public Arm64ReleaseTests(Arm64ReleaseFixture release) => _release = release;

    [Fact]
    public void ArchiveMatchesItsChecksumAndHoldsTheArm64Libraries()
    {
        string line = File.ReadLines(_release.Sums).SingleOrDefault(l => l.EndsWith("  " + _release.Name + ".tar.gz", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"{_release.Sums} has no line for {_release.Name}.tar.gz; run ./build.sh release linux-arm64");
        Assert.Equal(line.Split("  ")[0], _release.ArchiveSha256());

        string native = Path.Combine(_release.Folder, "runtimes", Arm64ReleaseFixture.Rid, "native");
        Assert.NotEmpty(Directory.GetFiles(native, "libllama*.so"));
        Assert.NotEmpty(Directory.GetFiles(native, "libggml-cpu-armv8.0*.so"));
        Assert.False(Directory.Exists(Path.Combine(_release.Folder, "runtimes", "linux-x64")), "the arm64 release carries x64 libraries");
        // An ELF for AArch64 (e_machine 183), not the build machine's.
        byte[] header = File.ReadAllBytes(_release.Program)[..20];
        Assert.Equal(183, BitConverter.ToUInt16(header, 18));
    }

    [Fact]
    public void ModelSynthAndInfoRunUnderEmulation()
    {
        AssertSucceeded(_release.Synth, "model synth");
        WatchedRun info = _release.Edgelm("model", "info", "--model", _release.Model, "--format", "json");
        AssertSucceeded(info, "model info");

        using JsonDocument record = JsonDocument.Parse(info.Out.Trim().Split('\n')[^1]);
        JsonElement root = record.RootElement;
        Assert.Equal("synthetic-tiny", root.GetProperty("ModelName").GetString());
        Assert.Equal("llama", root.GetProperty("Architecture").GetString());
        Assert.True(root.GetProperty("ParameterCount").GetInt64() > 0);
        Assert.Equal(new FileInfo(_release.Model).Length, root.GetProperty("FileBytes").GetInt64());
    }

    /// <summary>
    /// ggml's arm64 CPU variants (libggml-cpu-armv8.0_1 ... armv9.2_2), chosen by the worker from the CPU it sees:
    /// on qemu's default CPU (every feature it emulates: SVE, SME), on a Raspberry Pi 4's Cortex-A72 (plain
    /// ARMv8.0) and on a Pi 5's Cortex-A76 (ARMv8.2 with dot product), so each board gets the variant it can run.
    /// </summary>
    [Theory]
    [InlineData(null, @"^cpu:armv\d+\.\d+_\d+$")]
    [InlineData("cortex-a72", @"^cpu:armv8\.0_1$")]
    [InlineData("cortex-a76", @"^cpu:armv8\.2_\d+$")]
    public void InferenceRunsInTheWorkerOnAnArmCpuVariant(string? cpu, string expectedBackend)
    {
        AssertSucceeded(_release.Synth, "model synth");
        WatchedRun infer = _release.EdgelmOn(cpu, "infer", "--model", _release.Model, "--prompt-tokens", "8", "--max-tokens", "4", "--format", "json");
        AssertSucceeded(infer, $"infer (QEMU_CPU={cpu ?? "default"})");

        using JsonDocument record = JsonDocument.Parse(infer.Out.Trim().Split('\n')[^1]);
        JsonElement root = record.RootElement;
        Assert.Matches(new Regex(expectedBackend), root.GetProperty("Backend").GetString() ?? string.Empty);
        // The default isolation: a worker process started (its start time measured) and ran llama.cpp.
        Assert.Equal("worker", root.GetProperty("Isolation").GetString());
        Assert.True(root.GetProperty("WorkerStartMs").GetDouble() > 0, "no worker start time");
        Assert.StartsWith("0.5.0", root.GetProperty("LlamaVersion").GetString());
        Assert.Equal(EdgeLmBuild.Version, root.GetProperty("EdgeLmVersion").GetString());
        Assert.Equal(8, root.GetProperty("PromptTokens").GetInt32());
        Assert.Equal(4, root.GetProperty("GeneratedTokens").GetInt32());
        foreach (string timing in new[] { "LoadMs", "ModelLoadMs", "TimeToFirstTokenMs", "PrefillMs", "DecodeMs", "TotalMs", "PrefillTokensPerSecond", "DecodeTokensPerSecond" })
        {
            Assert.True(root.GetProperty(timing).GetDouble() > 0, $"{timing} is {root.GetProperty(timing)}");
        }

        Assert.True(root.GetProperty("PeakRssBytes").GetInt64() > 0);
        Assert.Matches(new Regex("^[0-9a-f]{64}$"), root.GetProperty("ModelSha256").GetString());
    }

    private static void AssertSucceeded(WatchedRun run, string what) =>
        Assert.True(run.Exit == 0 && !run.Killed,
            $"edgelm {what} under qemu-aarch64 {(run.Killed ? "hung and was killed" : $"exited {run.Exit}")}:\n{run.Err}\n{run.Out}");
}
