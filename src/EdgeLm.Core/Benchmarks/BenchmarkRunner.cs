using EdgeLm.Core.Settings;
using System.Diagnostics;
using EdgeLm.Core.Devices;
using EdgeLm.Core.Engine;
using EdgeLm.Core.Host;
using EdgeLm.Core.Worker;
using EdgeLm.Core.Models;

namespace EdgeLm.Core.Benchmarks;

/// <summary>How a benchmark runs beyond its plan.</summary>
public sealed class BenchmarkOptions
{
    /// <summary>The results file; null = the plan's output. With neither, results are only returned, not saved.</summary>
    public string? OutputPath { get; set; }

    /// <summary>Skip runs whose RunKey is already in the results file.</summary>
    public bool Resume { get; set; }

    /// <summary>The folder of llama.cpp's libraries for the runs and for generating synthetic models; null = the default.</summary>
    public string? NativeDirectory { get; set; }

    public InferenceHostOptions Host { get; set; } = new();

    /// <summary>Receives notes: a repaired results file, skipped runs, a cool-down that gave up.</summary>
    public Action<string>? Notice { get; set; }
}

/// <summary>Where a benchmark is: runs done of the total, the configuration running, and the estimated time left.</summary>
public sealed record BenchmarkProgress(int Done, int Total, string Configuration, TimeSpan? Remaining, string Status)
{
    public double Fraction => Total == 0 ? 1 : (double)Done / Total;
}

/// <summary>
/// Runs a plan: every configuration of the matrix, each repetition appended to the results file as it completes
/// (flushed and synced), models loaded once per configuration group in the worker, synthetic models generated once
/// and cached, cool-downs between configurations. With Resume, runs already in the file are skipped by RunKey.
/// </summary>
public static class BenchmarkRunner
{
    public static IEnumerable<InferenceResult> Run(LoadedPlan loaded, BenchmarkOptions options, IProgress<BenchmarkProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        string? output = options.OutputPath ?? (loaded.Plan.Output is string planned ? Path.Combine(loaded.Folder, planned) : null);
        if (output is null && options.Resume)
        {
            throw new EdgeLmArgumentException("ResumeWithoutOutput", "-Resume (--resume) continues a results file; name it with -OutputPath (--out) or the plan's 'output'");
        }

        IReadOnlyList<RunConfiguration> configurations = BenchmarkMatrix.Expand(loaded);
        CheckEveryRun(loaded, configurations);
        // Opened now, so a results file that cannot be written or would be mixed into is refused before any run.
        ResultStore? store = output is null ? null : ResultStore.Open(output, options.Resume);
        if (store is null)
        {
            options.Notice?.Invoke("no results file: the runs are not saved and cannot be resumed; give -OutputPath (--out) to keep them");
        }

        return RunOpened(loaded, configurations, store, options, progress, cancellationToken);
    }

    private static IEnumerable<InferenceResult> RunOpened(LoadedPlan loaded, IReadOnlyList<RunConfiguration> configurations, ResultStore? store,
        BenchmarkOptions options, IProgress<BenchmarkProgress>? progress, CancellationToken cancellationToken)
    {
        BenchmarkPlan plan = loaded.Plan;
        IReadOnlySet<string> saved = store?.Keys ?? new HashSet<string>();
        using (store)
        using (var host = new InferenceHost(options.Host))
        {
            if (store?.Repaired is string repaired)
            {
                options.Notice?.Invoke($"{store.Path}: {repaired}");
            }

            int total = configurations.Count * plan.Repetitions;
            int done = configurations.Sum(c => Enumerable.Range(1, plan.Repetitions).Count(r => saved.Contains(c.RunKey(r))));
            if (done > 0)
            {
                options.Notice?.Invoke($"resuming: {done} of {total} runs are already in {store!.Path}");
            }

            // Quality first, once per model with runs to do; its figures go on every run of the model.
            ModelChoice[] toRun = configurations.Where(c => Enumerable.Range(1, plan.Repetitions).Any(r => !saved.Contains(c.RunKey(r))))
                .Select(c => c.Model).DistinctBy(m => m.Identity).ToArray();
            IReadOnlyDictionary<string, QualityFigures> quality = BenchmarkQuality.Measure(loaded, toRun, store?.Quality, options,
                m => EnsureModel(m, loaded, options.NativeDirectory, s => progress?.Report(new BenchmarkProgress(done, total, m.Shape ?? m.Path!, null, s)), cancellationToken),
                (what, status) => progress?.Report(new BenchmarkProgress(done, total, what, null, status)), cancellationToken);

            var clock = Stopwatch.StartNew();
            int ranHere = 0;
            bool first = quality.Count == 0;
            foreach (RunConfiguration configuration in configurations)
            {
                int[] pending = Enumerable.Range(1, plan.Repetitions).Where(r => !saved.Contains(configuration.RunKey(r))).ToArray();
                if (pending.Length == 0)
                {
                    continue;
                }

                void Report(string status) => progress?.Report(new BenchmarkProgress(done, total, configuration.Describe(),
                    ranHere > 0 ? clock.Elapsed / ranHere * (total - done) : null, status));

                if (!first)
                {
                    CoolDown(plan.Cooldown, options, Report, cancellationToken);
                }

                first = false;
                string modelPath = EnsureModel(configuration.Model, loaded, options.NativeDirectory, Report, cancellationToken);
                foreach (int repetition in pending)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    Report($"run {repetition} of {plan.Repetitions}");
                    // Warm-ups once per configuration, before its first measured run here.
                    RunSettings request = configuration.Settings(modelPath, plan) with
                    {
                        Warmup = repetition == pending[0] ? plan.Warmups : 0,
                        NativeDirectory = options.NativeDirectory,
                    };
                    double? waited = plan.QuietBelow is double quiet ? QuietMachine.Wait(quiet, plan.QuietMaxWaitSeconds, Report, n => options.Notice?.Invoke(n), cancellationToken) : null;
                    foreach (InferenceResult result in host.Run(request, null, cancellationToken, new RunLabel(configuration.RunKey(repetition), repetition, waited)))
                    {
                        quality.GetValueOrDefault(configuration.Model.Identity)?.ApplyTo(result);
                        store?.Append(result);
                        done++;
                        ranHere++;
                        yield return result;
                    }
                }
            }

            progress?.Report(new BenchmarkProgress(done, total, string.Empty, TimeSpan.Zero, "done"));
        }
    }

    /// <summary>
    /// Refuses the plan before its first run when any run would be refused when its turn came (a context beyond
    /// what its model was trained for, more threads than the machine can take, a model file that is not one), so
    /// a bad last configuration never costs the hours before it. Synthetic models are described by their shape.
    /// </summary>
    private static void CheckEveryRun(LoadedPlan loaded, IReadOnlyList<RunConfiguration> configurations)
    {
        int cores = CpuTopology.PhysicalCores();
        var models = new Dictionary<string, ModelInfo>(StringComparer.Ordinal);
        foreach (RunConfiguration configuration in configurations)
        {
            ModelChoice model = configuration.Model;
            if (!models.TryGetValue(model.Identity, out ModelInfo? info))
            {
                info = model.Path is not null ? ModelInspector.Inspect(model.Path) : Describe(SyntheticShapes.Get(model.Shape!));
                models[model.Identity] = info;
            }

            try
            {
                InferenceHost.Check(configuration.Settings(model.Path ?? info.ModelName, loaded.Plan), info, cores);
            }
            catch (EdgeLmArgumentException e) when (File.Exists(loaded.File))
            {
                // From a plan file the fix is in the file, not on the command line.
                throw new EdgeLmInvalidFileException(loaded.File, e.ErrorId, $"{loaded.File}: the run {configuration.Describe()}: {e.Message}", e);
            }
        }
    }

    /// <summary>What the limits need of a synthetic model that may not be generated yet.</summary>
    private static ModelInfo Describe(SyntheticShape shape) => new()
    {
        ModelName = $"synthetic-{shape.Name}",
        ContextLength = shape.ContextLength,
        Layers = shape.Layers,
        EmbeddingSize = shape.EmbeddingSize,
        Heads = shape.Heads,
        KvHeads = shape.KvHeads,
    };

    /// <summary>The model file: as given, or the synthetic model from the cache, generated the first time.</summary>
    internal static string EnsureModel(ModelChoice model, LoadedPlan loaded, string? nativeDirectory, Action<string> report, CancellationToken cancellationToken)
    {
        if (model.Path is not null)
        {
            return model.Path;
        }

        string folder = loaded.Plan.ModelCache is string cache ? Path.Combine(loaded.Folder, cache)
            : Path.Combine(CacheFolder.Path() ?? Path.GetTempPath(), "models");
        CacheFolder.Create(folder, "synthetic models", loaded.Plan.ModelCache is null
            ? "set the plan's modelCache, or EDGELM_CACHE_DIR, to a writable folder" : "set the plan's modelCache to a writable folder");
        string file = Path.Combine(folder, $"synthetic-{model.Shape}-{model.Quantization}.gguf");
        if (File.Exists(file))
        {
            try
            {
                if (ModelInspector.Inspect(file).Quantization.Equals(model.Quantization, StringComparison.OrdinalIgnoreCase))
                {
                    return file;
                }
            }
            catch (EdgeLmInvalidFileException)
            {
                // A file left half-written by an interrupted generation: made again below.
            }
        }

        report($"generating synthetic {model.Shape} {model.Quantization} (once, cached in {folder})");
        // A name of its own: two benchmarks sharing a cache may generate the same model at once (the same seed gives
        // the same bytes, so whichever rename comes last is as good as the first).
        string partial = $"{file}.{Environment.ProcessId}.{Guid.NewGuid():N}.partial";
        try
        {
            SyntheticModelBuilder.Create(new SyntheticModelRequest
            {
                Shape = SyntheticShapes.Get(model.Shape!),
                Quantization = model.Quantization!,
                OutputPath = partial,
                Force = true,
                NativeDirectory = nativeDirectory,
            }, null, cancellationToken);
            File.Move(partial, file, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }

        return file;
    }

    private static void CoolDown(PlanCooldown? cooldown, BenchmarkOptions options, Action<string> report, CancellationToken cancellationToken)
    {
        if (cooldown is null)
        {
            return;
        }

        if (cooldown.Seconds > 0)
        {
            report($"cooling down {cooldown.Seconds:0.#} s");
            if (cancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(cooldown.Seconds)))
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }

        if (cooldown.UntilCelsius is double limit)
        {
            var clock = Stopwatch.StartNew();
            while (ThermalZones.Read(new ProbeRoot("/"), warn: false).MaxCelsius is double hottest && hottest >= limit)
            {
                if (clock.Elapsed.TotalSeconds >= cooldown.MaxWaitSeconds)
                {
                    options.Notice?.Invoke($"still {hottest:0.0} °C after {cooldown.MaxWaitSeconds:0} s of cool-down (limit {limit:0.0} °C); going on");
                    break;
                }

                report($"cooling down: {hottest:0.0} °C, waiting for {limit:0.0} °C");
                if (cancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(2)))
                {
                    throw new OperationCanceledException(cancellationToken);
                }
            }
        }
    }
}
