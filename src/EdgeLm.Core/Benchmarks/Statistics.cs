namespace EdgeLm.Core.Benchmarks;

/// <summary>
/// Summary statistics of one figure over runs: mean and variance by Welford's algorithm (stable where the naive
/// sum of squares cancels catastrophically, as for large means with tiny spread), median and percentiles by linear
/// interpolation, and a 95% confidence interval of the mean from Student's t.
/// </summary>
internal sealed record Statistics(int Runs, double Mean, double StdDev, double Median, double P5, double P95, double CiLow, double CiHigh)
{
    /// <summary>StdDev / Mean; null when the mean is 0.</summary>
    public double? CoefficientOfVariation => Mean != 0 ? StdDev / Math.Abs(Mean) : null;

    public static Statistics? Of(IEnumerable<double> values)
    {
        double[] sorted = values.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        double mean = 0, m2 = 0;
        int n = 0;
        foreach (double x in sorted)
        {
            n++;
            double delta = x - mean;
            mean += delta / n;
            m2 += delta * (x - mean);
        }

        double sd = n > 1 ? Math.Sqrt(m2 / (n - 1)) : 0;
        double half = n > 1 ? StudentT.Quantile975(n - 1) * sd / Math.Sqrt(n) : 0;
        return new Statistics(n, mean, sd,
            Percentiles.Of(sorted, 50), Percentiles.Of(sorted, 5), Percentiles.Of(sorted, 95),
            mean - half, mean + half);
    }
}

/// <summary>The 97.5% quantile of Student's t (two-sided 95%), tabulated to 30 degrees of freedom, then interpolated in 1/df.</summary>
internal static class StudentT
{
    private static readonly double[] Table =
    {
        double.NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    };

    private static readonly (int Df, double T)[] Beyond = { (30, 2.042), (40, 2.021), (60, 2.000), (120, 1.980), (int.MaxValue, 1.960) };

    public static double Quantile975(int degreesOfFreedom)
    {
        if (degreesOfFreedom < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom));
        }

        if (degreesOfFreedom < Table.Length)
        {
            return Table[degreesOfFreedom];
        }

        for (int i = 1; i < Beyond.Length; i++)
        {
            if (degreesOfFreedom <= Beyond[i].Df)
            {
                // Linear in 1/df between tabulated points (the t quantile is nearly linear in 1/df).
                double a = 1.0 / Beyond[i - 1].Df, b = Beyond[i].Df == int.MaxValue ? 0 : 1.0 / Beyond[i].Df, x = 1.0 / degreesOfFreedom;
                return Beyond[i - 1].T + (Beyond[i].T - Beyond[i - 1].T) * (a - x) / (a - b);
            }
        }

        return 1.960;
    }
}
