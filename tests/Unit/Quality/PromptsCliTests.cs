using System.Text.Json;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Quality;

/// <summary>edgelm prompts end to end, in a real edgelm process with its worker, on the tiny synthetic model.</summary>
[Collection(TinyModelCollection.Name)]
public sealed class PromptsCliTests : IDisposable
{
    private readonly TinyModel _tiny;
    private readonly TempFolder _temp = new();

    public PromptsCliTests(TinyModel tiny) => _tiny = tiny;

    public void Dispose() => _temp.Dispose();

    private string Suite(string yaml)
    {
        string path = _temp.File("suite.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private const string TwoPrompts = "name: cli\nmaxTokens: 3\nprompts:\n  - id: holds\n    prompt: Hi\n    checks:\n      - tokens: { max: 3 }\n" +
        "  - id: fails\n    prompt: Bye\n    checks:\n      - tokens: { min: 4 }\n";

    [Fact]
    public void PrintsOneJsonRecordPerPromptAndModel()
    {
        string suite = Suite(TwoPrompts);
        (int exit, string stdout, string stderr) = ProcessRunner.Edgelm("prompts", "--model", _tiny.Path, "--model", _tiny.Path, "--suite", suite, "--threads", "1", "--format", "json");

        Assert.True(exit == 0, stderr);
        JsonElement[] records = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(new[] { "holds", "fails", "holds", "fails" }, records.Select(r => r.GetProperty("PromptId").GetString()));
        Assert.Equal(new[] { true, false, true, false }, records.Select(r => r.GetProperty("Passed").GetBoolean()));
        Assert.All(records, r => Assert.True(r.GetProperty("SyntheticWeights").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, records[0].GetProperty("OutputChanged").ValueKind);
        Assert.False(records[2].GetProperty("OutputChanged").GetBoolean());
        Assert.StartsWith("tokens >= 4:", records[1].GetProperty("FailedChecks").GetString());
    }

    [Fact]
    public void PrintsASummaryPerModelAsATable()
    {
        string suite = Suite(TwoPrompts);
        (int exit, string stdout, string stderr) = ProcessRunner.Edgelm("prompts", "--model", _tiny.Path, "--suite", suite, "--threads", "1", "--summary");

        Assert.True(exit == 0, stderr);
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ModelName", lines[0]);
        Assert.Matches(@"^synthetic-tiny\s+F16\s+2\s+1\s+1\s+50 %\s+True$", lines[2].TrimEnd());
    }

    [Fact]
    public void ABadSuiteIsOneErrorLineAndExitOne()
    {
        string suite = Suite("prompts:\n  - id: a\n    prompt: x\n    checks:\n      - regex: '('\n");
        (int exit, string stdout, string stderr) = ProcessRunner.Edgelm("prompts", "--model", _tiny.Path, "--suite", suite);

        Assert.Equal(1, exit);
        Assert.Empty(stdout);
        Assert.StartsWith($"edgelm: {suite} line 5, column 16: prompt 'a': regex '(' is not a valid .NET regular expression", stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void AMissingSuiteOptionIsACommandLineError()
    {
        (int exit, _, string stderr) = ProcessRunner.Edgelm("prompts", "--model", _tiny.Path);

        Assert.Equal(2, exit);
        Assert.Contains("prompts: --suite is required", stderr);
    }
}
