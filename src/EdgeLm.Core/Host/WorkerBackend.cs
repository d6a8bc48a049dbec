using EdgeLm.Core.Settings;
using EdgeLm.Core.Engine;
using EdgeLm.Core.Worker;
using EdgeLm.Core.Host;

namespace EdgeLm.Core.Host;

/// <summary>
/// Runs in a worker process that keeps one model loaded. Another model (or GPU layers, or native folder) gets
/// a fresh worker, so each model's peak memory is measured in a process that held nothing else.
/// </summary>
internal sealed class WorkerBackend : IRunBackend
{
    private readonly WorkerClient _client;
    private RunSettings? _model;

    public WorkerBackend(WorkerLaunch launch, string? nativeDirectory, Action<string>? log, CancellationToken cancellationToken)
    {
        _client = WorkerClient.Start(launch, nativeDirectory, log, cancellationToken);
    }

    public string Isolation => "worker";
    public bool Alive => _client.Alive;
    public double StartMs => _client.StartMs;
    public string LlamaVersion => _client.Hello.LlamaVersion;
    public string Backend => _client.Hello.Backend;
    public IReadOnlyList<string> ChatTemplates => _client.Hello.ChatTemplates;

    public bool Serves(RunSettings settings) => _client.Alive && (_model is null || _model.SameModelAs(settings));

    public RunMeasurement Run(RunOrder order, Action<RunProgress>? progress, CancellationToken cancellationToken)
    {
        _model ??= order.Settings;
        return _client.Run(order, progress, cancellationToken);
    }

    public void Dispose() => _client.Dispose();
}
