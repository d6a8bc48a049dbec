using EdgeLm.Core.Settings;
using EdgeLm.Core.Engine;
using EdgeLm.Core.Worker;
namespace EdgeLm.Core.Host;

/// <summary>Where runs execute: a worker process (the default) or this process (-InProcess).</summary>
internal interface IRunBackend : IDisposable
{
    /// <summary>"worker" or "in-process", for the record.</summary>
    string Isolation { get; }

    /// <summary>False once the backend cannot take more runs (its worker died).</summary>
    bool Alive { get; }

    /// <summary>Time spent getting the backend ready before any model loads (worker start), counted in LoadMs.</summary>
    double StartMs { get; }

    string LlamaVersion { get; }
    string Backend { get; }
    IReadOnlyList<string> ChatTemplates { get; }

    /// <summary>True when this backend can run <paramref name="settings"/> without a restart.</summary>
    bool Serves(RunSettings settings);

    RunMeasurement Run(RunOrder order, Action<RunProgress>? progress, CancellationToken cancellationToken);
}
