using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EdgeLm.Core.Benchmarks;

/// <summary>
/// A plan value of the wrong type, said in the plan's own terms (<see cref="YamlTypes"/> over
/// <see cref="BenchmarkPlan"/>), with the plan's models described as a plan writer knows them.
/// </summary>
internal static class PlanTypes
{
    private static readonly YamlTypes Types = new(typeof(BenchmarkPlan), "the plan", Special);

    /// <summary>The message for a deserializer failure; null when the position is no value of the plan.</summary>
    public static string? Explain(YamlException error, YamlNode? root) => Types.Explain(error, root);

    /// <summary>Refuses YAML's null where a number or a boolean belongs (see <see cref="YamlTypes.RequireValues"/>).</summary>
    public static void RequireValues(YamlNode? root, string file) => Types.RequireValues(root, file, "PlanInvalid");

    private static string? Special(Type type) =>
        type == typeof(List<PlanModel>) ? "a list of models, each a mapping with 'path' (a GGUF file) or 'synthetic' (a shape)"
        : type == typeof(PlanModel) ? "a model: a mapping with 'path' (a GGUF file) or 'synthetic' (a shape) and its 'quantizations'"
        : type == typeof(BenchmarkPlan) ? "a mapping of keys such as 'models' and 'threads'"
        : null;
}
