using EdgeLm.Core.Settings;
using EdgeLm.Core.Engine;
using EdgeLm.Core.Worker;
using EdgeLm.Core.Energy;

namespace EdgeLm.Core.Host;

/// <summary>
/// Energy for inference runs: one sampler for the request's power sources, a baseline measured once per process
/// and source before the first run, and each run's window split at the worker's own timestamps into prefill
/// (prompt submitted to first token) and decode (first to last token). Definitions are records.md's.
/// </summary>
internal sealed class RunEnergy : IDisposable
{
    private readonly EnergySession _session;
    private readonly double _idleWatts;

    private RunEnergy(EnergySession session, double idleWatts)
    {
        _session = session;
        _idleWatts = idleWatts;
    }

    public string Key { get; private init; } = string.Empty;

    public static RunEnergy Open(RunSettings settings, CancellationToken cancellationToken)
    {
        EnergySession session = EnergySession.Open(new EnergyOptions { Source = settings.EnergySource, Meter = settings.Meter });
        try
        {
            double idle = settings.BaselineSeconds > 0 ? session.SharedBaseline(settings.BaselineSeconds, cancellationToken).Watts : 0;
            return new RunEnergy(session, idle) { Key = KeyOf(settings) };
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public static string KeyOf(RunSettings settings) => $"{settings.EnergySource}|{settings.Meter}|{settings.BaselineSeconds}";

    /// <summary>Reads the sources at a run's edge (before sending it, after its result).</summary>
    public void Edge() => _session.Begin();

    /// <summary>The energy of one measured run; per-token figures net of the idle baseline when one was measured.</summary>
    public RunEnergyFigures Measure(RunMeasurement measured, bool baseline)
    {
        EnergyWindow run = _session.Window(measured.StartTimestamp, measured.EndTimestamp);
        EnergyWindow prefill = _session.Window(measured.PrefillStartTimestamp, measured.FirstTokenTimestamp);
        EnergyWindow decode = _session.Window(measured.FirstTokenTimestamp, measured.LastTokenTimestamp);
        int tokens = measured.GeneratedTokens;
        // Without a baseline the per-token figures are gross, and the record says so by leaving idle and net empty.
        double? net = baseline ? run.Joules - _idleWatts * run.Seconds : null;
        double perToken = net ?? run.Joules;
        return new RunEnergyFigures(
            EnergyJoules: run.Joules,
            IdlePowerWatts: baseline ? _idleWatts : null,
            NetEnergyJoules: net,
            AveragePowerWatts: run.Seconds > 0 ? run.Joules / run.Seconds : null,
            JoulesPerToken: tokens > 0 ? perToken / tokens : null,
            TokensPerJoule: perToken > 0 ? tokens / perToken : null,
            Basis: baseline ? "net" : "gross",
            PrefillEnergyJoules: prefill.Joules,
            DecodeEnergyJoules: decode.Joules,
            Source: _session.Selection.Source,
            Scope: _session.Selection.Scope,
            Method: _session.Selection.Method,
            Samples: run.Samples);
    }

    public void Dispose() => _session.Dispose();
}

/// <summary>One run's energy, as the record's energy properties (docs/records.md).</summary>
internal sealed record RunEnergyFigures(double EnergyJoules, double? IdlePowerWatts, double? NetEnergyJoules, double? AveragePowerWatts,
    double? JoulesPerToken, double? TokensPerJoule, string Basis, double PrefillEnergyJoules, double DecodeEnergyJoules,
    string? Source, string? Scope, string? Method, int Samples);
