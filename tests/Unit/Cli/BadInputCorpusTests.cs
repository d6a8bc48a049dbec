using System.Text;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Cli;

/// <summary>
/// Our own corpus of bad input, at least one of each kind the malformed-input campaign found (issue 12): what
/// crashed the caller, hung, ballooned, gave a generic error, destroyed data, was wrongly accepted or wrongly
/// diagnosed. Each runs the real edgelm as its own process, watched: it must end by itself (the hang limit is
/// far beyond any honest refusal, so a busy machine never trips it), stay within a few hundred MB with its
/// worker, and say one `edgelm:` line naming the problem, never "unexpected"; files that were there are untouched.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class BadInputCorpusTests : IDisposable
{
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(90);
    private const long MemoryLimitBytes = 600L * 1024 * 1024;

    private readonly TinyModel _tiny;
    private readonly TempFolder _temp = new();
    private readonly HashSet<string> _fifos = new(StringComparer.Ordinal);

    public BadInputCorpusTests(TinyModel tiny) => _tiny = tiny;

    public void Dispose() => _temp.Dispose();

    /// <summary>One bad input: how to set it up (returning edgelm's arguments), the exit code and what the error names.</summary>
    private sealed record BadInput(string Kind, Func<BadInputCorpusTests, string[]> Arguments, int Exit, string Says);

    private static readonly Dictionary<string, BadInput> Corpus = new()
    {
        // Crashes of the caller: hyperparameters llama.cpp aborts on, refused before it sees them; a plan nested too deep.
        ["crash: block_count 0, quantize"] = new("crash", t => new[] { "model", "quantize", "--model", t.Patched("llama.block_count", 0u), "--quantization", "Q8_0", "--out", t.File("q.gguf") }, 1, "llama.block_count is 0"),
        ["crash: block_count 0, infer in process"] = new("crash", t => new[] { "infer", "--in-process", "--model", t.Patched("llama.block_count", 0u), "--prompt", "x" }, 1, "llama.block_count is 0"),
        ["crash: rms epsilon NaN, model info"] = new("crash", t => new[] { "model", "info", "--model", t.Patched("llama.attention.layer_norm_rms_epsilon", float.NaN) }, 1, "layer_norm_rms_epsilon is NaN"),
        ["crash: plan nested 30000 deep"] = new("crash", t => new[] { "bench", "--plan", t.Text("deep.yaml", "models: " + new string('[', 30_000) + new string(']', 30_000)) }, 1, "deeper than"),

        // Hangs: special files where a regular one belongs, and sizes no one meant.
        ["hang: model is a FIFO"] = new("hang", t => new[] { "model", "info", "--model", t.Fifo("model.gguf") }, 1, "FIFO"),
        ["hang: plan is a FIFO"] = new("hang", t => new[] { "bench", "--plan", t.Fifo("plan.yaml") }, 1, "FIFO"),
        ["hang: budget is a FIFO"] = new("hang", t => new[] { "budget", "--in", t.Results(), "--budget", t.Fifo("budget.yaml") }, 1, "FIFO"),
        ["hang: results file is a FIFO"] = new("hang", t => new[] { "export", "--in", t.Fifo("results.jsonl") }, 1, "FIFO"),
        ["hang: export onto a FIFO"] = new("hang", t => new[] { "export", "--in", t.Results(), "--to", "csv", "--out", t.Fifo("export.csv") }, 1, "FIFO"),
        ["hang: board catalog is /dev/zero"] = new("hang", t => new[] { "device", "--board-catalog", "/dev/zero", "--format", "json" }, 0, "board catalog not readable"),
        ["hang: /proc files that are a FIFO and /dev/zero"] = new("hang", t => new[] { "device", "--root", t.HostileRoot(), "--format", "json" }, 0, "a named pipe (FIFO), not a regular file"),
        ["hang: plan of 100x100x100 configurations"] = new("hang", t => new[] { "bench", "--plan", t.Plan("threads: [" + Range(1, 100) + "]\npromptTokens: [" + Range(1, 100) + "]\ngenerationTokens: [" + Range(1, 100) + "]\n") }, 1, "--allow-large"),
        ["hang: --threads 100000"] = new("hang", t => new[] { "infer", "--model", t._tiny.Path, "--prompt", "x", "--threads", "100000" }, 1, "threads"),

        // Memory: endless files, and numbers far beyond the model or the machine.
        ["hang: quality text is a FIFO"] = new("hang", t => new[] { "bench", "--plan", t.Plan($"quality: {{text: {t.Fifo("text.txt")}}}\n") }, 1, "FIFO"),
        ["memory: quality text is /dev/zero"] = new("memory", t => new[] { "bench", "--plan", t.Plan("quality: {text: /dev/zero}\n") }, 1, "character device"),
        ["memory: plan is /dev/urandom"] = new("memory", t => new[] { "bench", "--plan", "/dev/urandom" }, 1, "character device"),
        ["memory: results file is /dev/zero"] = new("memory", t => new[] { "export", "--in", "/dev/zero" }, 1, "character device"),
        ["memory: --max-tokens 1000000000"] = new("memory", t => new[] { "infer", "--model", t._tiny.Path, "--prompt", "x", "--max-tokens", "1000000000" }, 1, "trained for"),
        ["memory: --context 2147483647"] = new("memory", t => new[] { "infer", "--model", t._tiny.Path, "--prompt", "x", "--context", "2147483647" }, 1, "trained for"),
        ["memory: --prompt-tokens 2147483647"] = new("memory", t => new[] { "infer", "--model", t._tiny.Path, "--prompt-tokens", "2147483647" }, 1, "trained for"),
        ["memory: generationTokens 1000000000 in a plan"] = new("memory", t => new[] { "bench", "--plan", t.Plan("generationTokens: [1000000000]\n") }, 1, "trained for"),
        ["memory: a 1e12-run plan"] = new("memory", t => new[] { "bench", "--plan", t.Plan("threads: [" + Range(1, 10_000) + "]\npromptTokens: [" + Range(1, 10_000) + "]\ngenerationTokens: [" + Range(1, 10_000) + "]\n") }, 1, "split it into several plans"),
        ["memory: a 50 MB threads list"] = new("memory", t => new[] { "bench", "--plan", t.Text("huge.yaml", "threads: [" + string.Join(",", Enumerable.Repeat("1", 25_000_000)) + "]") }, 1, "MiB"),

        // Generic errors: each gets a diagnosis instead.
        ["generic: --model /dev/stdin"] = new("generic", t => new[] { "model", "info", "--model", "/dev/stdin" }, 1, "not a regular file"),
        ["generic: threads: ~ in a plan"] = new("generic", t => new[] { "bench", "--plan", t.Plan("threads: ~\n") }, 1, "threads"),
        ["generic: baselineSeconds .inf"] = new("generic", t => new[] { "bench", "--plan", t.Plan("energy: true\nbaselineSeconds: .inf\n") }, 1, "baselineSeconds"),
        ["generic: empty model path"] = new("generic", t => new[] { "model", "info", "--model", "" }, 2, "model"),
        ["generic: non-ASCII digits"] = new("generic", t => new[] { "infer", "--model", t._tiny.Path, "--prompt", "x", "--threads", "\u0663" }, 2, "--threads"),

        ["generic: the synthetic model cache cannot be created"] = new("generic", t => new[] { "bench", "--plan", t.Text("synthetic.yaml", "models:\n  - synthetic: tiny\n    quantizations: [F16]\nmodelCache: /dev/null/models\n") }, 1, "set the plan's modelCache to a writable folder"),

        ["generic: a fleet of no hosts"] = new("generic", t => new[] { "fleet", "--hosts", ",", "--plan", t.Plan(string.Empty), "--out", t.File("fleet.jsonl") }, 1, "no board to run on"),
        ["hang: a fleet plan that is /dev/zero"] = new("hang", t => new[] { "fleet", "--hosts", "127.0.0.1:9", "--plan", "/dev/zero", "--out", t.File("fleet.jsonl") }, 1, "character device"),

        // Data that is not ours is never destroyed.
        ["destroy: --resume on a note"] = new("destroy", t => new[] { "bench", "--model", t._tiny.Path, "--threads", "1", "--prompt-tokens", "4", "--generation-tokens", "2", "--repetitions", "1", "--warmups", "0", "--resume", "--out", t.Text("note.txt", "remember to buy milk\n") }, 1, "not an EdgeLm results file"),
        ["destroy: export onto /dev/full"] = new("destroy", t => new[] { "export", "--in", t.Results(), "--out", "/dev/full" }, 1, "character device"),
        ["destroy: --force onto /dev/full"] = new("destroy", t => new[] { "model", "quantize", "--model", t._tiny.Path, "--quantization", "Q8_0", "--out", "/dev/full", "--force" }, 1, "character device"),

        // Wrongly accepted: refused now, naming what is wrong.
        ["accepted: --top-p 7"] = new("accepted", t => new[] { "infer", "--model", t._tiny.Path, "--prompt", "x", "--top-p", "7" }, 2, "--top-p"),
        ["accepted: negative temperature"] = new("accepted", t => new[] { "infer", "--model", t._tiny.Path, "--prompt", "x", "--temperature", "-1" }, 2, "--temperature"),
        ["accepted: a garbage meter"] = new("accepted", t => new[] { "power-sources", "--meter", "garbage" }, 1, "meter 'garbage'"),
        ["accepted: results file {}"] = new("accepted", t => new[] { "export", "--in", t.Text("empty-object.jsonl", "{}\n") }, 1, "empty-object.jsonl"),
        ["accepted: --seed 1099511627776"] = new("accepted", t => new[] { "infer", "--model", t._tiny.Path, "--prompt", "x", "--seed", "1099511627776" }, 2, "--seed"),
        ["accepted: a budget of 3GB on tokens per second"] = new("accepted", t => new[] { "budget", "--in", t.Results(), "--budget", t.Text("budget.yaml", "budgets:\n  - figure: DecodeTokensPerSecond\n    min: 3GB\n") }, 1, "is in bytes"),
        ["accepted: a semicolon-delimited CSV"] = new("accepted", t => new[] { "export", "--in", t.Text("semi.csv", "\"RunId\";\"DeviceName\"\n\"a\";\"b\"\n") }, 1, "delimited by ';'"),
        ["accepted: tensor dimension 2^62"] = new("accepted", t => new[] { "model", "info", "--model", t.TensorDimension(1L << 62) }, 1, "tensor"),

        // Wrong diagnoses, now named for what they are.
        ["diagnosis: a plan's wrong type"] = new("diagnosis", t => new[] { "bench", "--plan", t.Plan("threads: abc\n") }, 1, "threads must be a list of whole numbers"),
        ["diagnosis: a RAPL counter that is a folder"] = new("diagnosis", t => new[] { "power-sources", "--root", t.RaplFolderRoot(), "--format", "json" }, 0, "energy_uj: a folder, not a regular file"),
    };

    public static TheoryData<string> Names => new(Corpus.Keys);

    [Fact]
    public void TheCorpusHoldsEveryKindOfBadInput()
    {
        Assert.Equal(new[] { "accepted", "crash", "destroy", "diagnosis", "generic", "hang", "memory" }, Corpus.Values.Select(c => c.Kind).Distinct().Order());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EachBadInputIsOneClearErrorWithinBounds(string name)
    {
        BadInput input = Corpus[name];
        string[] arguments = input.Arguments(this);
        Dictionary<string, byte[]> before = Snapshot();

        WatchedRun run = WatchedProcess.Edgelm(HangLimit, arguments);

        Assert.False(run.Killed, $"{name}: still running after {HangLimit.TotalSeconds} s; stderr: {run.Err}");
        Assert.True(run.PeakRssBytes < MemoryLimitBytes, $"{name}: {run.PeakRssBytes / (1 << 20)} MiB resident");
        Assert.True(input.Exit == run.Exit, $"{name}: exit {run.Exit}, expected {input.Exit}; stderr: {run.Err}");
        if (input.Exit != 0)
        {
            // Notes and warnings may come first; the refusal is one line.
            string[] lines = run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Where(l => !l.StartsWith("edgelm: note:", StringComparison.Ordinal) && !l.StartsWith("edgelm: warning:", StringComparison.Ordinal)).ToArray();
            Assert.True(lines.Length == 1, $"{name}: {lines.Length} lines on stderr: {run.Err}");
            Assert.StartsWith("edgelm: ", lines[0]);
            Assert.DoesNotContain("unexpected", lines[0], StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("System.", lines[0], StringComparison.Ordinal); // no .NET type names
            Assert.DoesNotContain("`1", lines[0], StringComparison.Ordinal);
            Assert.Contains(input.Says, lines[0], StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            // Accepted with a warning in the record, which must say what was wrong.
            Assert.Contains(input.Says, run.Out, StringComparison.OrdinalIgnoreCase);
        }

        foreach ((string path, byte[] bytes) in before)
        {
            Assert.True(System.IO.File.Exists(path) && System.IO.File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes), $"{name}: {path} changed");
        }

        Assert.True(ProcessRunner.Run("test", new[] { "-c", "/dev/full" }).Exit == 0, "/dev/full is no longer a character device");
    }

    private string File(string name) => _temp.File(name);

    private string Text(string name, string text)
    {
        System.IO.File.WriteAllText(File(name), text);
        return File(name);
    }

    private string Plan(string settings) =>
        Text($"plan-{Guid.NewGuid():N}.yaml", $"models:\n  - path: {_tiny.Path}\nrepetitions: 1\nwarmups: 0\n{settings}");

    private string Fifo(string name)
    {
        Assert.Equal(0, ProcessRunner.Run("mkfifo", new[] { File(name) }).Exit);
        _fifos.Add(File(name));
        return File(name);
    }

    /// <summary>A snapshot root whose /proc/cpuinfo is a FIFO and whose /proc/meminfo and /proc/stat are /dev/zero.</summary>
    private string HostileRoot()
    {
        string proc = Path.Combine(_temp.Path, "root", "proc");
        Directory.CreateDirectory(proc);
        Fifo(Path.Combine("root", "proc", "cpuinfo"));
        System.IO.File.CreateSymbolicLink(Path.Combine(proc, "meminfo"), "/dev/zero");
        System.IO.File.CreateSymbolicLink(Path.Combine(proc, "stat"), "/dev/zero");
        return Path.Combine(_temp.Path, "root");
    }

    /// <summary>A snapshot root whose RAPL package counter is a folder (once reported as "root-only").</summary>
    private string RaplFolderRoot()
    {
        string zone = Path.Combine(_temp.Path, "rapl-root", "sys", "class", "powercap", "intel-rapl:0");
        Directory.CreateDirectory(Path.Combine(zone, "energy_uj"));
        System.IO.File.WriteAllText(Path.Combine(zone, "name"), "package-0\n");
        return Path.Combine(_temp.Path, "rapl-root");
    }

    /// <summary>A small results file of one real record, for the commands that need one.</summary>
    private string Results()
    {
        string path = File("results.jsonl");
        var run = ProcessRunner.EdgelmInProcess("infer", "--model", _tiny.Path, "--prompt", "x", "--max-tokens", "2", "--threads", "1", "--in-process", "--format", "json");
        Assert.Equal(0, run.Exit);
        System.IO.File.WriteAllText(path, run.Out);
        return path;
    }

    /// <summary>A copy of the tiny model with one 4-byte metadata value (UInt32 or Float32) replaced in place.</summary>
    private string Patched(string key, object value)
    {
        byte[] bytes = System.IO.File.ReadAllBytes(_tiny.Path);
        byte[] name = Encoding.ASCII.GetBytes(key);
        int at = bytes.AsSpan().IndexOf(name);
        Assert.True(at > 0, $"{key} not in the tiny model");
        byte[] replacement = value switch
        {
            uint u => BitConverter.GetBytes(u),
            float f => BitConverter.GetBytes(f),
            _ => throw new ArgumentException("a UInt32 or Float32", nameof(value)),
        };
        replacement.CopyTo(bytes, at + name.Length + 4); // after the key comes its value type (4 bytes), then the value
        string path = File($"patched-{Guid.NewGuid():N}.gguf");
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A copy of the tiny model whose output_norm.weight claims <paramref name="dimension"/> elements.</summary>
    private string TensorDimension(long dimension)
    {
        byte[] bytes = System.IO.File.ReadAllBytes(_tiny.Path);
        byte[] name = Encoding.ASCII.GetBytes("output_norm.weight");
        int at = bytes.AsSpan().IndexOf(name);
        Assert.True(at > 0, "output_norm.weight not in the tiny model");
        BitConverter.GetBytes(dimension).CopyTo(bytes, at + name.Length + 4); // after the name: dimension count, then dimensions
        string path = File("dimension.gguf");
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Every file in the temporary folder but the FIFOs (reading one would block), and the tiny model.</summary>
    private Dictionary<string, byte[]> Snapshot()
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal) { [_tiny.Path] = System.IO.File.ReadAllBytes(_tiny.Path) };
        foreach (string path in Directory.GetFiles(_temp.Path).Where(p => !_fifos.Contains(p)))
        {
            files[path] = System.IO.File.ReadAllBytes(path);
        }

        return files;
    }

    private static string Range(int from, int count) => string.Join(",", Enumerable.Range(from, count));
}
