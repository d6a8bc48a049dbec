namespace EdgeLm.Core;

/// <summary>Percentiles by linear interpolation between closest ranks (numpy's default, R type 7).</summary>
internal static class Percentiles
{
    /// <summary><paramref name="p"/> in [0, 100] of <paramref name="sorted"/> (ascending, not empty).</summary>
    public static double Of(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            throw new ArgumentException("no values", nameof(sorted));
        }

        double rank = p / 100 * (sorted.Count - 1);
        int below = (int)Math.Floor(rank);
        int above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (rank - below);
    }
}
