using EdgeLm.Core.Settings;
using EdgeLm.Core.Engine;
using EdgeLm.Core.Worker;
using EdgeLm.Core.Devices;
using EdgeLm.Core.Host;
using EdgeLm.Core.Models;

namespace EdgeLm.Core.Host;

/// <summary>How an <see cref="InferenceHost"/> runs models and whom it tells what.</summary>
public sealed class InferenceHostOptions
{
    /// <summary>How to start a worker, chosen by the front end; null when none can be found (then only -InProcess runs).</summary>
    public WorkerLaunch? Worker { get; set; }

    /// <summary>Receives llama.cpp's log lines (for --verbose / -Verbose).</summary>
    public Action<string>? Log { get; set; }

    /// <summary>Receives warnings about settings that will run but are probably a mistake.</summary>
    public Action<string>? Warning { get; set; }
}

/// <summary>
/// Runs inference requests and turns each run into an <see cref="InferenceResult"/>. Keeps its worker (and the
/// model loaded in it) across requests for the same model, so piped prompts load the model once. Everything
/// that can be refused is refused before any model loads. Dispose to stop the worker.
/// </summary>
public sealed class InferenceHost : IDisposable
{
    private readonly InferenceHostOptions _options;
    private readonly Dictionary<string, string> _hashes = new(StringComparer.Ordinal);
    private IRunBackend? _backend;
    private RunEnergy? _energy;
    private readonly Lazy<double?> _bandwidth = new(() => BandwidthCache.Load(BandwidthCache.LiveKey()));

    public InferenceHost(InferenceHostOptions? options = null)
    {
        _options = options ?? new InferenceHostOptions();
    }

    /// <summary>
    /// Validates <paramref name="settings"/> now (throwing <see cref="EdgeLmException"/>s), then yields one
    /// record per run as each completes: warm-ups first (only when asked for), then the measured repetitions.
    /// A <paramref name="label"/> (from a benchmark plan) gives the records their run key and repetition.
    /// </summary>
    public IEnumerable<InferenceResult> Run(RunSettings settings, IProgress<InferenceProgress>? progress = null,
        CancellationToken cancellationToken = default) => Run(settings, progress, cancellationToken, label: null);

    internal IEnumerable<InferenceResult> Run(RunSettings settings, IProgress<InferenceProgress>? progress,
        CancellationToken cancellationToken, RunLabel? label)
    {
        // The settings' own rules first: a wrong setting is named before any file is opened.
        settings.Validate();
        ModelInfo info = ModelInspector.Inspect(settings.ModelPath);
        int cores = CpuTopology.PhysicalCores();
        RunSettings resolved = Check(settings, info, cores);
        if (resolved.ThreadCount > 4 * cores)
        {
            _options.Warning?.Invoke($"{resolved.ThreadCount} threads is more than four times this machine's {cores} cores; llama.cpp will be slower, not faster");
        }

        return RunValidated(resolved, info, label, progress, cancellationToken);
    }

    /// <summary>
    /// Everything that refuses one run before a worker starts, against the model (<paramref name="info"/>, inspected
    /// or described) and this machine; the settings with their defaults resolved.
    /// </summary>
    internal static RunSettings Check(RunSettings settings, ModelInfo info, int physicalCores)
    {
        settings.Validate();
        RunSettings resolved = settings.Resolved(physicalCores);
        ModelLimits.Check(resolved, info, physicalCores, MemInfo.Read(new ProbeRoot("/")).AvailableBytes);
        return resolved;
    }

    public void Dispose()
    {
        _backend?.Dispose();
        _backend = null;
        _energy?.Dispose();
        _energy = null;
    }

    private IEnumerable<InferenceResult> RunValidated(RunSettings settings, ModelInfo info, RunLabel? label,
        IProgress<InferenceProgress>? progress, CancellationToken cancellationToken)
    {
        IRunBackend backend = Acquire(settings, cancellationToken);
        var order = new RunOrder(settings, ChatTemplateResolution.Resolve(settings.ChatTemplate, info, backend.ChatTemplates));
        RunEnergy? energy = settings.MeasureEnergy ? AcquireEnergy(settings, info, progress, cancellationToken) : null;

        int runs = settings.Warmup + settings.Repeat;
        for (int run = 1; run <= runs; run++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool warmup = run <= settings.Warmup;
            int number = run;
            progress?.Report(new InferenceProgress(info.ModelName, number, runs, warmup, "starting", 0, settings.MaxTokens));
            string timestamp = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
            RunMeasurement measured;
            ThermalObservation thermal;
            ContentionObservation contention;
            using (ThermalMonitor monitor = ThermalMonitor.Start())
            using (ContentionMonitor others = ContentionMonitor.Start(settings.ThreadCount))
            {
                energy?.Edge();
                measured = Measure(backend, order,
                    p => progress?.Report(new InferenceProgress(info.ModelName, number, runs, warmup, p.Phase, p.Tokens, p.MaxTokens)), cancellationToken);
                energy?.Edge();
                thermal = monitor.Stop();
                contention = others.Stop();
            }

            // Hashing reads the whole file: after the first run, so it neither warms the page cache before the
            // first load nor competes with a measurement (the worker waits for the next run).
            if (!_hashes.TryGetValue(info.ModelPath, out string? sha))
            {
                progress?.Report(new InferenceProgress(info.ModelName, number, runs, warmup, "hashing the model (first use)", 0, settings.MaxTokens));
                sha = ModelHashes.Sha256(info.ModelPath);
                _hashes[info.ModelPath] = sha;
            }

            if (warmup && !settings.IncludeWarmup)
            {
                continue;
            }

            RunEnergyFigures? joules = energy?.Measure(measured, baseline: settings.BaselineSeconds > 0);
            yield return InferenceRecord.Build(settings, measured, info, backend, sha, timestamp,
                repetition: warmup ? number : number - settings.Warmup, warmup, thermal, contention, _bandwidth.Value, joules, warmup ? null : label);
        }
    }

    // One sampler per host and energy settings; the baseline is measured before the first run (model not yet loaded).
    private RunEnergy AcquireEnergy(RunSettings settings, ModelInfo info, IProgress<InferenceProgress>? progress, CancellationToken cancellationToken)
    {
        if (_energy is not null && _energy.Key == RunEnergy.KeyOf(settings))
        {
            return _energy;
        }

        _energy?.Dispose();
        _energy = null;
        progress?.Report(new InferenceProgress(info.ModelName, 0, settings.Warmup + settings.Repeat, false, $"measuring the idle baseline ({settings.BaselineSeconds:0.#} s)", 0, settings.MaxTokens));
        _energy = RunEnergy.Open(settings, cancellationToken);
        return _energy;
    }

    private RunMeasurement Measure(IRunBackend backend, RunOrder order, Action<RunProgress> progress, CancellationToken cancellationToken)
    {
        try
        {
            return backend.Run(order, progress, cancellationToken);
        }
        catch (Exception e) when (e is EdgeLmWorkerException or OperationCanceledException)
        {
            // A dead or interrupted worker is not reused: the next request starts a fresh one.
            if (ReferenceEquals(_backend, backend))
            {
                _backend = null;
            }

            backend.Dispose();
            throw;
        }
    }

    private IRunBackend Acquire(RunSettings settings, CancellationToken cancellationToken)
    {
        bool wantWorker = !settings.InProcess;
        if (_backend is not null && _backend.Alive && _backend.Serves(settings) && (_backend is WorkerBackend) == wantWorker)
        {
            return _backend;
        }

        _backend?.Dispose();
        _backend = null;
        if (!wantWorker)
        {
            _backend = new InProcessBackend(settings.NativeDirectory);
            return _backend;
        }

        WorkerLaunch launch = _options.Worker ?? throw new EdgeLmException("WorkerNotFound",
            "found no way to start the EdgeLm worker (a dotnet host for edgelm.dll, or pwsh); install the .NET 8 runtime or later, or run with -InProcess (--in-process)");
        _backend = new WorkerBackend(launch, settings.NativeDirectory, _options.Log, cancellationToken);
        return _backend;
    }
}
