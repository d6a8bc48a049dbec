namespace EdgeLm.Core.Benchmarks;

/// <summary>What Test-EdgeFit / edgelm fit ask: a model (a file, or a synthetic shape and type), a context, and a target.</summary>
public sealed class FitRequest
{
    /// <summary>A GGUF file; or <see cref="Shape"/> with <see cref="Quantization"/>.</summary>
    public string? ModelPath { get; set; }
    public string? Shape { get; set; }
    public string? Quantization { get; set; }
    public int ContextSize { get; set; }

    /// <summary>A catalog board by name; none of Board, MemoryBytes and ThisDevice: every catalog board.</summary>
    public string? Board { get; set; }

    /// <summary>A board's installed memory, given by hand; the OS reserve is taken off as for catalog boards.</summary>
    public long? MemoryBytes { get; set; }

    /// <summary>This machine, from its live profile (MemAvailable, measured bandwidth).</summary>
    public bool ThisDevice { get; set; }

    /// <summary>Results files measured on the target, shown beside the prediction.</summary>
    public IReadOnlyList<string> ResultsPaths { get; set; } = Array.Empty<string>();

    public string? BoardCatalogFile { get; set; }
    public string? NativeDirectory { get; set; }
}
