using EdgeLm.Core;
using EdgeLm.Core.Benchmarks;
using EdgeLm.Core.Devices;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Core;

/// <summary>
/// Every file EdgeLm reads may be a FIFO with no writer, a device that never ends, or far too big: each is refused
/// at once with the file and the problem named. A hang fails the test (after a generous limit) instead of
/// hanging the suite.
/// </summary>
public sealed class HostileFileTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> Readers => new() { "plan", "budget", "suite", "results.jsonl", "results.csv" };

    [Theory]
    [MemberData(nameof(Readers))]
    public void AFifoIsRefusedNotWaitedOn(string reader)
    {
        string fifo = _temp.File("input-" + reader.Replace('.', '-'));
        Assert.Equal(0, ProcessRunner.Run("mkfifo", new[] { fifo }).Exit);

        var e = Refused(reader, fifo);
        Assert.Equal("NotARegularFile", e.ErrorId);
        Assert.Contains(e.Path, e.Message);
        Assert.Contains("named pipe (FIFO)", e.Message);
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void ADeviceIsRefusedNotRead(string reader)
    {
        var e = Refused(reader, "/dev/zero");
        Assert.Equal("NotARegularFile", e.ErrorId);
        Assert.Contains("character device", e.Message);
    }

    [Theory]
    [InlineData("plan")]
    [InlineData("budget")]
    [InlineData("suite")]
    public void AnOversizedDocumentIsRefusedWithItsLimit(string reader)
    {
        string big = _temp.File("big.yaml");
        File.WriteAllText(big, "# " + new string('x', (int)InputFiles.MaxDocumentBytes) + "\n");

        var e = Refused(reader, big);
        Assert.Equal("FileTooLarge", e.ErrorId);
        Assert.Contains("1 MiB", e.Message);
    }

    [Theory]
    [InlineData("plan")]
    [InlineData("budget")]
    [InlineData("suite")]
    public void DeepOrAliasHeavyYamlIsRefusedBeforeItIsBuilt(string reader)
    {
        // 30,000 levels overflowed the stack inside YamlDotNet's builders: a crash no catch survives.
        string deep = _temp.File("deep.yaml");
        File.WriteAllText(deep, "models: " + new string('[', 30_000) + new string(']', 30_000) + "\n");
        var e = Refused(reader, deep);
        Assert.Equal("YamlTooComplex", e.ErrorId);
        Assert.Contains($"deeper than {YamlLimits.MaxDepth} levels", e.Message);

        string aliases = _temp.File("aliases.yaml");
        File.WriteAllText(aliases, "a: &x [1, 2]\nb: [" + string.Join(", ", Enumerable.Repeat("*x", 200)) + "]\n");
        e = Refused(reader, aliases);
        Assert.Equal("YamlTooComplex", e.ErrorId);
        Assert.Contains("aliases", e.Message);
    }

    [Fact]
    public void AnOverlongLineIsRefusedWithItsNumber()
    {
        string file = _temp.File("lines.txt");
        File.WriteAllText(file, "short\r\n" + new string('y', 100) + "\nlast");

        Assert.Equal(new[] { "short" }, InputFiles.ReadLines(file, 50, "results file").Take(1));
        var e = Assert.Throws<EdgeLmInvalidFileException>(() => InputFiles.ReadLines(file, 50, "results file").ToList());
        Assert.Equal("LineTooLong", e.ErrorId);
        Assert.Contains("line 2 is over 50 characters", e.Message);
        Assert.Equal(new[] { "short", new string('y', 100), "last" }, InputFiles.ReadLines(file, 200, "results file"));
    }

    [Fact]
    public void AWholeFileWriteReplacesAFileOrNothing()
    {
        string file = _temp.File("export.csv");
        File.WriteAllText(file, "before");

        Assert.Throws<InvalidOperationException>(() => OutputFiles.WriteText(file, "an export", writer =>
        {
            writer.Write("half");
            throw new InvalidOperationException("the writer failed half way");
        }));
        Assert.Equal("before", File.ReadAllText(file));

        OutputFiles.WriteText(file, "an export", writer => writer.Write("after"));
        Assert.Equal("after", File.ReadAllText(file));
        Assert.Single(Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public void AWholeFileWriteNeverOpensAFifoOrADevice()
    {
        string fifo = _temp.File("pipe");
        Assert.Equal(0, ProcessRunner.Run("mkfifo", new[] { fifo }).Exit);

        var e = Finishes(() => Assert.Throws<EdgeLmArgumentException>(() => OutputFiles.WriteText(fifo, "an export", w => w.Write("x"))), "writing onto a FIFO");
        Assert.Equal("OutputNotARegularFile", e.ErrorId);
        Assert.Contains("named pipe (FIFO)", e.Message);
        Assert.Equal("OutputNotARegularFile", Assert.Throws<EdgeLmArgumentException>(() => OutputFiles.WriteText("/dev/full", "an export", w => w.Write("x"))).ErrorId);
    }

    [Fact]
    public void ProbeFilesThatArePipesOrDevicesBecomeWarnings()
    {
        string root = _temp.File("root");
        Directory.CreateDirectory(Path.Combine(root, "proc"));
        Assert.Equal(0, ProcessRunner.Run("mkfifo", new[] { Path.Combine(root, "proc", "cpuinfo") }).Exit);
        File.CreateSymbolicLink(Path.Combine(root, "proc", "meminfo"), "/dev/zero");

        string warnings = Finishes(() => DeviceProfiles(root), "the device probe").Warnings ?? string.Empty;
        Assert.Contains("/proc/cpuinfo: a named pipe (FIFO), not a regular file", warnings);
        Assert.Contains("/proc/meminfo: a character device, not a regular file", warnings);
    }

    [Fact]
    public void ABoardCatalogThatIsAFifoIsAWarning()
    {
        string fifo = _temp.File("boards.yaml");
        Assert.Equal(0, ProcessRunner.Run("mkfifo", new[] { fifo }).Exit);

        DeviceProfile profile = Finishes(() => EdgeLm.Core.Host.DeviceProfiles.Read(
            new DeviceProbeOptions { Root = _temp.Path, SearchPath = _temp.Path, BoardCatalogFile = fifo }), "the board catalog");
        Assert.Contains("board catalog not readable", profile.Warnings);
    }

    private static DeviceProfile DeviceProfiles(string root) =>
        EdgeLm.Core.Host.DeviceProfiles.Read(new DeviceProbeOptions { Root = root, SearchPath = root, BoardCatalogFile = "/nonexistent" });

    private static EdgeLmInvalidFileException Refused(string reader, string path)
    {
        Action read = reader switch
        {
            "plan" => () => PlanReader.Read(path),
            "budget" => () => Budgets.Read(path),
            "suite" => () => EdgeLm.Core.Quality.PromptSuiteReader.Read(path),
            "results.jsonl" => () => ResultFiles.Import(path),
            "results.csv" => () => ResultFiles.Import(CsvNamed(path)),
            _ => throw new ArgumentOutOfRangeException(nameof(reader)),
        };

        return Assert.IsType<EdgeLmInvalidFileException>(Finishes(() => Record.Exception(read), $"reading {path} as a {reader}"));
    }

    // Runs on a thread of its own so that a read blocked in open() fails the test instead of hanging the suite.
    private static T Finishes<T>(Func<T> work, string what)
    {
        T result = default!;
        var thread = new Thread(() => result = work()) { IsBackground = true };
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(60)), $"{what} blocked");
        return result;
    }

    // The CSV reader is chosen by extension: a link named .csv to the hostile file.
    private static string CsvNamed(string path)
    {
        string link = Path.Combine(Path.GetTempPath(), $"edgelm-hostile-{Guid.NewGuid():N}.csv");
        File.CreateSymbolicLink(link, path);
        return link;
    }
}
