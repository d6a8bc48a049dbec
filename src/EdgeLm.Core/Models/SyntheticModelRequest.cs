namespace EdgeLm.Core.Models;

/// <summary>What New-EdgeSyntheticModel / edgelm model synth should write.</summary>
public sealed class SyntheticModelRequest
{
    public SyntheticShape Shape { get; set; } = SyntheticShapes.Get("tiny");

    /// <summary>A llama.cpp file type: F32 and F16 are written directly, the rest through llama_model_quantize.</summary>
    public string Quantization { get; set; } = "F16";

    public ulong Seed { get; set; } = 42;
    public string OutputPath { get; set; } = string.Empty;

    /// <summary>Overwrite an existing file.</summary>
    public bool Force { get; set; }

    /// <summary>Quantization threads; 0 = all cores.</summary>
    public int Threads { get; set; }

    public string? NativeDirectory { get; set; }
}
