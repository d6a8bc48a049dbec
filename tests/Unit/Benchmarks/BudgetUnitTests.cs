using EdgeLm.Core;
using EdgeLm.Core.Benchmarks;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Benchmarks;

/// <summary>A budget limit's unit must fit its figure: 3GB on tokens per second was read as 3e9 tokens per second.</summary>
public sealed class BudgetUnitTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private EdgeLmInvalidFileException Refused(string figure, string limit)
    {
        string budget = _folder.File("b.yaml");
        File.WriteAllText(budget, $"budgets:\n  - figure: {figure}\n    max: '{limit}'\n");
        var e = Assert.Throws<EdgeLmInvalidFileException>(() => Budgets.Read(budget));
        Assert.Equal("BudgetInvalid", e.ErrorId);
        Assert.StartsWith($"{budget}: rule 1 ({figure}): ", e.Message);
        return e;
    }

    private double? Max(string figure, string limit)
    {
        string budget = _folder.File("b.yaml");
        File.WriteAllText(budget, $"budgets:\n  - figure: {figure}\n    max: '{limit}'\n");
        return Budgets.Check(Array.Empty<InferenceResult>(), Budgets.Read(budget)).Single().Max;
    }

    [Theory]
    [InlineData("DecodeTokensPerSecond", "3GB", "'3GB' is in bytes (a size), but DecodeTokensPerSecond is in tokens per second: write the limit as a number of tokens per second")]
    [InlineData("PeakRssBytes", "10 W", "'10 W' is in watts, but PeakRssBytes is in bytes: write a number of bytes or a size such as 3GB")]
    [InlineData("TimeToFirstTokenMs", "2s", "'2s' is in seconds, but TimeToFirstTokenMs is in milliseconds: write the limit as a number of milliseconds")]
    [InlineData("ParameterCount", "3B", "'3B' is in bytes, but ParameterCount is a count, with no unit: write the limit as a plain number")]
    [InlineData("JoulesPerToken", "0.5 J", "'0.5 J' is in joules, but JoulesPerToken is in joules per token")]
    [InlineData("PeakRssBytes", "3 furlongs", "'3 furlongs': 'furlongs' is no unit EdgeLm knows; PeakRssBytes is in bytes")]
    public void AUnitThatDoesNotFitTheFigureIsRefusedNamingBoth(string figure, string limit, string message) =>
        Assert.Contains(message, Refused(figure, limit).Message);

    [Theory]
    [InlineData("DecodeTokensPerSecond", "12,5", "'12,5' is not a number: it has a decimal comma; write 12.5")]
    [InlineData("DecodeTokensPerSecond", "\uFF13", "'\uFF13' is not a number: '\uFF13' (U+FF13) is not one of the digits 0-9")]
    [InlineData("DecodeTokensPerSecond", "1e400", "'1e400' is beyond the largest number a limit holds")]
    [InlineData("PeakRssBytes", "1e300TB", "'1e300TB' is beyond the largest number a limit holds")]
    public void ALimitThatIsNoNumberSaysWhy(string figure, string limit, string message) =>
        Assert.Contains(message, Refused(figure, limit).Message);

    [Theory]
    [InlineData("PeakRssBytes", "3gb", 3e9)]
    [InlineData("PeakRssBytes", "1.5 GiB", 1.5 * 1024 * 1024 * 1024)]
    [InlineData("DecodeBytesPerToken", "1MB", 1e6)]
    [InlineData("TimeToFirstTokenMs", "2000ms", 2000)]
    [InlineData("AveragePowerWatts", "5 W", 5)]
    [InlineData("AveragePowerWatts", "500mW", 0.5)]
    [InlineData("DecodeTokensPerSecond", "5 tok/s", 5)]
    [InlineData("CpuPressurePercent", "20%", 20)]
    [InlineData("DecodeTokensPerSecond", "5", 5)]
    public void AFigureTakesItsOwnUnitAndByteFiguresTakeSizes(string figure, string limit, double expected) =>
        Assert.Equal(expected, Max(figure, limit)!.Value, 6);
}
