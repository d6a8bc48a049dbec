using EdgeLm.Core.Settings;
using System.Security.Cryptography;
using System.Text;
using EdgeLm.Core.Engine;
using EdgeLm.Core.Host;
using EdgeLm.Core.Worker;
using EdgeLm.Core.Devices;

namespace EdgeLm.Core.Benchmarks;

/// <summary>The model a configuration runs: a file, or a synthetic shape and quantization (generated when needed).</summary>
internal sealed record ModelChoice(string? Path, string? Shape, string? Quantization)
{
    /// <summary>What identifies the model in a run key: the file's full path, or the shape and quantization.</summary>
    public string Identity => Path ?? $"synthetic:{Shape}:{Quantization}";
}

/// <summary>One point of the matrix; <see cref="Key"/> is a stable hash of it.</summary>
internal sealed record RunConfiguration(ModelChoice Model, int Threads, int GpuLayers, int? ContextSize, int PromptTokens, int GenerationTokens, int DepthTokens)
{
    public string Key => Hash($"model={Model.Identity}|threads={Threads}|ngl={GpuLayers}|ctx={ContextSize?.ToString() ?? "auto"}|p={PromptTokens}|n={GenerationTokens}|d={DepthTokens}");

    /// <summary>The settings of one run of this configuration (the model already on disk at <paramref name="modelPath"/>).</summary>
    internal RunSettings Settings(string modelPath, BenchmarkPlan plan) => new()
    {
        ModelPath = modelPath,
        PromptTokens = PromptTokens,
        MaxTokens = GenerationTokens,
        DepthTokens = DepthTokens,
        Threads = Threads,
        GpuLayers = GpuLayers,
        ContextSize = ContextSize,
        Warmup = plan.Warmups,
        Repeat = 1,
        MeasureEnergy = plan.Energy,
        BaselineSeconds = plan.BaselineSeconds,
    };

    /// <summary>The key of one repetition: what -Resume finds in the results file.</summary>
    public string RunKey(int repetition) => Hash($"{Key}|rep={repetition}");

    public string Describe() =>
        $"{Model.Shape ?? System.IO.Path.GetFileName(Model.Path)}{(Model.Quantization is null ? "" : " " + Model.Quantization)} t={Threads} ngl={GpuLayers} ctx={ContextSize?.ToString() ?? "auto"} p={PromptTokens} n={GenerationTokens} d={DepthTokens}";

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16].ToLowerInvariant();
}

/// <summary>Expands a plan into its configurations, grouped so each model loads once.</summary>
internal static class BenchmarkMatrix
{
    public static IReadOnlyList<RunConfiguration> Expand(LoadedPlan loaded)
    {
        BenchmarkPlan plan = loaded.Plan;
        IReadOnlyList<int> threads = plan.Threads.Count > 0 ? plan.Threads
            : plan.ThreadsUpToCores ? Enumerable.Range(1, CpuTopology.PhysicalCores()).ToArray()
            : new[] { CpuTopology.PhysicalCores() };
        IReadOnlyList<int?> contexts = plan.Contexts.Count > 0 ? plan.Contexts.Select(c => (int?)c).ToArray() : new int?[] { null };
        var configurations = new List<RunConfiguration>();
        foreach (ModelChoice model in Models(loaded).Select(m => m.Model))
        foreach (int gpuLayers in plan.GpuLayers)
        foreach (int t in threads)
        foreach (int? context in contexts)
        foreach (int depth in plan.Depths)
        foreach (int prompt in plan.PromptTokens)
        foreach (int generation in plan.GenerationTokens)
        {
            configurations.Add(new RunConfiguration(model, t, gpuLayers, context, prompt, generation, depth));
        }

        return configurations;
    }

    /// <summary>The plan's models in order, each with the index of the entry it comes from (a synthetic entry gives one per quantization).</summary>
    public static IReadOnlyList<(ModelChoice Model, int Entry)> Models(LoadedPlan loaded)
    {
        var models = new List<(ModelChoice, int)>();
        for (int i = 0; i < loaded.Plan.Models.Count; i++)
        {
            PlanModel model = loaded.Plan.Models[i];
            if (model.Path is not null)
            {
                models.Add((new ModelChoice(Path.GetFullPath(Path.Combine(loaded.Folder, model.Path)), null, null), i));
            }
            else
            {
                models.AddRange(model.Quantizations.Select(q => (new ModelChoice(null, model.Synthetic!.ToLowerInvariant(), q.ToUpperInvariant()), i)));
            }
        }

        return models;
    }
}
