using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Tests.Benchmarks;

/// <summary>Summary statistics against values worked out by hand.</summary>
public sealed class StatisticsTests
{
    [Fact]
    public void KnownValues()
    {
        Statistics s = Statistics.Of(new double[] { 2, 4, 4, 4, 5, 5, 7, 9 })!;

        Assert.Equal(8, s.Runs);
        Assert.Equal(5, s.Mean, 12);
        Assert.Equal(Math.Sqrt(32.0 / 7), s.StdDev, 12);
        Assert.Equal(4.5, s.Median, 12);
        Assert.Equal(2.7, s.P5, 12);   // rank 0.35 between 2 and 4
        Assert.Equal(8.3, s.P95, 12);  // rank 6.65 between 7 and 9
        double half = 2.365 * Math.Sqrt(32.0 / 7) / Math.Sqrt(8);
        Assert.Equal(5 - half, s.CiLow, 12);
        Assert.Equal(5 + half, s.CiHigh, 12);
        Assert.Equal(Math.Sqrt(32.0 / 7) / 5, s.CoefficientOfVariation!.Value, 12);
    }

    [Fact]
    public void ALargeMeanWithATinyVarianceKeepsItsVariance()
    {
        double[] values = { 1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16 };
        // The textbook one-pass formula loses everything to cancellation here: the data is a real trap.
        double sum = values.Sum(), sumOfSquares = values.Sum(v => v * v);
        double naive = (sumOfSquares - sum * sum / values.Length) / (values.Length - 1);
        Assert.True(Math.Abs(naive - 30) > 1, $"naive variance {naive} happened to be right; pick harder data");

        Statistics s = Statistics.Of(values)!;

        Assert.Equal(1e9 + 10, s.Mean, 6);
        Assert.Equal(30, s.StdDev * s.StdDev, 6);
    }

    [Fact]
    public void OneRunHasNoSpreadAndNothingIsNoValue()
    {
        Statistics one = Statistics.Of(new[] { 3.5 })!;
        Assert.Equal(0, one.StdDev);
        Assert.Equal(3.5, one.CiLow);
        Assert.Null(Statistics.Of(Array.Empty<double>()));
    }

    [Theory]
    [InlineData(1, 12.706)]
    [InlineData(4, 2.776)]
    [InlineData(30, 2.042)]
    [InlineData(60, 2.000)]
    [InlineData(120, 1.980)]
    public void StudentTQuantilesMatchTheTable(int df, double t) => Assert.Equal(t, StudentT.Quantile975(df), 3);

    [Fact]
    public void StudentTApproachesTheNormalQuantile()
    {
        Assert.InRange(StudentT.Quantile975(45), 2.000, 2.021);
        Assert.InRange(StudentT.Quantile975(100_000), 1.959, 1.961);
    }
}
