namespace EdgeLm.Core.Devices;

/// <summary>
/// Waits, before a benchmark run, until the machine is quiet: CPU pressure over the last 10 seconds
/// (/proc/pressure/cpu "some avg10") below a threshold, checked every second, for at most a given time. A board
/// shared with other work then gives its own figures, and each record says how long it waited.
/// </summary>
internal static class QuietMachine
{
    /// <summary>The pressure now, percent, or null where the kernel has no PSI.</summary>
    public static double? PressurePercent(ProbeRoot root)
    {
        string? some = root.Read("/proc/pressure/cpu", expected: false)?.Split('\n').FirstOrDefault(l => l.StartsWith("some ", StringComparison.Ordinal));
        string? avg10 = some?.Split(' ').FirstOrDefault(p => p.StartsWith("avg10=", StringComparison.Ordinal));
        return avg10 is not null && double.TryParse(avg10.AsSpan(6), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double percent)
            && double.IsFinite(percent) && percent >= 0
            ? percent
            : null;
    }

    /// <summary>
    /// Seconds waited until the pressure fell below <paramref name="belowPercent"/>, or <paramref name="maxWaitSeconds"/>
    /// when it never did (the run goes ahead; <paramref name="notice"/> says so). <paramref name="report"/> shows the wait as
    /// progress. Null pressure (no PSI) waits not at all.
    /// </summary>
    public static double Wait(double belowPercent, double maxWaitSeconds, Action<string> report, Action<string> notice,
        CancellationToken cancellationToken, string root = "/")
    {
        var probe = new ProbeRoot(root);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (PressurePercent(probe) is double pressure && pressure >= belowPercent)
        {
            if (clock.Elapsed.TotalSeconds >= maxWaitSeconds)
            {
                notice($"the machine stayed busy (CPU pressure {pressure:0.#}% ≥ {belowPercent:0.##}%) for {maxWaitSeconds:0} s; running anyway");
                break;
            }

            report($"waiting for a quiet machine: CPU pressure {pressure:0.#}% ≥ {belowPercent:0.##}%");
            if (cancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(1)))
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }

        return clock.Elapsed.TotalSeconds;
    }
}
