namespace EdgeLm.Core.Models;

/// <summary>
/// Whether a GGUF file holds EdgeLm's synthetic (random) weights: its answers are noise, so quality figures from it
/// must say so. Recognised by the description <see cref="SyntheticModelBuilder"/> writes, which quantization keeps;
/// a name alone ('synthetic-…') is not enough, since anyone may name a real model so.
/// </summary>
internal static class SyntheticWeights
{
    public const string DescriptionPrefix = "EdgeLm synthetic ";

    public static bool Of(string path) => Of(GgufReader.Read(path));

    public static bool Of(GgufFile file) =>
        file.GetString("general.description")?.StartsWith(DescriptionPrefix, StringComparison.Ordinal) == true;
}
