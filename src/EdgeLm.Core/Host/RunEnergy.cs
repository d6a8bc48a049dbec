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

    public static RunEnergy Open(InferenceRequest request, CancellationToken cancellationToken)
    {
        EnergySession session = EnergySession.Open(new EnergyOptions { Source = request.EnergySource, Meter = request.Meter });
        try
        {
            double idle = request.BaselineSeconds > 0 ? session.SharedBaseline(request.BaselineSeconds, cancellationToken).Watts : 0;
            return new RunEnergy(session, idle) { Key = KeyOf(request) };
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public static string KeyOf(InferenceRequest request) => $"{request.EnergySource}|{request.Meter}|{request.BaselineSeconds}";

    /// <summary>Reads the sources at a run's edge (before sending it, after its result).</summary>
    public void Edge() => _session.Begin();

    public void Fill(InferenceResult record, RunMeasurement measured, bool baseline)
    {
        EnergyWindow run = _session.Window(measured.StartTimestamp, measured.EndTimestamp);
        EnergyWindow prefill = _session.Window(measured.PrefillStartTimestamp, measured.FirstTokenTimestamp);
        EnergyWindow decode = _session.Window(measured.FirstTokenTimestamp, measured.LastTokenTimestamp);
        record.EnergyJoules = run.Joules;
        record.AveragePowerWatts = run.Seconds > 0 ? run.Joules / run.Seconds : null;
        record.PrefillEnergyJoules = prefill.Joules;
        record.DecodeEnergyJoules = decode.Joules;
        record.EnergySamples = run.Samples;
        record.EnergySource = _session.Selection.Source;
        record.EnergyScope = _session.Selection.Scope;
        record.EnergyMethod = _session.Selection.Method;
        if (baseline)
        {
            double net = run.Joules - _idleWatts * run.Seconds;
            record.IdlePowerWatts = _idleWatts;
            record.NetEnergyJoules = net;
            record.JoulesPerToken = record.GeneratedTokens > 0 ? net / record.GeneratedTokens : null;
            record.TokensPerJoule = net > 0 ? record.GeneratedTokens / net : null;
        }
        else
        {
            // Without a baseline the per-token figures are gross, and the record says so by leaving idle and net empty.
            record.JoulesPerToken = record.GeneratedTokens > 0 ? run.Joules / record.GeneratedTokens : null;
            record.TokensPerJoule = run.Joules > 0 ? record.GeneratedTokens / run.Joules : null;
        }
    }

    public void Dispose() => _session.Dispose();
}
