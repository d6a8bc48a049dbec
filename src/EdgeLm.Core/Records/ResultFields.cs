using EdgeLm.Core;

using System.Reflection;

namespace EdgeLm;

/// <summary>InferenceResult's properties by name, for grouping keys and figures chosen at run time.</summary>
public static class ResultFields
{
    private static readonly Dictionary<string, PropertyInfo> Properties =
        typeof(InferenceResult).GetProperties(BindingFlags.Public | BindingFlags.Instance).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The configuration a run belongs to: what a summary groups by unless told otherwise.</summary>
    public static readonly IReadOnlyList<string> DefaultKeys = new[]
    {
        nameof(InferenceResult.DeviceName), nameof(InferenceResult.ModelName), nameof(InferenceResult.Quantization),
        nameof(InferenceResult.Threads), nameof(InferenceResult.GpuLayers), nameof(InferenceResult.ContextSize),
        nameof(InferenceResult.PromptTokens), nameof(InferenceResult.RequestedTokens),
        nameof(InferenceResult.DepthTokens),
    };

    public static PropertyInfo Get(string name) =>
        Properties.TryGetValue(name, out PropertyInfo? property) ? property
            : throw new EdgeLmArgumentException("UnknownProperty", $"InferenceResult has no property '{name}'; use one of {string.Join(", ", Properties.Keys)}");

    public static object? Value(InferenceResult result, string name) => Get(name).GetValue(result);

    public static double? Number(InferenceResult result, string name) => Value(result, name) switch
    {
        null => null,
        double d => d,
        float f => f,
        int i => i,
        long l => l,
        uint u => u,
        bool b => b ? 1 : 0,
        _ => null,
    };

    /// <summary>The canonical names (as declared) of <paramref name="names"/>.</summary>
    public static IReadOnlyList<string> Canonical(IEnumerable<string> names) => names.Select(n => Get(n).Name).ToArray();
}
