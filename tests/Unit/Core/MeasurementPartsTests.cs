using EdgeLm.Core.Settings;
using EdgeLm.Core;
using EdgeLm.Core.Engine;
using EdgeLm.Core.Host;
using EdgeLm.Core.Worker;
using EdgeLm.Core.Devices;
using EdgeLm.Core.Models;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Core;

/// <summary>The pieces a measurement is built from, on known inputs.</summary>
public sealed class MeasurementPartsTests
{
    [Fact]
    public void PercentilesInterpolateBetweenRanks()
    {
        double[] values = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

        Assert.Equal(5.5, Percentiles.Of(values, 50), 9);
        Assert.Equal(9.55, Percentiles.Of(values, 95), 9);
        Assert.Equal(9.91, Percentiles.Of(values, 99), 9);
        Assert.Equal(10, Percentiles.Of(values, 100), 9);
        Assert.Equal(7, Percentiles.Of(new double[] { 7 }, 99), 9);
    }

    [Fact]
    public void ContextMemoryAddsEveryDevicesBuffersFromLlamaCppsLog()
    {
        string[] log =
        {
            "llama_context:        CPU  output buffer size =     0.19 MiB",
            "llama_kv_cache:      CUDA0 KV buffer size =   224.00 MiB",
            "llama_kv_cache:        CPU KV buffer size =    32.00 MiB",
            "llama_kv_cache: size =  256.00 MiB (  2048 cells,  16 layers,  1/1 seqs), K (f16):  128.00 MiB, V (f16):  128.00 MiB",
            "sched_reserve:      CUDA0 compute buffer size =   164.01 MiB",
            "sched_reserve:  CUDA_Host compute buffer size =    12.01 MiB",
            "~llama_context:        CPU compute buffer size is  98.2520 MiB, matches expectation of  98.2520 MiB",
        };

        ContextMemory memory = ContextMemory.FromLog(log);

        Assert.Equal(256L * 1024 * 1024, memory.KvCacheBytes);
        Assert.Equal((long)Math.Round(176.02 * 1024 * 1024), memory.ComputeBufferBytes);
    }

    [RequiresCCompilerFact]
    public void PeakResidentSetResetsOnRequest()
    {
        // In a child of its own: in this process, other tests allocate and free at the same time, so its peak
        // moves for reasons of theirs. The child maps, touches and unmaps 64 MiB for each line it reads.
        using var folder = new TempFolder();
        string source = folder.File("touch.c");
        File.WriteAllText(source, """
            #include <stdio.h>
            #include <string.h>
            #include <sys/mman.h>
            int main(void) {
                char line[16];
                size_t size = (size_t)64 << 20;
                while (fgets(line, sizeof line, stdin)) {
                    char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
                    if (p == MAP_FAILED) return 1;
                    memset(p, 1, size);
                    munmap(p, size);
                    puts("touched");
                    fflush(stdout);
                }
                return 0;
            }
            """);
        string binary = folder.File("touch");
        CCompiler.Run(CCompiler.Path!, "-std=c11", "-D_DEFAULT_SOURCE", source, "-o", binary);
        var start = new System.Diagnostics.ProcessStartInfo(binary) { RedirectStandardInput = true, RedirectStandardOutput = true };
        using var child = System.Diagnostics.Process.Start(start)!;
        try
        {
            string proc = $"/proc/{child.Id}";
            long Touch()
            {
                child.StandardInput.WriteLine();
                child.StandardInput.Flush();
                Assert.Equal("touched", child.StandardOutput.ReadLine());
                return ProcessMemory.PeakRssBytes(proc)!.Value;
            }

            long first = Touch();
            Assert.True(ProcessMemory.TryResetPeak(proc));
            long reset = ProcessMemory.PeakRssBytes(proc)!.Value;
            long second = Touch();

            Assert.True(first >= 64L << 20, $"peak after touching 64 MiB: {first}");
            Assert.True(reset < 32L << 20, $"peak just after the reset, with the 64 MiB unmapped: {reset}");
            Assert.True(second >= 64L << 20, $"peak after touching 64 MiB again: {second}");
        }
        finally
        {
            child.StandardInput.Close();
            if (!child.WaitForExit(10_000))
            {
                child.Kill();
            }
        }
    }

    [Fact]
    public void ProcessMemoryReadsAFakeProcFolder()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("status"), "Name:\tedgelm\nVmPeak:\t  999 kB\nVmHWM:\t   13544 kB\nVmRSS:\t   10000 kB\n");

        Assert.Equal(13544L * 1024, ProcessMemory.PeakRssBytes(folder.Path));
        Assert.Null(ProcessMemory.PeakRssBytes(folder.File("missing")));
        Assert.False(ProcessMemory.TryResetPeak(folder.File("missing")));
    }

    [Fact]
    public void ModelHashIsTheFilesSha256AndIsCachedByPathSizeAndTime()
    {
        using var folder = new TempFolder();
        string model = folder.File("m.gguf");
        File.WriteAllBytes(model, new byte[] { 1, 2, 3 });
        string cache = folder.File("cache");

        string first = ModelHashes.Sha256(model, cache);
        Assert.Equal("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81", first);
        Assert.Single(Directory.GetFiles(Path.Combine(cache, "model-sha256")));

        // A changed file (size and time) is hashed again, not served from the cache.
        File.WriteAllBytes(model, new byte[] { 1, 2, 3, 4 });
        File.SetLastWriteTimeUtc(model, DateTime.UtcNow.AddMinutes(1));
        Assert.NotEqual(first, ModelHashes.Sha256(model, cache));
    }

    [Fact]
    public void WorkerMessagesRoundTripAndStrayLinesAreIgnored()
    {
        var message = new WorkerMessage
        {
            Type = WorkerMessage.ResultType,
            Result = new RunMeasurement { PromptTokens = 3, DecodeMs = null, InterTokenP50Ms = 1.5, Output = "a\nb", EngineDecodeTokens = 7 },
        };

        WorkerMessage back = WorkerMessage.Parse(message.ToLine())!;

        Assert.Equal(WorkerMessage.ResultType, back.Type);
        Assert.Equal(3, back.Result!.PromptTokens);
        Assert.Equal(7, back.Result.EngineDecodeTokens);
        Assert.Null(back.Result.DecodeMs);
        Assert.Equal(1.5, back.Result.InterTokenP50Ms);
        Assert.Equal("a\nb", back.Result.Output);
        Assert.DoesNotContain('\n', message.ToLine());
        Assert.Null(WorkerMessage.Parse("ggml_backend: something printed to stdout"));
        Assert.Null(WorkerMessage.Parse("{not json"));
    }

    [Theory]
    [InlineData(134, "SIGABRT")]
    [InlineData(137, "SIGKILL")]
    [InlineData(139, "SIGSEGV")]
    [InlineData(1, null)]
    public void WorkerDeathsNameTheSignal(int exitCode, string? signal)
    {
        var e = new EdgeLmWorkerException("/m.gguf", exitCode, "generating token 3 of 8", new[] { "GGML_ASSERT(x) failed" });

        Assert.Equal(signal, e.Signal);
        Assert.Contains("/m.gguf", e.Message);
        Assert.Contains("GGML_ASSERT(x) failed", e.Message);
        Assert.Contains(signal ?? $"code {exitCode}", e.Message);
    }
}

/// <summary>The greedy sampler's argmax against a plain loop, ties and tails included.</summary>
public sealed class GreedySamplingTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(49152)]
    [InlineData(151_937)]
    public void ArgMaxIsTheFirstLargestValue(int length)
    {
        var random = new Random(length);
        for (int trial = 0; trial < 20; trial++)
        {
            float[] logits = Enumerable.Range(0, length).Select(_ => (float)Math.Round(random.NextDouble() * 20 - 10, 1)).ToArray();
            int expected = 0;
            for (int i = 1; i < length; i++)
            {
                if (logits[i] > logits[expected])
                {
                    expected = i;
                }
            }

            Assert.Equal(expected, SamplerChain.ArgMax(logits));
        }
    }
}

/// <summary>How a record is completed from its measurement: identity, thermal figures, bandwidth utilization.</summary>
public sealed class InferenceRecordTests
{
    [Fact]
    public void BandwidthUtilizationIsDecodeTrafficOverBandwidth()
    {
        var measured = new RunMeasurement
        {
            PromptTokens = 100, GeneratedTokens = 101, DecodeTokensPerSecond = 20, KvCacheBytes = 1024 * 1000, ContextSize = 1024,
        };
        var info = new ModelInfo { ModelName = "m", DecodeWeightBytes = 500_000_000 };

        measured.ModelLoadMs = 40;
        InferenceResult r = InferenceRecord.Build(new RunSettings { MaxTokens = 101 }, measured, info, new FakeBackend(), "sha", "t", 1, false,
            new EdgeLm.Core.Devices.ThermalObservation(61.5, 1500, true), new EdgeLm.Core.Devices.ContentionObservation(12.5, 0, 1), bandwidth: 20e9, energy: null, label: null);

        // 1000 KV bytes per position, mean position 100 + 101/2 = 150.5.
        Assert.Equal(500_000_000 + 150_500, r.DecodeBytesPerToken);
        Assert.Equal(20.0 * 500_150_500 / 20e9, r.BandwidthUtilization!.Value, 12);
        Assert.Equal(61.5, r.MaxTemperatureCelsius);
        Assert.Equal(1500, r.MinCpuFrequencyMHz);
        Assert.True(r.Throttled);
        Assert.Equal(12.5, r.CpuPressurePercent);
        Assert.Equal(1, r.ExtraRunnableTasks);
        Assert.True(r.Contended);
        Assert.Equal(12.5 + 40, r.LoadMs);

        InferenceResult unmeasured = InferenceRecord.Build(new RunSettings(), new RunMeasurement { DecodeTokensPerSecond = 20 }, info,
            new FakeBackend(), "sha", "t", 1, false, new EdgeLm.Core.Devices.ThermalObservation(null, null, null), new EdgeLm.Core.Devices.ContentionObservation(null, null, null), bandwidth: null, energy: null, label: null);
        Assert.Null(unmeasured.BandwidthUtilization);
        Assert.Null(unmeasured.Contended);
    }

    private sealed class FakeBackend : IRunBackend
    {
        public string Isolation => "worker";
        public bool Alive => true;
        public double StartMs => 12.5;
        public string LlamaVersion => "0.5.0";
        public string Backend => "cpu:test";
        public IReadOnlyList<string> ChatTemplates => Array.Empty<string>();
        public bool Serves(RunSettings settings) => true;
        public RunMeasurement Run(RunOrder order, Action<RunProgress>? progress, CancellationToken cancellationToken) => throw new NotSupportedException();
        public void Dispose() { }
    }
}

/// <summary>Contention from snapshot trees: pressure and steal differenced over the run, runnable tasks beyond the run's own.</summary>
public sealed class ContentionMonitorTests : IDisposable
{
    private readonly TempFolder _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void StealRunnableAndPressureComeFromTheRunsDifferences()
    {
        Write(pressureMicroseconds: 1_000_000, steal: 100, other: 10_000, running: 3);
        using var monitor = EdgeLm.Core.Devices.ContentionMonitor.Start(ownThreads: 2, _root.Path);
        Write(pressureMicroseconds: 1_000_000 + 500_000_000, steal: 150, other: 10_950, running: 6);

        var seen = monitor.Stop();

        Assert.Equal(50.0 / 1000 * 100, seen.StealPercent!.Value, 9);
        Assert.Equal(6 - 2 - 1, seen.ExtraRunnableTasks);
        Assert.Equal(100, seen.CpuPressurePercent); // 500 s of waiting within a shorter run: capped at all of it
        Assert.True(seen.Contended);
    }

    [Fact]
    public void AQuietRunIsNotContendedAndAMachineWithoutTheFilesSaysNothing()
    {
        Write(pressureMicroseconds: 5, steal: 0, other: 1000, running: 1);
        using (var monitor = EdgeLm.Core.Devices.ContentionMonitor.Start(ownThreads: 4, _root.Path))
        {
            var quiet = monitor.Stop();
            Assert.Equal(0, quiet.ExtraRunnableTasks);
            Assert.False(quiet.Contended);
        }

        using var empty = new TempFolder();
        using var none = EdgeLm.Core.Devices.ContentionMonitor.Start(ownThreads: 1, empty.Path);
        var unknown = none.Stop();
        Assert.Null(unknown.CpuPressurePercent);
        Assert.Null(unknown.StealPercent);
        Assert.Null(unknown.ExtraRunnableTasks);
        Assert.Null(unknown.Contended);
    }

    private void Write(long pressureMicroseconds, long steal, long other, int running)
    {
        Directory.CreateDirectory(Path.Combine(_root.Path, "proc", "pressure"));
        File.WriteAllText(Path.Combine(_root.Path, "proc", "pressure", "cpu"),
            $"some avg10=0.00 avg60=0.00 avg300=0.00 total={pressureMicroseconds}\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
        File.WriteAllText(Path.Combine(_root.Path, "proc", "stat"),
            $"cpu  {other} 0 0 0 0 0 0 {steal} 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\nprocs_running {running}\nprocs_blocked 0\n");
    }
}

/// <summary>Waiting for a quiet machine before a benchmark run, from snapshot trees of /proc/pressure/cpu.</summary>
public sealed class QuietMachineTests : IDisposable
{
    private readonly TempFolder _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void AQuietMachineIsNotWaitedForAndABusyOneUntilItQuietensOrTheLimit()
    {
        WritePressure(2.5);
        var notes = new List<string>();
        Assert.Equal(2.5, EdgeLm.Core.Devices.QuietMachine.PressurePercent(new ProbeRoot(_root.Path)));
        Assert.True(EdgeLm.Core.Devices.QuietMachine.Wait(5, 300, notes.Add, notes.Add, CancellationToken.None, _root.Path) < 300);
        Assert.Empty(notes);

        // Busy, and it stays busy: the wait gives up at its limit and says so.
        WritePressure(40);
        double waited = EdgeLm.Core.Devices.QuietMachine.Wait(5, 0, notes.Add, notes.Add, CancellationToken.None, _root.Path);
        Assert.True(waited >= 0);
        Assert.Contains(notes, n => n.Contains("stayed busy (CPU pressure 40% ≥ 5%)"));

        // Busy, then quiet: it waits (at least one check) and goes on.
        notes.Clear();
        var quieten = new Thread(() => { Thread.Sleep(200); WritePressure(1); });
        quieten.Start();
        EdgeLm.Core.Devices.QuietMachine.Wait(5, 300, notes.Add, notes.Add, CancellationToken.None, _root.Path);
        quieten.Join();
        Assert.Contains(notes, n => n.StartsWith("waiting for a quiet machine: CPU pressure 40%", StringComparison.Ordinal));
        Assert.DoesNotContain(notes, n => n.Contains("stayed busy"));
    }

    [Fact]
    public void WithoutPsiThereIsNothingToWaitFor()
    {
        var notes = new List<string>();
        Assert.Null(EdgeLm.Core.Devices.QuietMachine.PressurePercent(new ProbeRoot(_root.Path)));
        EdgeLm.Core.Devices.QuietMachine.Wait(5, 300, notes.Add, notes.Add, CancellationToken.None, _root.Path);
        Assert.Empty(notes);
    }

    private void WritePressure(double avg10)
    {
        Directory.CreateDirectory(Path.Combine(_root.Path, "proc", "pressure"));
        File.WriteAllText(Path.Combine(_root.Path, "proc", "pressure", "cpu"),
            $"some avg10={avg10.ToString(System.Globalization.CultureInfo.InvariantCulture)} avg60=0.00 avg300=0.00 total=1\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
    }
}
