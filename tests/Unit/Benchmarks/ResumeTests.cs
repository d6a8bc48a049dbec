using EdgeLm.Core;
using System.Diagnostics;
using System.Text.Json;
using EdgeLm.Core.Benchmarks;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Benchmarks;

/// <summary>A benchmark killed with SIGKILL and resumed ends with every planned run exactly once and no corrupt line.</summary>
[Collection(TinyModelCollection.Name)]
public sealed class ResumeTests : IDisposable
{
    private readonly TinyModel _tiny;
    private readonly TempFolder _folder = new();

    public ResumeTests(TinyModel tiny) => _tiny = tiny;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void KilledMidRunAndResumedEveryRunIsThereOnce()
    {
        string plan = _folder.File("plan.yaml");
        File.WriteAllText(plan, $"models:\n  - path: {_tiny.Path}\nthreads: [1]\npromptTokens: [8]\ngenerationTokens: [300, 200]\nrepetitions: 4\nwarmups: 0\n");
        string results = _folder.File("results.jsonl");
        string[] planned = BenchmarkMatrix.Expand(PlanReader.Read(plan)).SelectMany(c => Enumerable.Range(1, 4).Select(c.RunKey)).ToArray();

        // First attempt: killed (SIGKILL, no chance to tidy up) once two runs are on disk.
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { Path.Combine(AppContext.BaseDirectory, "edgelm.dll"), "bench", "--plan", plan, "--out", results, "--format", "json" })
        {
            start.ArgumentList.Add(a);
        }

        using (Process first = Process.Start(start)!)
        {
            _ = first.StandardError.ReadToEndAsync();
            for (int seen = 0; seen < 2;)
            {
                Assert.NotNull(first.StandardOutput.ReadLine());
                seen++;
            }

            first.Kill();
            first.WaitForExit();
        }

        // A write cut short by the kill looks like this: half a record, no newline.
        File.AppendAllText(results, "{\"RunId\":\"cut-short\",\"Timest");
        int before = File.ReadAllLines(results).Length;
        Assert.InRange(before, 3, planned.Length);

        var resumed = ProcessRunner.Edgelm("bench", "--plan", plan, "--out", results, "--resume", "--format", "json");

        Assert.Equal(0, resumed.Exit);
        Assert.Contains("removed an incomplete last line", resumed.Err);
        Assert.Contains("resuming:", resumed.Err);
        string[] lines = File.ReadAllLines(results);
        string[] keys = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("RunKey").GetString()!).ToArray();
        Assert.Equal(planned.Order(), keys.Order());
        Assert.All(lines, l => Assert.EndsWith("}", l));
        Assert.True(File.ReadAllText(results).EndsWith('\n'));

        // Resuming a finished benchmark runs nothing more.
        var again = ProcessRunner.Edgelm("bench", "--plan", plan, "--out", results, "--resume", "--format", "json");
        Assert.Equal(0, again.Exit);
        Assert.Equal("", again.Out);
        Assert.Equal(lines.Length, File.ReadAllLines(results).Length);
    }

    [Theory]
    [InlineData("remember to rerun the Pi at 2 threads")]          // a one-line note, no newline
    [InlineData("a note\n")]
    [InlineData("{}\n")]
    [InlineData("{\"name\":\"another tool\",\"version\":3}\n")]
    [InlineData("models:\n  - synthetic: tiny\n")]                // the plan itself
    public void ResumingIntoAFileThatIsNotOursLeavesItUntouched(string content)
    {
        string file = Path.Combine(_folder.Path, "not-results.jsonl");
        File.WriteAllText(file, content);

        var e = Assert.Throws<EdgeLmInvalidFileException>(() => ResultStore.Open(file, resume: true));

        Assert.Equal("ResultsCorrupt", e.ErrorId);
        Assert.Contains("not an EdgeLm record", e.Message);
        Assert.Equal(content, File.ReadAllText(file));
    }

    [Fact]
    public void ResultsAreNeverWrittenToADevice()
    {
        var e = Assert.Throws<EdgeLmInvalidFileException>(() => ResultStore.Open("/dev/full", resume: true));
        Assert.Equal("NotARegularFile", e.ErrorId);
        Assert.Contains("character device", e.Message);
    }

    [Fact]
    public void WithoutResumeAnExistingResultsFileIsNotMixedInto()
    {
        string plan = _folder.File("plan2.yaml");
        File.WriteAllText(plan, $"models:\n  - path: {_tiny.Path}\nthreads: [1]\npromptTokens: [8]\ngenerationTokens: [4]\nrepetitions: 2\nwarmups: 0\n");
        string results = _folder.File("r2.jsonl");
        Assert.Equal(0, ProcessRunner.Edgelm("bench", "--plan", plan, "--out", results).Exit);

        var second = ProcessRunner.Edgelm("bench", "--plan", plan, "--out", results);

        Assert.Equal(1, second.Exit);
        Assert.Contains("--resume", second.Err);
        Assert.Equal(2, File.ReadAllLines(results).Length);

        var summary = ProcessRunner.Edgelm("summary", "--in", results, "--format", "json");
        Assert.Equal(0, summary.Exit);
        using JsonDocument row = JsonDocument.Parse(summary.Out.Trim());
        Assert.Equal(2, row.RootElement.GetProperty("Runs").GetInt32());
        Assert.True(row.RootElement.GetProperty("DecodeTokensPerSecondMedian").GetDouble() > 0);

        // A budget is a CI gate: exit 0 when every rule holds, 1 when one fails.
        string easy = _folder.File("easy.yaml"), hard = _folder.File("hard.yaml");
        File.WriteAllText(easy, "budgets:\n  - figure: DecodeTokensPerSecond\n    min: 1\n");
        File.WriteAllText(hard, "budgets:\n  - figure: DecodeTokensPerSecond\n    min: 1e9\n");
        Assert.Equal(0, ProcessRunner.Edgelm("budget", "--in", results, "--budget", easy).Exit);
        var failing = ProcessRunner.Edgelm("budget", "--in", results, "--budget", hard);
        Assert.Equal(1, failing.Exit);
        Assert.Contains("1 of 1 budget rules failed", failing.Err);
    }
}
