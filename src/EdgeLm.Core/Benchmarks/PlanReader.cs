using EdgeLm.Core.Settings;
using System.Text.RegularExpressions;
using EdgeLm.Core.Models;
using EdgeLm.Core.Devices;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace EdgeLm.Core.Benchmarks;

/// <summary>
/// Reads a plan strictly: an unknown key, a wrong type, a missing model file, an unknown shape or quantization, a
/// value out of range or an empty matrix is refused with the file, line and column, before anything runs.
/// </summary>
public static class PlanReader
{
    private static readonly Regex UnknownProperty = new(@"Property '([^']+)' not found on type '[^']*\.(\w+)'", RegexOptions.CultureInvariant);

    public static LoadedPlan Read(string path) => Read(path, allowLarge: false);

    /// <summary>Reads and validates a plan; <paramref name="allowLarge"/> (-AllowLarge) lets it expand past <see cref="MaxRuns"/> runs.</summary>
    public static LoadedPlan Read(string path, bool allowLarge)
    {
        string full = Path.GetFullPath(path);
        string text;
        try
        {
            text = InputFiles.ReadText(full, InputFiles.MaxDocumentBytes, "benchmark plan", "PlanNotFound");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EdgeLmInvalidFileException(full, "PlanUnreadable", $"{full}: {e.Message}");
        }

        return Parse(text, full, allowLarge);
    }

    public static LoadedPlan Parse(string text, string file) => Parse(text, file, allowLarge: false);

    private static LoadedPlan Parse(string text, string file, bool allowLarge)
    {
        BenchmarkPlan plan;
        var stream = new YamlStream();
        YamlNode? document = null;
        try
        {
            YamlLimits.Check(text, file, "plan");
            stream.Load(new StringReader(text));
            document = stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
            PlanTypes.RequireValues(document, file);
            plan = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build()
                .Deserialize<BenchmarkPlan>(text) ?? throw new EdgeLmInvalidFileException(file, "PlanEmpty", $"{file}: the plan is empty; it needs at least 'models'");
        }
        catch (YamlException e)
        {
            throw new EdgeLmInvalidFileException(file, "PlanInvalid", $"{At(file, e.Start)}: {Explain(e, stream, document)}");
        }

        var positions = new PlanPositions(file, document as YamlMappingNode);
        string folder = Path.GetDirectoryName(file) ?? ".";
        plan.AllowLarge |= allowLarge;
        Validate(plan, positions, folder);
        return new LoadedPlan(plan, file, folder);
    }

    /// <summary>
    /// The checks every plan passes, from a file or from a sweep's parameters; <paramref name="at"/> says where a
    /// refused value came from (a line and column, or a parameter).
    /// </summary>
    internal static void Validate(BenchmarkPlan plan, IPlanSource at, string folder)
    {
        // YAML's null (~, or a key with nothing after it) gives a null list: said as such, not a crash later.
        NotNull(plan.Models, at, "models");
        NotNull(plan.Threads, at, "threads");
        NotNull(plan.GpuLayers, at, "gpuLayers");
        NotNull(plan.Contexts, at, "contexts");
        NotNull(plan.PromptTokens, at, "promptTokens");
        NotNull(plan.GenerationTokens, at, "generationTokens");
        NotNull(plan.Depths, at, "depths");
        NotEmpty(plan.Models.Count, at, "models");
        if (plan.ThreadsUpToCores && plan.Threads.Count > 0)
        {
            throw at.Error("PlanConflict", "give either 'threads' (a list) or 'threadsUpToCores: true' (1 up to this board's physical cores), not both", "threadsUpToCores");
        }

        for (int i = 0; i < plan.Models.Count; i++)
        {
            PlanModel? model = plan.Models[i];
            if (model is null)
            {
                throw at.Error("PlanInvalidModel", $"models[{i}] is empty; give 'path' or 'synthetic'", "models", i);
            }

            if (model.Quantizations is null)
            {
                throw at.Error("PlanInvalidModel", $"models[{i}]: 'quantizations' is empty (~); give a list such as [Q4_0, Q8_0]", "models", i, "quantizations");
            }
            if ((model.Path is null) == (model.Synthetic is null))
            {
                throw at.Error("PlanInvalidModel", $"models[{i}]: give either 'path' or 'synthetic'", "models", i);
            }

            if (model.Path is not null)
            {
                if (string.IsNullOrWhiteSpace(model.Path))
                {
                    // Combined with the plan's folder, '' named the folder: "is a folder, not a GGUF file".
                    throw at.Error("PlanInvalidModel", $"models[{i}].path is '{model.Path}', which names no file; give the path of a .gguf file", "models", i, "path");
                }

                string resolved = Path.GetFullPath(Path.Combine(folder, model.Path));
                try
                {
                    ModelInspector.Inspect(resolved);
                }
                catch (EdgeLmInvalidFileException e)
                {
                    throw at.Error("PlanModelNotFound", e.Message.StartsWith(resolved, StringComparison.Ordinal) ? e.Message : $"model {resolved}: {e.Message}", "models", i, "path");
                }

                if (model.Quantizations.Count > 0)
                {
                    throw at.Error("PlanInvalidModel", "'quantizations' applies to synthetic models; a model file has its own", "models", i, "quantizations");
                }
            }
            else
            {
                try
                {
                    SyntheticShapes.Get(model.Synthetic!);
                }
                catch (EdgeLmArgumentException e)
                {
                    throw at.Error("PlanUnknownShape", e.Message, "models", i, "synthetic");
                }

                NotEmpty(model.Quantizations.Count, at, "models", i, "quantizations");
                foreach (string quantization in model.Quantizations)
                {
                    if (!ModelQuantizer.SupportedQuantizations.Contains(quantization, StringComparer.OrdinalIgnoreCase))
                    {
                        throw at.Error("PlanUnknownQuantization",
                            $"unknown quantization '{quantization}'; use one of {string.Join(", ", ModelQuantizer.SupportedQuantizations)}", "models", i, "quantizations");
                    }
                }
            }
        }

        if (at.Has("threads")) NotEmpty(plan.Threads.Count, at, "threads");
        if (at.Has("contexts")) NotEmpty(plan.Contexts.Count, at, "contexts");
        NotEmpty(plan.GpuLayers.Count, at, "gpuLayers");
        NotEmpty(plan.PromptTokens.Count, at, "promptTokens");
        NotEmpty(plan.GenerationTokens.Count, at, "generationTokens");
        NotEmpty(plan.Depths.Count, at, "depths");
        AtLeast(plan.Threads, 1, at, "threads");
        AtLeast(plan.GpuLayers, -1, at, "gpuLayers");
        AtLeast(plan.Contexts, 1, at, "contexts");
        AtLeast(plan.PromptTokens, 1, at, "promptTokens");
        AtLeast(plan.GenerationTokens, 1, at, "generationTokens");
        AtLeast(plan.Depths, 0, at, "depths");
        AtLeast(new[] { plan.Repetitions }, 1, at, "repetitions");
        AtLeast(new[] { plan.Warmups }, 0, at, "warmups");
        Seconds(plan.BaselineSeconds, at, "baselineSeconds");

        // The largest run the plan expands to, by the one rule of what a context holds.
        long largest = new RunSettings { DepthTokens = plan.Depths.DefaultIfEmpty().Max(), MaxTokens = plan.GenerationTokens.Max() }
            .ContextNeeded(plan.PromptTokens.Max());
        foreach (int context in plan.Contexts)
        {
            if (context < largest)
            {
                throw at.Error("PlanContextTooSmall",
                    $"a context of {context} cannot hold the largest depth + prompt + generation ({largest}); use {largest} or more, or drop the context", "contexts");
            }
        }

        if (plan.Cooldown is { } cooldown)
        {
            Seconds(cooldown.Seconds, at, "cooldown", "seconds");
            Seconds(cooldown.MaxWaitSeconds, at, "cooldown", "maxWaitSeconds");
            if (cooldown.UntilCelsius is double celsius && !(double.IsFinite(celsius) && celsius is > 0 and < 150))
            {
                throw at.Error("PlanOutOfRange", $"cooldown untilCelsius is {celsius}; use a temperature between 0 and 150 °C", "cooldown", "untilCelsius");
            }
        }

        if (plan.QuietBelow is double quiet && !(double.IsFinite(quiet) && quiet is > 0 and <= 100))
        {
            throw at.Error("PlanOutOfRange", $"quietBelow is {quiet.ToString(System.Globalization.CultureInfo.InvariantCulture)}; use a CPU pressure percent above 0 and at most 100", "quietBelow");
        }

        Seconds(plan.QuietMaxWaitSeconds, at, "quietMaxWaitSeconds");
        ValidateQuality(plan, at, folder);
        RequireReasonableSize(plan, at);
    }

    /// <summary>The quality section: its text readable, its settings Measure-EdgeQuality's, every reference found.</summary>
    private static void ValidateQuality(BenchmarkPlan plan, IPlanSource at, string folder)
    {
        if (plan.Quality is not { } quality)
        {
            int stray = plan.Models.FindIndex(m => m.Reference is not null);
            if (stray >= 0)
            {
                throw at.Error("PlanQualityMissing", $"models[{stray}].reference is a quality reference, but the plan measures no quality; add 'quality:' with a 'text' to score", "models", stray, "reference");
            }

            return;
        }

        if (string.IsNullOrWhiteSpace(quality.Text))
        {
            throw at.Error("PlanQualityText", "quality needs 'text': a UTF-8 text file to score perplexity over, relative to the plan (examples/quality-text.txt is one)", "quality");
        }

        try
        {
            Perplexity.QualityText.Read(Path.Combine(folder, quality.Text));
        }
        catch (EdgeLmException e)
        {
            throw at.Error("PlanQualityText", $"quality text: {e.Message}", "quality", "text");
        }

        try
        {
            Settings(quality, plan, "model.gguf", folder).Validate();
        }
        catch (EdgeLmArgumentException e)
        {
            string key = e.ErrorId switch { "ContextOutOfRange" => "context", "ChunksOutOfRange" => "chunks", _ => "gpuLayers" };
            throw at.Error("PlanOutOfRange", $"quality {key}: {e.Message}", "quality", key);
        }

        QualityReferences.Resolve(plan, folder, at);
    }

    /// <summary>What Measure-EdgeQuality is asked for one model of a plan with a quality section.</summary>
    internal static Perplexity.QualitySettings Settings(PlanQuality quality, BenchmarkPlan plan, string modelPath, string folder) => new()
    {
        ModelPath = modelPath,
        TextPath = Path.GetFullPath(Path.Combine(folder, quality.Text!)),
        ContextSize = quality.Context,
        Chunks = quality.Chunks,
        GpuLayers = quality.GpuLayers ?? plan.GpuLayers.FirstOrDefault(),
    };

    /// <summary>The most runs (configurations × repetitions) a plan may expand to without the user saying they mean it.</summary>
    public const long MaxRuns = 10_000;

    /// <summary>The most runs any plan may expand to, allowLarge or not: the matrix is held in memory (about 100 MB at this size).</summary>
    public const long MaxRunsAllowed = 1_000_000;

    // A matrix is a product of lists: 100 × 100 × 100 is a million runs nobody meant. Counted without expanding it.
    private static void RequireReasonableSize(BenchmarkPlan plan, IPlanSource at)
    {
        long models = plan.Models.Sum(m => m.Path is not null ? 1L : Math.Max(1, m.Quantizations.Count));
        int threads = plan.Threads.Count > 0 ? plan.Threads.Count : plan.ThreadsUpToCores ? CpuTopology.PhysicalCores() : 1;
        double runs = (double)models * threads * plan.GpuLayers.Count * Math.Max(1, plan.Contexts.Count)
            * plan.PromptTokens.Count * plan.GenerationTokens.Count * plan.Depths.Count * (plan.Repetitions + (double)plan.Warmups);
        if (runs > MaxRunsAllowed)
        {
            throw at.Error("PlanTooLarge",
                $"the plan expands to {runs:0} runs, more than the {MaxRunsAllowed} one plan may hold even with allowLarge " +
                $"({TimeSpan.FromSeconds(MaxRunsAllowed).TotalDays:0.#} days at one second each); split it into several plans", "models");
        }

        if (runs > MaxRuns && !plan.AllowLarge)
        {
            throw at.Error("PlanTooLarge",
                $"the plan expands to {runs:0} runs, more than {MaxRuns}; even at one second each that is {TimeSpan.FromSeconds(Math.Min(runs, TimeSpan.MaxValue.TotalSeconds / 2)).TotalHours:0.#} hours. " +
                "Trim its lists, or set 'allowLarge: true' (-AllowLarge, --allow-large) if you mean it", "models");
        }
    }

    private static void NotNull(object? list, IPlanSource at, string key)
    {
        if (list is null)
        {
            throw at.Error("PlanEmptyMatrix", $"'{key}' is empty (~); give a list of values, or leave the key out for its default", key);
        }
    }

    private static void Seconds(double value, IPlanSource at, params object[] path)
    {
        // A day is longer than any baseline, cooldown or wait a benchmark needs; infinity is no duration at all.
        if (!double.IsFinite(value) || value is < 0 or > 86_400)
        {
            throw at.Error("PlanOutOfRange", $"{string.Join(" ", path)} is {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}; use 0 to 86400 seconds", path);
        }
    }

    private static void NotEmpty(int count, IPlanSource at, params object[] path)
    {
        if (count == 0)
        {
            throw at.Error("PlanEmptyMatrix", $"'{path[^1]}' is empty, so the plan has no runs; give at least one value", path);
        }
    }

    private static void AtLeast(IEnumerable<int> values, int minimum, IPlanSource at, string key)
    {
        foreach (int value in values)
        {
            if (value < minimum)
            {
                throw at.Error("PlanOutOfRange", $"{key} has {value}; values must be at least {minimum}", key);
            }
        }
    }

    // document: the parsed plan once it parsed, so a value of the wrong type is named by its key (PlanTypes).
    private static string Explain(YamlException e, YamlStream stream, YamlNode? document)
    {
        // An unknown key first: the deserializer stops at its mark, which would otherwise read as a wrong value there.
        Match unknown = UnknownProperty.Match(e.Message);
        if (unknown.Success)
        {
            string[] known = unknown.Groups[2].Value switch
            {
                nameof(PlanModel) => new[] { "path", "synthetic", "quantizations", "reference" },
                nameof(PlanQuality) => new[] { "text", "context", "chunks", "reference", "gpuLayers" },
                nameof(PlanCooldown) => new[] { "seconds", "untilCelsius", "maxWaitSeconds" },
                _ => new[] { "models", "threads", "threadsUpToCores", "gpuLayers", "contexts", "promptTokens", "generationTokens", "depths", "repetitions", "warmups", "cooldown", "energy", "baselineSeconds", "output", "modelCache", "allowLarge", "quietBelow", "quietMaxWaitSeconds", "quality" },
            };
            return $"unknown key '{unknown.Groups[1].Value}'; the keys here are {string.Join(", ", known)}";
        }

        string? value = ScalarAt(stream, e.Start);
        if (document is not null && PlanTypes.Explain(e, document) is string typed)
        {
            // The key and the type it takes, and for a would-be number why it is none (a digit not 0-9, a decimal comma).
            return value is not null && NumberText.Why(value) is string reason ? $"{typed}: {reason}" : typed;
        }

        // A number YamlDotNet could not read: say which text and why, not "The input string was not in a correct format".
        if (e.InnerException is FormatException or OverflowException && value is not null)
        {
            return e.InnerException is OverflowException
                ? $"'{value}' is out of range for this setting (a whole number here is from -2147483648 to 2147483647)"
                : $"wrong type: '{value}' is not a number{(NumberText.Why(value) is string why ? $": {why}" : string.Empty)}";
        }

        // Parsed YAML that does not deserialize is a value of the wrong type: never show .NET's type names for it.
        return document is not null ? "this value has the wrong type for its key (see the plan keys in README.md)" : e.InnerException?.Message ?? e.Message;
    }

    private static string? ScalarAt(YamlStream stream, Mark start) => stream.Documents.Count == 0 ? null
        : stream.Documents[0].AllNodes.OfType<YamlScalarNode>().FirstOrDefault(n => n.Start.Index == start.Index)?.Value;

    internal static string At(string file, Mark mark) => YamlTypes.At(file, mark);

    /// <summary>Line and column of plan nodes, for errors found after deserialization.</summary>
    private sealed class PlanPositions(string file, YamlMappingNode? root) : IPlanSource
    {
        public bool Has(string key) => root?.Children.ContainsKey(new YamlScalarNode(key)) == true;

        public EdgeLmException Error(string errorId, string message, params object[] path) => YamlTypes.ErrorAt(file, root, errorId, message, path);
    }
}

/// <summary>Where a plan's values came from, so a refusal can say where to fix it.</summary>
internal interface IPlanSource
{
    /// <summary>Whether the plan gave this top-level key (an axis it did not give keeps its default).</summary>
    bool Has(string key);

    /// <summary>The exception for a refused value at <paramref name="path"/> (keys and list indexes from the plan's root).</summary>
    EdgeLmException Error(string errorId, string message, params object[] path);
}

/// <summary>A validated plan and where it came from (relative paths in it are relative to that folder).</summary>
public sealed record LoadedPlan(BenchmarkPlan Plan, string File, string Folder);
