using EdgeLm.Core;
using EdgeLm.Core.Quality;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Quality;

/// <summary>
/// Prompt suites are read strictly: every refusal names the file, line and column, the prompt and the fix, before
/// any model loads. (FIFOs, devices, oversized and deeply nested files: HostileFileTests, reader "suite".)
/// </summary>
public sealed class PromptSuiteReaderTests
{
    private const string File = "/suites/s.yaml";

    private static EdgeLmInvalidFileException Refused(string yaml) =>
        Assert.Throws<EdgeLmInvalidFileException>(() => PromptSuiteReader.Parse(yaml, File));

    [Fact]
    public void TheShippedExampleReadsWithEveryCheckKind()
    {
        LoadedSuite suite = PromptSuiteReader.Read(Path.Combine(Repository.Root, "examples", "prompts.yaml"));

        Assert.Equal("basics", suite.Name);
        Assert.Equal(new[] { "arithmetic", "capital", "json", "iso-date", "haiku" }, suite.Prompts.Select(p => p.Id));
        string[] kinds = suite.Prompts.SelectMany(p => p.Checks).Select(c => c.Description.Split(' ')[0]).Distinct().Order().ToArray();
        Assert.Equal(new[] { "contains", "exact", "json", "length", "regex", "tokens" }, kinds);
        Assert.Equal(0, suite.Suite.Temperature);
    }

    [Fact]
    public void PromptsTakeTheSuitesDefaultsUnlessTheyGiveTheirOwn()
    {
        LoadedSuite suite = PromptSuiteReader.Parse("""
            maxTokens: 32
            systemPrompt: Be brief.
            prompts:
              - id: a
                prompt: one
              - id: b
                prompt: two
                maxTokens: 8
                systemPrompt: Be a poet.
                checks:
                  - contains: x
                  - length: { max: 10 }
            """, File);

        Assert.Equal("s", suite.Name);
        Assert.Equal((32, "Be brief.", 0), (suite.Prompts[0].MaxTokens, suite.Prompts[0].SystemPrompt, suite.Prompts[0].Checks.Count));
        Assert.Equal((8, "Be a poet.", 2), (suite.Prompts[1].MaxTokens, suite.Prompts[1].SystemPrompt, suite.Prompts[1].Checks.Count));
        Assert.Equal(PromptSuite.DefaultMaxTokens, PromptSuiteReader.Parse("prompts: [{ id: a, prompt: x }]", File).Prompts[0].MaxTokens);
    }

    [Fact]
    public void AnUnknownKeyIsNamedWithItsPlaceAndTheKeysAllowedThere()
    {
        var e = Refused("prompts:\n  - id: a\n    prompt: x\n    checks:\n      - contain: Paris\n");
        Assert.Equal("SuiteInvalid", e.ErrorId);
        Assert.StartsWith($"{File} line 5, column 9: unknown key 'contain'", e.Message);
        Assert.Contains("contains, regex, exact, json, length, tokens, ignoreCase", e.Message);

        e = Refused("prompt:\n  - id: a\n");
        Assert.Contains("line 1, column 1: unknown key 'prompt'; the keys here are name, systemPrompt, maxTokens, temperature, seed, prompts", e.Message);
    }

    [Theory]
    [InlineData("maxTokens: lots\nprompts: [{ id: a, prompt: x }]", "line 1, column 12: maxTokens must be a whole number; got 'lots'")]
    [InlineData("prompts:\n  - id: a\n    prompt: x\n    maxTokens: [1]\n", "line 4, column 16: prompts[0].maxTokens must be a whole number; got a list")]
    [InlineData("prompts:\n  - id: a\n    prompt: x\n    checks:\n      - length: 200\n", "line 5, column 17: prompts[0].checks[0].length must be a mapping with min, max or both, e.g. { max: 200 }; got '200'")]
    [InlineData("prompts:\n  - id: a\n    prompt: x\n    checks:\n      - json: yes please\n", "prompts[0].checks[0].json must be true or false; got 'yes please'")]
    [InlineData("prompts: one", "prompts must be a list of prompts, each a mapping with 'id', 'prompt' and 'checks'; got 'one'")]
    [InlineData("prompts:\n  - id: a\n    prompt: x\n    checks: { contains: x }\n", "prompts[0].checks must be a list of checks, each a mapping with one of contains, regex, exact, json, length, tokens; got a mapping")]
    public void AWrongTypeIsNamedByItsKeyInTheSuitesWords(string yaml, string expected)
    {
        var e = Refused(yaml);
        Assert.Equal("SuiteInvalid", e.ErrorId);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain("System.", e.Message);
    }

    [Fact]
    public void ABadRegexIsRefusedNamingThePromptAndWhere()
    {
        var e = Refused("prompts:\n  - id: date\n    prompt: x\n    checks:\n      - regex: '(\\d+'\n");
        Assert.Equal("SuiteInvalidRegex", e.ErrorId);
        Assert.StartsWith($"{File} line 5, column 16: prompt 'date': regex '(\\d+' is not a valid .NET regular expression", e.Message);
        Assert.Contains("Not enough )'s", e.Message);
    }

    [Theory]
    [InlineData("prompts: []", "SuiteEmpty", "no prompts")]
    [InlineData("name: x", "SuiteEmpty", "no prompts")]
    [InlineData("", "SuiteEmpty", "no prompts")]
    [InlineData("prompts:\n  - prompt: x\n", "SuiteInvalidPrompt", "prompts[0] has no 'id'")]
    [InlineData("prompts:\n  - id: a\n", "SuiteInvalidPrompt", "prompt 'a' has no 'prompt' text")]
    [InlineData("prompts:\n  - id: a\n    prompt: x\n  - id: a\n    prompt: y\n", "SuiteDuplicateId", "line 4, column 9: prompt id 'a' is used twice")]
    [InlineData("prompts:\n  - id: a\n    prompt: x\n    checks:\n      - ignoreCase: true\n", "SuiteInvalidCheck", "prompt 'a': check 1 has no kind")]
    [InlineData("prompts:\n  - id: a\n    prompt: x\n    checks:\n      - { contains: x, regex: y }\n", "SuiteInvalidCheck", "check 1 has contains and regex; a check has one kind")]
    [InlineData("prompts:\n  - id: a\n    prompt: x\n    checks:\n      - json: false\n", "SuiteInvalidCheck", "'json: false' checks nothing")]
    [InlineData("prompts:\n  - id: a\n    prompt: x\n    checks:\n      - contains: ''\n", "SuiteInvalidCheck", "contains is empty, which every answer passes")]
    [InlineData("prompts:\n  - id: a\n    prompt: x\n    checks:\n      - length: { min: 10, max: 5 }\n", "SuiteInvalidCheck", "length 10..5 can never hold")]
    [InlineData("prompts:\n  - id: a\n    prompt: x\n    checks:\n      - tokens: {}\n", "SuiteInvalidCheck", "tokens needs min, max or both")]
    [InlineData("maxTokens: 0\nprompts: [{ id: a, prompt: x }]", "SuiteOutOfRange", "line 1, column 12: maxTokens is 0; generate at least 1 token")]
    [InlineData("prompts:\n  - id: a\n    prompt: x\n    maxTokens: -3\n", "SuiteOutOfRange", "prompts[0].maxTokens is -3")]
    [InlineData("temperature: -1\nprompts: [{ id: a, prompt: x }]", "SuiteOutOfRange", "temperature is -1")]
    [InlineData("seed: 4294967295\nprompts: [{ id: a, prompt: x }]", "SuiteOutOfRange", "seed is 4294967295")]
    [InlineData("maxTokens: ~\nprompts: [{ id: a, prompt: x }]", "SuiteInvalid", "maxTokens is empty (~); give a whole number")]
    [InlineData("prompts:\n  - id: a\n    prompt: x\n    checks: ~\n", "SuiteInvalidCheck", "'checks' is empty (~)")]
    [InlineData("prompts: [{ id: a, prompt: x }\n", "SuiteInvalid", "line 2")]
    public void AnUnusableSuiteIsRefusedSayingWhatToFix(string yaml, string errorId, string expected)
    {
        var e = Refused(yaml);
        Assert.Equal(errorId, e.ErrorId);
        Assert.StartsWith(File, e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void AMissingSuiteIsNamed()
    {
        var e = Assert.Throws<EdgeLmInvalidFileException>(() => PromptSuiteReader.Read("/nonexistent/suite.yaml"));
        Assert.Equal("SuiteNotFound", e.ErrorId);
        Assert.Contains("prompt suite", e.Message);
    }

    [Fact]
    public void TooManyPromptsAreRefused()
    {
        string yaml = "prompts:\n" + string.Concat(Enumerable.Range(0, PromptSuiteReader.MaxPrompts + 1).Select(i => $"  - {{ id: p{i}, prompt: x }}\n"));
        Assert.Equal("SuiteTooLarge", Refused(yaml).ErrorId);
    }
}
