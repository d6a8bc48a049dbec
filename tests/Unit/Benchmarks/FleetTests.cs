using EdgeLm.Core;
using EdgeLm.Core.Benchmarks;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Benchmarks;

/// <summary>
/// A fleet's pieces without a network: boards named host or host:port, and the merged results file that holds each
/// board's run once, whether it arrived streamed, was read back from the board's own file, or was already there.
/// </summary>
public sealed class FleetTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("pi5-kitchen", "pi5-kitchen", null)]
    [InlineData("127.0.0.1:2201", "127.0.0.1", 2201)]
    [InlineData("[::1]:2202", "::1", 2202)]
    [InlineData("[::1]", "::1", null)]
    [InlineData("fe80::1", "fe80::1", null)]
    public void BoardsAreHostOrHostAndPort(string given, string host, int? port)
    {
        FleetBoard board = Assert.Single(FleetBoards.Parse(new[] { given }, null));
        Assert.Equal(new FleetBoard(given, host, port), board);
    }

    [Fact]
    public void ABoardWithoutAPortTakesTheDefaultOne()
    {
        IReadOnlyList<FleetBoard> boards = FleetBoards.Parse(new[] { "a", "b:2202" }, 2222);
        Assert.Equal(new int?[] { 2222, 2202 }, boards.Select(b => b.Port));
    }

    [Theory]
    [InlineData("host:0", "BoardPortInvalid")]
    [InlineData("host:ssh", "BoardPortInvalid")]
    [InlineData("[::1", "BoardNameInvalid")]
    [InlineData(":22", "BoardNameInvalid")]
    [InlineData("", "BoardNameEmpty")]
    public void AMalformedBoardIsRefusedNamingIt(string given, string errorId)
    {
        var e = Assert.Throws<EdgeLmArgumentException>(() => FleetBoards.Parse(new[] { given }, null));
        Assert.Equal(errorId, e.ErrorId);
    }

    [Fact]
    public void ABoardNamedTwiceIsRefused()
    {
        var e = Assert.Throws<EdgeLmArgumentException>(() => FleetBoards.Parse(new[] { "Pi:22", "pi:22" }, null));
        Assert.Equal("BoardRepeated", e.ErrorId);
    }

    [Fact]
    public void EachBoardsRunIsSavedOnce()
    {
        string path = _folder.File("fleet.jsonl");
        var one = new FleetBoardTally("board1");
        var two = new FleetBoardTally("board2");
        using (FleetResults merged = FleetResults.Open(path, resume: false))
        {
            Assert.True(merged.Add(Run("board1", "k1"), one));
            Assert.True(merged.Add(Run("board2", "k1"), two));
            Assert.False(merged.Add(Run("board1", "k1"), one));
        }

        Assert.Equal((1, 1), (one.Received, one.AlreadySaved));
        Assert.Null(new Func<InferenceResult?>(() =>
        {
            using FleetResults again = FleetResults.Open(path, resume: true);
            Assert.Null(again.AddLine("{\"RunId\":\"cut", one));
            return again.AddLine(RecordText.ToJsonLine(Run("board1", "k1")), one);
        })());
        Assert.Equal("board1", one.DeviceName);
        Assert.Equal(2, ResultFiles.Import(path).Count);
    }

    [Fact]
    public void RunsSavedOnTheBoardButNeverReceivedAreRecovered()
    {
        string path = _folder.File("fleet.jsonl");
        var tally = new FleetBoardTally("127.0.0.1:2202");
        // The board's file: two runs streamed, one lost when the connection dropped, and half a line from a kill.
        string boardFile = string.Join("\n", new[] { "k1", "k2", "k3" }.Select(k => RecordText.ToJsonLine(Run("board2", k)))) + "\n{\"RunId\":\"cut";
        using (FleetResults merged = FleetResults.Open(path, resume: false))
        {
            merged.Add(Run("board2", "k1"), tally);
            merged.Add(Run("board2", "k2"), tally);
            IReadOnlyList<InferenceResult> recovered = merged.Reconcile(boardFile, tally);
            Assert.Equal("k3", Assert.Single(recovered).RunKey);
            Assert.Empty(merged.Reconcile(boardFile, tally));
        }

        Assert.Equal((2, 1, 1), (tally.Received, tally.Recovered, tally.Unreadable));
        Assert.Equal(new[] { "k1", "k2", "k3" }, ResultFiles.Import(path).Select(r => r.RunKey));
        Assert.Contains("1 recovered from its results file", tally.Describe());
    }

    [Fact]
    public void AResumedFleetKnowsTheRunsAlreadySavedAndAFreshOneRefusesTheFile()
    {
        string path = _folder.File("fleet.jsonl");
        using (FleetResults merged = FleetResults.Open(path, resume: false))
        {
            merged.Add(Run("board1", "k1"), new FleetBoardTally("board1"));
        }

        var e = Assert.Throws<EdgeLmInvalidFileException>(() => FleetResults.Open(path, resume: false));
        Assert.Equal("ResultsExist", e.ErrorId);
        var tally = new FleetBoardTally("board1");
        using (FleetResults merged = FleetResults.Open(path, resume: true))
        {
            Assert.Equal(1, merged.ExistingRecords);
            Assert.False(merged.Add(Run("board1", "k1"), tally));
            Assert.True(merged.Add(Run("board2", "k1"), new FleetBoardTally("board2")));
        }
    }

    [Fact]
    public void ThePlansCopyIsNamedByItsTextWhateverItsLineEndings()
    {
        Assert.Equal(FleetPlanCopy.Stem("threads: [1]\nrepetitions: 2\n"), FleetPlanCopy.Stem("threads: [1]\r\nrepetitions: 2\r\n"));
        Assert.NotEqual(FleetPlanCopy.Stem("repetitions: 2\n"), FleetPlanCopy.Stem("repetitions: 3\n"));
        Assert.Matches("^plan-[0-9a-f]{16}$", FleetPlanCopy.Stem("repetitions: 2\n"));
    }

    [Fact]
    public void ABoardRunningAnotherEdgeLmIsWarnedOfOnce()
    {
        var older = new FleetBoardTally("pi5-old");
        var legacy = new FleetBoardTally("pi5-legacy");
        var same = new FleetBoardTally("pi5-new");
        using (FleetResults merged = FleetResults.Open(_folder.File("fleet.jsonl"), resume: false))
        {
            merged.Add(Run("pi5-old", "k1", "0.0.9"), older);
            merged.Add(Run("pi5-legacy", "k1", string.Empty), legacy);
            merged.Add(Run("pi5-new", "k1", EdgeLmBuild.Version), same);
            // The first record tells: a later one from the same board changes nothing.
            merged.Add(Run("pi5-new", "k2", "0.0.9"), same);
        }

        string warning = Assert.IsType<string>(older.TakeVersionWarning("give -DeployModule"));
        Assert.Equal($"pi5-old runs EdgeLm 0.0.9, this machine EdgeLm {EdgeLmBuild.Version}: its records may be measured differently or lack " +
            "columns; give -DeployModule so that every board runs the same", warning);
        Assert.Null(older.TakeVersionWarning("give -DeployModule"));
        Assert.Contains("runs an older EdgeLm (its records carry no EdgeLmVersion)", legacy.TakeVersionWarning("x"));
        Assert.Null(same.TakeVersionWarning("x"));
        var hostile = new FleetBoardTally("pi5-odd");
        using (FleetResults merged = FleetResults.Open(_folder.File("odd.jsonl"), resume: false))
        {
            merged.Add(Run("pi5-odd", "k1", "\u001b]0;owned\u0007" + new string('9', 5000)), hostile);
        }

        string odd = Assert.IsType<string>(hostile.TakeVersionWarning("x"));
        Assert.Contains("unreadable EdgeLmVersion", odd);
        Assert.DoesNotContain('\u001b', odd);
        Assert.True(odd.Length < 300, odd);
        Assert.Null(new FleetBoardTally("silent").TakeVersionWarning("x"));
    }

    [Fact]
    public void TheVersionIsTheAssemblysAndTheModulesVersion()
    {
        Assert.Matches(@"^\d+\.\d+\.\d+$", EdgeLmBuild.Version);
        string manifest = File.ReadAllText(Path.Combine(Repository.Root, "module", "EdgeLm.psd1"));
        Assert.Contains($"ModuleVersion        = '{EdgeLmBuild.Version}'", manifest);
    }

    private static InferenceResult Run(string device, string runKey, string? edgeLmVersion = null) => new()
    {
        RunId = Guid.NewGuid().ToString("n"),
        DeviceName = device,
        RunKey = runKey,
        ModelName = "synthetic-tiny",
        EdgeLmVersion = edgeLmVersion ?? EdgeLmBuild.Version,
    };
}
