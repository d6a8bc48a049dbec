using EdgeLm.Core;
using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Tests.Benchmarks;

/// <summary>A plan's numbers and paths that are no numbers or paths say why, at their line and column.</summary>
public sealed class PlanNumberTests
{
    private const string File = "/plans/p.yaml";

    private static EdgeLmInvalidFileException Refused(string text) =>
        Assert.Throws<EdgeLmInvalidFileException>(() => PlanReader.Parse(text, File));

    [Theory]
    [InlineData("threads: [\uFF13]", "line 2, column 11: threads[0] must be a whole number; got '\uFF13': '\uFF13' (U+FF13) is not one of the digits 0-9")]
    [InlineData("threads: [\u0663]", "line 2, column 11: threads[0] must be a whole number; got '\u0663': '\u0663' (U+0663) is not one of the digits 0-9")]
    [InlineData("baselineSeconds: 1,5", "line 2, column 18: baselineSeconds must be a number; got '1,5': it has a decimal comma; write 1.5")]
    [InlineData("threads: [99999999999]", "line 2, column 11: threads[0] is '99999999999', out of range: a whole number here is from -2147483648 to 2147483647")]
    public void ANumberThatIsNoneSaysWhyNotTheParsersFormatError(string line, string expected)
    {
        EdgeLmInvalidFileException e = Refused($"models: [{{path: m.gguf}}]\n{line}\n");

        Assert.Equal("PlanInvalid", e.ErrorId);
        Assert.StartsWith($"{File} {expected}", e.Message);
        Assert.DoesNotContain("correct format", e.Message);
        Assert.DoesNotContain("overflow", e.Message);
    }

    [Theory]
    [InlineData("''")]
    [InlineData("'  '")]
    public void AnEmptyModelPathIsNamedNotTakenForThePlansFolder(string path)
    {
        EdgeLmInvalidFileException e = Refused($"models:\n  - path: {path}\n");

        Assert.Equal("PlanInvalidModel", e.ErrorId);
        Assert.Equal($"{File} line 2, column 11: models[0].path is '{path.Trim('\'')}', which names no file; give the path of a .gguf file", e.Message);
    }
}
