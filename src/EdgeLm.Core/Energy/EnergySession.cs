using System.Collections.Concurrent;
using System.Diagnostics;

namespace EdgeLm.Core.Energy;

/// <summary>
/// A running sampler over the chosen sources, for measuring windows: a script block or command
/// (Measure-EdgeEnergy, edgelm energy) or every inference run (-MeasureEnergy, --energy). An idle baseline is the
/// mean power of a window with nothing running; inference reuses one baseline per process and source.
/// </summary>
internal sealed class EnergySession : IDisposable
{
    private const int FewSamples = 10;
    private static readonly ConcurrentDictionary<string, (double Watts, double Seconds)> Baselines = new(StringComparer.Ordinal);
    private readonly PowerSourceSet _sources;
    private readonly EnergySampler _sampler;

    private EnergySession(PowerSourceSet sources, EnergySelection selection, TimeSpan interval)
    {
        _sources = sources;
        Selection = selection;
        _sampler = new EnergySampler(selection, interval);
        _sampler.Start();
    }

    public EnergySelection Selection { get; }
    internal EnergySampler Sampler => _sampler;

    /// <summary>Finds the sources, chooses (or takes the requested ones) and starts sampling.</summary>
    public static EnergySession Open(EnergyOptions options)
    {
        if (options.Interval <= TimeSpan.Zero)
        {
            throw new EdgeLmArgumentException("InvalidInterval", $"the sampling interval is {options.Interval.TotalMilliseconds} ms; use more than 0");
        }

        PowerSourceSet sources = PowerSourceDiscovery.Discover(options);
        try
        {
            return new EnergySession(sources, sources.Choose(options.Source), options.Interval);
        }
        catch
        {
            sources.Dispose();
            throw;
        }
    }

    /// <summary>Mean power over <paramref name="seconds"/> of idling now.</summary>
    public double MeasureBaseline(double seconds, CancellationToken cancellationToken)
    {
        long from = Begin();
        if (cancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(seconds)))
        {
            throw new OperationCanceledException(cancellationToken);
        }

        EnergyWindow window = _sampler.Measure(from, _sampler.SampleNow());
        double watts = window.Seconds > 0 ? window.Joules / window.Seconds : 0;
        Baselines[Selection.Source] = (watts, seconds);
        return watts;
    }

    /// <summary>The baseline this process measured for these sources, or a new one of <paramref name="seconds"/>.</summary>
    public (double Watts, double Seconds) SharedBaseline(double seconds, CancellationToken cancellationToken) =>
        Baselines.TryGetValue(Selection.Source, out var known) ? known : (MeasureBaseline(seconds, cancellationToken), seconds);

    /// <summary>Reads every source now and returns the time: a window's start (or end).</summary>
    public long Begin() => _sampler.SampleNow();

    internal EnergyWindow Window(long from, long to) => _sampler.Measure(from, to);

    /// <summary>The measurement of the window since <paramref name="from"/> (a time from <see cref="Begin"/>).</summary>
    public EnergyMeasurement End(long from, double? idleWatts, double? baselineSeconds, int? exitCode = null)
    {
        long to = Begin();
        EnergyWindow window = _sampler.Measure(from, to);
        var warnings = new List<string>(Selection.Warnings);
        warnings.AddRange(_sampler.Warnings);
        if (window.Samples < FewSamples)
        {
            warnings.Add($"only {window.Samples} samples in the window: measure longer or sample faster for a trustworthy figure");
        }

        return new EnergyMeasurement
        {
            DurationSeconds = window.Seconds,
            EnergyJoules = window.Joules,
            AveragePowerWatts = window.Seconds > 0 ? window.Joules / window.Seconds : 0,
            PeakPowerWatts = window.PeakWatts,
            IdlePowerWatts = idleWatts,
            BaselineSeconds = baselineSeconds,
            NetEnergyJoules = idleWatts is double idle ? window.Joules - idle * window.Seconds : null,
            Samples = window.Samples,
            SampleIntervalMs = _sampler.SampleInterval.TotalMilliseconds,
            EnergySource = Selection.Source,
            EnergyScope = Selection.Scope,
            EnergyMethod = Selection.Method,
            SamplerCpuPercent = _sampler.CpuPercent(),
            ExitCode = exitCode,
            Succeeded = exitCode is int code ? code == 0 : null,
            Warnings = warnings.Count == 0 ? null : string.Join("; ", warnings),
        };
    }

    public void Dispose()
    {
        _sampler.Dispose();
        _sources.Dispose();
    }
}
