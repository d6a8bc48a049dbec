using EdgeLm.Core.Settings;
using EdgeLm.Core.Engine;
using EdgeLm.Core.Worker;
using EdgeLm.Core.Native;

namespace EdgeLm.Core.Host;

/// <summary>Runs in the caller's process: for debugging, and where no worker can be started.</summary>
internal sealed class InProcessBackend : IRunBackend
{
    private readonly ModelSession _session;
    private readonly string? _nativeDirectory;

    public InProcessBackend(string? nativeDirectory)
    {
        _nativeDirectory = nativeDirectory;
        _session = new ModelSession(nativeDirectory);
    }

    public string Isolation => "in-process";
    public bool Alive => true;
    public double StartMs => 0;
    public string LlamaVersion => _session.Runtime.LlamaVersion;
    public string Backend => _session.Runtime.Backend;
    public IReadOnlyList<string> ChatTemplates => Engine.ChatTemplates.BuiltIn();

    // One process holds one llama.cpp; the session itself reloads when the model changes.
    public bool Serves(RunSettings settings) => settings.NativeDirectory == _nativeDirectory || settings.NativeDirectory is null;

    public RunMeasurement Run(RunOrder order, Action<RunProgress>? progress, CancellationToken cancellationToken) =>
        _session.Run(order, progress, cancellationToken);

    public void Dispose() => _session.Dispose();
}
