using EdgeLm.Core.Host;
using EdgeLm.Core.Quality;
using EdgeLm.Core.Settings;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Quality;

/// <summary>
/// A suite run on the tiny synthetic model: its answers are noise, so the checks used hold or fail whatever the
/// text (token and length bounds), and the records say the weights are synthetic.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class PromptRunTests : IDisposable
{
    private readonly TinyModel _tiny;
    private readonly TempFolder _temp = new();

    public PromptRunTests(TinyModel tiny) => _tiny = tiny;

    public void Dispose() => _temp.Dispose();

    private string Suite(string yaml)
    {
        string path = _temp.File("suite.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private const string TwoPrompts = """
        name: smoke
        maxTokens: 6
        prompts:
          - id: holds
            prompt: Say hello.
            checks:
              - tokens: { min: 1, max: 6 }
              - length: { min: 0 }
          - id: fails
            prompt: What is 2 + 2?
            maxTokens: 4
            checks:
              - tokens: { min: 5 }
              - length: { max: 1000000 }
        """;

    [Fact]
    public void EachPromptBecomesARecordAndTheModelASummary()
    {
        using PromptSuiteRunner runner = PromptSuiteRunner.Open(Suite(TwoPrompts), new RunSettings { Threads = 1, InProcess = true });
        PromptCheckResult[] records = runner.Run(_tiny.Path).ToArray();

        Assert.Equal(new[] { "holds", "fails" }, records.Select(r => r.PromptId));
        Assert.True(records[0].Passed);
        Assert.Null(records[0].FailedChecks);
        Assert.Equal(2, records[0].Checks);
        Assert.False(records[1].Passed);
        Assert.Equal($"tokens >= 5: {records[1].GeneratedTokens} tokens, fewer than 5", records[1].FailedChecks);
        Assert.All(records, r =>
        {
            Assert.True(r.SyntheticWeights);
            Assert.Equal("smoke", r.Suite);
            Assert.Equal(_tiny.Info.ModelName, r.ModelName);
            Assert.Equal(64, r.ModelSha256.Length);
            Assert.Equal(0, r.Temperature);
            Assert.Empty(r.ChatTemplate);   // the synthetic model has no template of its own
            Assert.InRange(r.GeneratedTokens, 1, r.RequestedTokens);
            Assert.Null(r.OutputChanged);
        });
        Assert.Equal(new[] { 6, 4 }, records.Select(r => r.RequestedTokens));

        PromptSuiteSummary summary = Assert.Single(runner.Summaries);
        Assert.Equal((2, 1, 1, 0.5), (summary.Prompts, summary.Passed, summary.Failed, summary.PassRate));
        Assert.Equal(records.Sum(r => r.GeneratedTokens), summary.GeneratedTokens);
        Assert.True(summary.SyntheticWeights);
        Assert.Null(summary.ChangedOutputs);
    }

    [Fact]
    public void LaterModelsAreComparedWithTheFirst()
    {
        string copy = _temp.File("same-weights.gguf");
        File.Copy(_tiny.Path, copy);
        using PromptSuiteRunner runner = PromptSuiteRunner.Open(Suite(TwoPrompts), new RunSettings { Threads = 1, InProcess = true });

        PromptCheckResult[] first = runner.Run(_tiny.Path).ToArray();
        PromptCheckResult[] second = runner.Run(copy).ToArray();

        // Greedy decoding of the same weights gives the same answers: nothing changed.
        Assert.Equal(first.Select(r => r.Output), second.Select(r => r.Output));
        Assert.All(second, r =>
        {
            Assert.Equal(_tiny.Path, r.ReferenceModelPath);
            Assert.False(r.OutputChanged);
        });
        Assert.Equal(0, runner.Summaries[1].ChangedOutputs);
        Assert.Equal(_tiny.Path, runner.Summaries[1].ReferenceModelPath);
    }

    [Fact]
    public void AnAnswerThatDiffersFromTheReferencesIsMarkedChanged()
    {
        var suite = PromptSuiteReader.Parse("prompts: [{ id: a, prompt: x }, { id: b, prompt: y }]", "/s.yaml");
        var records = new[]
        {
            new PromptCheckResult { PromptId = "a", Output = "Paris", Passed = true, OutputChanged = false },
            new PromptCheckResult { PromptId = "b", Output = "Lyon", OutputChanged = true },
        };

        PromptSuiteSummary summary = PromptRecord.Summarize(records, suite, _tiny.Info, synthetic: true, referencePath: "/m/f16.gguf");

        Assert.Equal((2, 1, 1, 1), (summary.Prompts, summary.Passed, summary.Failed, summary.ChangedOutputs));
        Assert.Equal("/m/f16.gguf", summary.ReferenceModelPath);
    }

    [Fact]
    public void TheModelsOwnTemplateIsUsedWhenItHasOneUnlessTheCallerChose()
    {
        ModelInfo with = new() { ChatTemplate = "{{ messages }}" }, without = new();

        Assert.Equal("model", PromptSuiteRunner.Template(null, with));
        Assert.Null(PromptSuiteRunner.Template(null, without));
        Assert.Null(PromptSuiteRunner.Template("none", with));
        Assert.Equal("chatml", PromptSuiteRunner.Template("chatml", without));
    }

    [Fact]
    public void ASystemPromptIsATurnWithATemplateAndPlainTextBeforeThePromptWithout()
    {
        LoadedSuite suite = PromptSuiteReader.Parse("systemPrompt: Be brief.\ntemperature: 0.5\nseed: 7\nprompts: [{ id: a, prompt: Hi, maxTokens: 9 }]", "/s.yaml");
        var machine = new RunSettings { Threads = 3, GpuLayers = 0 };

        RunSettings templated = PromptSuiteRunner.Settings(machine, suite, suite.Prompts[0], "/m.gguf", "model");
        RunSettings plain = PromptSuiteRunner.Settings(machine, suite, suite.Prompts[0], "/m.gguf", null);

        Assert.Equal(("Hi", "Be brief.", "model"), (templated.Prompt, templated.SystemPrompt, templated.ChatTemplate));
        Assert.Equal(("Be brief.\n\nHi", null, null), (plain.Prompt, plain.SystemPrompt, plain.ChatTemplate));
        Assert.Equal((9, 0.5f, 7u, true, 3), (plain.MaxTokens, plain.Temperature, plain.Seed, plain.StopAtEos, plain.Threads));
        plain.Validate();
        templated.Validate();
    }

    [Fact]
    public void ASystemPromptWithoutATemplateIsRefusedByTheSettings()
    {
        var e = Assert.Throws<EdgeLm.Core.EdgeLmArgumentException>(() => new RunSettings { ModelPath = "/m.gguf", Prompt = "x", SystemPrompt = "y" }.Validate());
        Assert.Equal("SystemPromptWithoutTemplate", e.ErrorId);
    }

    [Fact]
    public void ASystemTurnReachesTheModelThroughABuiltInTemplate()
    {
        string suite = Suite("systemPrompt: You are terse.\nmaxTokens: 2\nprompts: [{ id: a, prompt: Hi }]");
        using PromptSuiteRunner runner = PromptSuiteRunner.Open(suite, new RunSettings { Threads = 1, InProcess = true, ChatTemplate = "chatml" });

        PromptCheckResult record = Assert.Single(runner.Run(_tiny.Path));

        Assert.Equal("chatml", record.ChatTemplate);
        Assert.Equal("You are terse.", record.SystemPrompt);
    }

    [Fact]
    public void SyntheticWeightsAreKnownByTheDescriptionEdgeLmWrites()
    {
        Assert.True(EdgeLm.Core.Models.SyntheticWeights.Of(_tiny.Path));
    }
}
