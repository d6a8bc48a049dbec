namespace EdgeLm.Core.Energy;

/// <summary>How a measured workload ended: its exit code (when it has one) and the error that ended it (when one did).</summary>
public sealed record WorkloadOutcome(int? ExitCode, string? ErrorMessage = null);

/// <summary>
/// Measure-EdgeEnergy and edgelm energy: the energy of a window, either a fixed duration or while a workload runs
/// (a script block, a command), after an optional idle baseline, in one call. The sources are opened and sampled
/// for the whole call and released at its end, however it ends.
/// </summary>
public static class EnergyMeasurements
{
    /// <param name="baselineSeconds">Seconds of idle measured first; 0 skips the baseline and leaves net energy empty.</param>
    /// <param name="durationSeconds">A window of this many seconds; or null and give <paramref name="workload"/>.</param>
    /// <param name="workload">Runs the measured work and says how it ended; or null and give <paramref name="durationSeconds"/>.</param>
    /// <param name="status">Told what is being measured: the baseline, then the window.</param>
    public static EnergyMeasurement Measure(EnergyOptions options, double baselineSeconds, double? durationSeconds,
        Func<CancellationToken, WorkloadOutcome>? workload, Action<string>? status, CancellationToken cancellationToken)
    {
        if ((durationSeconds is null) == (workload is null))
        {
            throw new EdgeLmArgumentException("EnergyWindow", "give a duration (-Duration, --duration) or something to measure while it runs (a script block, or -- COMMAND), one of them");
        }

        if (durationSeconds is <= 0 || (durationSeconds is double d && !double.IsFinite(d)))
        {
            throw new EdgeLmArgumentException("InvalidDuration", $"the duration is {durationSeconds} s; measure for more than 0 seconds");
        }

        if (baselineSeconds < 0 || !double.IsFinite(baselineSeconds))
        {
            throw new EdgeLmArgumentException("InvalidBaseline", $"the baseline is {baselineSeconds} s; use 0 (no baseline) or more");
        }

        using EnergySession session = EnergySession.Open(options);
        double? idle = null;
        if (baselineSeconds > 0)
        {
            status?.Invoke($"idle baseline ({baselineSeconds:0.#} s)");
            idle = session.MeasureBaseline(baselineSeconds, cancellationToken);
        }

        status?.Invoke(durationSeconds is double window ? $"measuring for {window:0.#} s" : "measuring");
        long from = session.Begin();
        WorkloadOutcome? outcome = null;
        if (workload is null)
        {
            if (cancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(durationSeconds!.Value)))
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }
        else
        {
            outcome = workload(cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
        }

        EnergyMeasurement measurement = session.End(from, idle, baselineSeconds > 0 ? baselineSeconds : null, outcome?.ExitCode);
        if (outcome is not null)
        {
            measurement.Succeeded = outcome.ErrorMessage is null && outcome.ExitCode is null or 0;
            measurement.ErrorMessage = outcome.ErrorMessage;
        }

        return measurement;
    }
}
