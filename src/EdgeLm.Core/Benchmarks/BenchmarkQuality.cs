using EdgeLm.Core.Host;
using EdgeLm.Core.Models;
using EdgeLm.Core.Perplexity;

namespace EdgeLm.Core.Benchmarks;

/// <summary>
/// A plan's quality section, run before its speed runs: every model with runs still to do is scored once as
/// Measure-EdgeQuality scores it (perplexity over the text; against its reference, KL divergence, Δp and the same top
/// token), each reference's log-probabilities saved once to a file in the cache and removed when done. First, so a
/// text the model's tokenizer makes too short stops the plan in minutes rather than after hours of runs, and no
/// scoring worker holds a model in memory beside a speed run. On -Resume, figures already on the file's records of
/// the same model, text and reference are reused.
/// </summary>
internal static class BenchmarkQuality
{
    /// <summary>The figures of each model (by <see cref="ModelChoice.Identity"/>); empty when the plan measures no quality.</summary>
    public static IReadOnlyDictionary<string, QualityFigures> Measure(LoadedPlan loaded, IReadOnlyList<ModelChoice> models,
        IReadOnlyDictionary<string, HashSet<QualityFigures>>? saved, BenchmarkOptions options, Func<ModelChoice, string> ensureModel,
        Action<string, string> report, CancellationToken cancellationToken)
    {
        var figures = new Dictionary<string, QualityFigures>(StringComparer.Ordinal);
        if (loaded.Plan.Quality is not { } quality || models.Count == 0)
        {
            return figures;
        }

        IReadOnlyList<ModelChoice?> entryReferences = QualityReferences.Resolve(loaded.Plan, loaded.Folder, new Refusals());
        var references = BenchmarkMatrix.Models(loaded).GroupBy(m => m.Model.Identity)
            .ToDictionary(g => g.Key, g => entryReferences[g.First().Entry], StringComparer.Ordinal);
        string textSha256 = QualityText.Read(Path.Combine(loaded.Folder, quality.Text!)).Sha256;
        string folder = Path.Combine(CacheFolder.Path() ?? Path.GetTempPath(), "quality");
        var logits = new Dictionary<string, string>(StringComparer.Ordinal);
        // A reference scored to save its log-probabilities has its own figures too (against itself, by definition).
        var asReference = new Dictionary<string, QualityFigures>(StringComparer.Ordinal);
        try
        {
            for (int i = 0; i < models.Count; i++)
            {
                ModelChoice model = models[i];
                string name = model.Shape is null ? Path.GetFileName(model.Path!) : $"{model.Shape} {model.Quantization}";
                void Report(string status) => report($"quality {i + 1} of {models.Count}: {name}", status);
                string path = Path.GetFullPath(ensureModel(model));
                string? referencePath = references[model.Identity] is ModelChoice reference ? Path.GetFullPath(ensureModel(reference)) : null;
                string? label = referencePath is null ? null : Label(referencePath);
                QualitySettings settings = PlanReader.Settings(quality, loaded.Plan, path, loaded.Folder) with { NativeDirectory = options.NativeDirectory };
                if (saved?.GetValueOrDefault(path)?.FirstOrDefault(f => f.Answers(textSha256, quality.Context, quality.Chunks, label)) is { } kept)
                {
                    figures[model.Identity] = kept;
                    continue;
                }

                if (referencePath == path)
                {
                    figures[model.Identity] = asReference.TryGetValue(path, out QualityFigures? own) ? own : SaveReference(path);
                    continue;
                }

                if (referencePath is not null && !logits.ContainsKey(referencePath))
                {
                    SaveReference(referencePath);
                }

                Report("scoring perplexity");
                QualityResult measured = Score(settings with { ReferenceLogitsPath = referencePath is null ? null : logits[referencePath] }, Report);
                figures[model.Identity] = QualityFigures.Of(measured, label);

                // Scores the reference, saving its log-probabilities for the models compared against it.
                QualityFigures SaveReference(string reference)
                {
                    CacheFolder.Create(folder, "the reference's log-probabilities", "set EDGELM_CACHE_DIR to a writable folder");
                    string file = Path.Combine(folder, $"reference-{Environment.ProcessId}-{Guid.NewGuid():N}.logits");
                    logits[reference] = file;
                    Report($"scoring the reference {Path.GetFileName(reference)}");
                    QualityFigures own = QualityFigures.OfReference(Score(settings with { ModelPath = reference, SaveLogitsPath = file }, Report));
                    asReference[reference] = own;
                    return own;
                }
            }
        }
        finally
        {
            foreach (string file in logits.Values)
            {
                File.Delete(file);
            }
        }

        return figures;

        QualityResult Score(QualitySettings settings, Action<string> status) =>
            ModelQuality.Measure(settings, options.Host.Worker, options.Host.Log,
                (tokens, total) => status($"scoring {tokens} of {total} tokens"), cancellationToken);
    }

    private static string Label(string modelPath)
    {
        ModelInfo info = ModelInspector.Inspect(modelPath);
        return QualityFigures.Label(info.ModelName, info.Quantization);
    }

    /// <summary>The plan was checked when it was read: a reference refused now (a file changed since) is an argument error.</summary>
    private sealed class Refusals : IPlanSource
    {
        public bool Has(string key) => true;

        public EdgeLmException Error(string errorId, string message, params object[] path) => new EdgeLmArgumentException(errorId, message);
    }
}
