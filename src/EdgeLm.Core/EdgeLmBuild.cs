namespace EdgeLm.Core;

/// <summary>
/// This build of EdgeLm. Every measurement record carries its version, as llama-bench's carry its build: a fleet's
/// boards may run different builds, and a figure is only comparable with one measured the same way.
/// </summary>
public static class EdgeLmBuild
{
    /// <summary>major.minor.patch, the module's ModuleVersion and the CLI's `edgelm version`.</summary>
    public static string Version { get; } = typeof(EdgeLmBuild).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
