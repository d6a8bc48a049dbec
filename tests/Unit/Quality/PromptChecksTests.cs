using EdgeLm.Core.Quality;

namespace EdgeLm.Tests.Quality;

/// <summary>Each check kind judged on strings alone: when it holds, when it fails, and what the failure says.</summary>
public sealed class PromptChecksTests
{
    private static string? Judge(PromptCheck check, string output, int tokens = 1) => PromptChecks.Compile(check).Judge(output, tokens);

    [Fact]
    public void ContainsLooksForTheTextWithCaseUnlessToldNot()
    {
        Assert.Null(Judge(new PromptCheck { Contains = "Paris" }, "The capital is Paris."));
        Assert.Equal("not found", Judge(new PromptCheck { Contains = "Paris" }, "the capital is paris."));
        Assert.Null(Judge(new PromptCheck { Contains = "Paris", IgnoreCase = true }, "the capital is PARIS."));
        Assert.Equal("contains 'Paris' (ignoring case)", PromptChecks.Compile(new PromptCheck { Contains = "Paris", IgnoreCase = true }).Description);
    }

    [Fact]
    public void ExactComparesTheTrimmedAnswer()
    {
        Assert.Null(Judge(new PromptCheck { Exact = "42" }, "  42\n"));
        Assert.Null(Judge(new PromptCheck { Exact = " 42 " }, "42"));
        Assert.Equal("got '42.'", Judge(new PromptCheck { Exact = "42" }, "42."));
        Assert.Equal("got 'The answer is 42'", Judge(new PromptCheck { Exact = "42" }, "The answer is 42"));
        Assert.Null(Judge(new PromptCheck { Exact = "yes", IgnoreCase = true }, "Yes"));
    }

    [Fact]
    public void AFailureQuotesALongAnswerOnOneLineCutShort()
    {
        string why = Judge(new PromptCheck { Exact = "42" }, "line one\nline two " + new string('x', 200))!;
        Assert.StartsWith("got 'line one\\nline two xxx", why);
        Assert.EndsWith("…'", why);
        Assert.True(why.Length < 80, why);
    }

    [Fact]
    public void RegexMatchesAnywhereUnlessAnchored()
    {
        Assert.Null(Judge(new PromptCheck { Regex = @"\d{4}-\d{2}-\d{2}" }, "It was 1969-07-20, a Sunday."));
        Assert.Equal("no match", Judge(new PromptCheck { Regex = @"^\d{4}-\d{2}-\d{2}$" }, "It was 1969-07-20."));
        Assert.Null(Judge(new PromptCheck { Regex = "^yes$", IgnoreCase = true }, "YES"));
    }

    [Fact]
    public void ARegexThatBacktracksWithoutEndFailsTheCheckInsteadOfHanging()
    {
        string why = Judge(new PromptCheck { Regex = "^(a+)+$" }, new string('a', 40) + "!")!;
        Assert.Contains("gave up", why);
        Assert.Contains("simplify the pattern", why);
    }

    [Theory]
    [InlineData("{\"name\": \"Ada\", \"age\": 30}")]
    [InlineData("  [1, 2, 3]\n")]
    [InlineData("```json\n{\"a\": 1}\n```")]
    [InlineData("```\n{\"a\": 1}\n```\n")]
    [InlineData("42")]
    public void JsonHoldsForJsonAndForJsonInOneFence(string output) => Assert.Null(Judge(new PromptCheck { Json = true }, output));

    [Theory]
    [InlineData("Sure! {\"a\": 1}", "not JSON")]
    [InlineData("{\"a\": 1", "not JSON")]
    [InlineData("```json\n{\"a\": 1}\n``` and more", "not JSON")]
    [InlineData("   ", "the answer is empty")]
    public void JsonFailsForAnythingElseSayingWhy(string output, string why) => Assert.StartsWith(why, Judge(new PromptCheck { Json = true }, output));

    [Fact]
    public void LengthCountsCharactersInclusively()
    {
        var bounds = new PromptCheck { Length = new CheckBounds { Min = 2, Max = 5 } };
        Assert.Null(Judge(bounds, "ab"));
        Assert.Null(Judge(bounds, "abcde"));
        Assert.Equal("1 characters, fewer than 2", Judge(bounds, "a"));
        Assert.Equal("6 characters, more than 5", Judge(bounds, "abcdef"));
        Assert.Equal("length 2..5", PromptChecks.Compile(bounds).Description);
        Assert.Null(Judge(new PromptCheck { Length = new CheckBounds { Max = 3 } }, string.Empty));
    }

    [Fact]
    public void TokensCountsTheEnginesTokensNotTheText()
    {
        var bounds = new PromptCheck { Tokens = new CheckBounds { Min = 8 } };
        Assert.Null(Judge(bounds, "x", tokens: 8));
        Assert.Equal("7 tokens, fewer than 8", Judge(bounds, new string('x', 500), tokens: 7));
        Assert.Equal("tokens >= 8", PromptChecks.Compile(bounds).Description);
        Assert.Equal("tokens <= 40", PromptChecks.Compile(new PromptCheck { Tokens = new CheckBounds { Max = 40 } }).Description);
    }

    [Fact]
    public void FailuresNameEachFailedRuleInTheSuitesOrder()
    {
        CheckRule[] rules =
        {
            PromptChecks.Compile(new PromptCheck { Contains = "Paris" }),
            PromptChecks.Compile(new PromptCheck { Length = new CheckBounds { Max = 3 } }),
            PromptChecks.Compile(new PromptCheck { Regex = "^L" }),
        };

        Assert.Equal(new[] { "contains 'Paris': not found", "length <= 3: 4 characters, more than 3" }, PromptChecks.Failures(rules, "Lyon", 1));
        Assert.Empty(PromptChecks.Failures(rules.Skip(2), "Lyon", 1));
    }
}
