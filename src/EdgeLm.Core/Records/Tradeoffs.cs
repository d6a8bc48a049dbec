namespace EdgeLm;

/// <summary>The trade-off figures of docs/records.md, defined once for records and summaries alike.</summary>
internal static class Tradeoffs
{
    /// <summary>
    /// S_t = E / t: energy per generated token (J/token) over decode throughput (tokens/s), J·s/token². It is the
    /// per-token energy-delay product (E × the time per token), so a configuration that is both frugal and fast
    /// scores low. Null unless both are positive: a net energy at or below zero (idle power above the run's) has
    /// no meaningful trade-off.
    /// </summary>
    public static double? EnergyThroughput(double? joulesPerToken, double? decodeTokensPerSecond) =>
        joulesPerToken is double e && e > 0 && decodeTokensPerSecond is double t && t > 0 ? e / t : null;
}
