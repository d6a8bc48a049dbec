namespace EdgeLm;

/// <summary>One power or energy source found on the device (Get-EdgePowerSource), readable or not and why.</summary>
public sealed class PowerSourceInfo
{
    /// <summary>Stable name to select it with (-Source / --source), e.g. rapl:package-0, jetson:VDD_IN, pi5:pmic.</summary>
    public string Name { get; set; } = string.Empty;
    /// <summary>rapl, hwmon, jetson, pmic, nvml, nvidia-smi, battery, meter, estimate.</summary>
    public string Kind { get; set; } = string.Empty;
    /// <summary>What it covers: cpu-package, dram, platform, module-input, module-rails, board-rails, gpu-board, battery, wall, sensor, estimate.</summary>
    public string Scope { get; set; } = string.Empty;
    /// <summary>counter-delta, integrated-power or estimated-model.</summary>
    public string Method { get; set; } = string.Empty;
    public string Path { get; set; } = string.Empty;
    public bool Readable { get; set; }
    public string? Reason { get; set; }
    /// <summary>True for the source (or one of the sources) measurements use by default.</summary>
    public bool Default { get; set; }
}
