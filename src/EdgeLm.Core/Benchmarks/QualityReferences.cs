using EdgeLm.Core.Models;

namespace EdgeLm.Core.Benchmarks;

/// <summary>
/// The reference each model of a plan is compared against for KL divergence: a model entry's own 'reference', else
/// the quality section's. A name such as F16 or Q8_0 means the same model in that quantization (a synthetic shape
/// generated in it; for a model file, the plan's file of the same model name in it); a path ending in .gguf (or
/// holding a '/') names the file. Resolved when the plan is read, so a reference that does not exist or whose
/// vocabulary differs is refused before the first run.
/// </summary>
internal static class QualityReferences
{
    /// <summary>The reference of every model entry (null: perplexity only), in the plan's order.</summary>
    public static IReadOnlyList<ModelChoice?> Resolve(BenchmarkPlan plan, string folder, IPlanSource at)
    {
        var described = new Dictionary<string, ModelInfo>(StringComparer.Ordinal);
        ModelInfo Describe(string path, object[] where)
        {
            if (!described.TryGetValue(path, out ModelInfo? info))
            {
                try
                {
                    info = ModelInspector.Inspect(path);
                }
                catch (EdgeLmInvalidFileException e)
                {
                    string message = e.Message.StartsWith(path, StringComparison.Ordinal) ? e.Message : $"model {path}: {e.Message}";
                    throw at.Error("PlanModelNotFound", where[^1] is "reference" ? $"quality reference: {message}" : message, where);
                }

                described[path] = info;
            }

            return info;
        }

        var references = new List<ModelChoice?>();
        for (int i = 0; i < plan.Models.Count; i++)
        {
            PlanModel model = plan.Models[i];
            string? reference = model.Reference ?? plan.Quality?.Reference;
            object[] where = model.Reference is not null ? new object[] { "models", i, "reference" } : new object[] { "quality", "reference" };
            if (string.IsNullOrWhiteSpace(reference))
            {
                if (reference is not null)
                {
                    throw at.Error("PlanInvalidModel", $"the quality reference is '{reference}', which names nothing; give a quantization such as F16, or a .gguf path", where);
                }

                references.Add(null);
                continue;
            }

            string? modelPath = model.Path is null ? null : Path.GetFullPath(Path.Combine(folder, model.Path));
            long? vocabulary = modelPath is not null ? Describe(modelPath, new object[] { "models", i, "path" }).VocabularySize
                : SyntheticShapes.Get(model.Synthetic!).VocabularySize;
            string subject = modelPath is not null ? $"models[{i}] ({Path.GetFileName(modelPath)})" : $"models[{i}] (synthetic {model.Synthetic})";
            ModelChoice chosen;
            long? referenceVocabulary;
            if (IsPath(reference))
            {
                string file = Path.GetFullPath(Path.Combine(folder, reference));
                referenceVocabulary = Describe(file, where).VocabularySize;
                chosen = new ModelChoice(file, null, null);
            }
            else if (model.Synthetic is not null)
            {
                if (!ModelQuantizer.SupportedQuantizations.Contains(reference, StringComparer.OrdinalIgnoreCase))
                {
                    throw at.Error("PlanUnknownQuantization",
                        $"the quality reference '{reference}' is no quantization a synthetic model can be made in; use one of {string.Join(", ", ModelQuantizer.SupportedQuantizations)}, or a .gguf path", where);
                }

                chosen = new ModelChoice(null, model.Synthetic.ToLowerInvariant(), reference.ToUpperInvariant());
                referenceVocabulary = vocabulary;
            }
            else
            {
                // The same model in that quantization: a file of the plan with the same model name (the entry itself when it is in it).
                string name = Describe(modelPath!, new object[] { "models", i, "path" }).ModelName;
                string? match = null;
                for (int j = 0; j < plan.Models.Count && match is null; j++)
                {
                    if (plan.Models[j].Path is string other
                        && Describe(Path.GetFullPath(Path.Combine(folder, other)), new object[] { "models", j, "path" }) is { } candidate
                        && candidate.ModelName == name && candidate.Quantization.Equals(reference, StringComparison.OrdinalIgnoreCase))
                    {
                        match = candidate.ModelPath;
                    }
                }

                if (match is null)
                {
                    throw at.Error("PlanInvalidModel",
                        $"{subject} has no {reference} reference: the plan holds no {reference} file of '{name}'; add that file under models, or give the reference's .gguf path", where);
                }

                chosen = new ModelChoice(match, null, null);
                referenceVocabulary = vocabulary;
            }

            if (vocabulary is long own && referenceVocabulary is long theirs && own != theirs)
            {
                throw at.Error("PlanInvalidModel",
                    $"the quality reference {reference} has a vocabulary of {theirs} tokens and {subject} {own}: KL divergence compares the same tokens, so the reference must be the same model in another quantization", where);
            }

            references.Add(chosen);
        }

        return references;
    }

    private static bool IsPath(string reference) =>
        reference.Contains('/') || reference.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase);
}
