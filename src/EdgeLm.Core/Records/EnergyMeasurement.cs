namespace EdgeLm;

/// <summary>Energy over a window (Measure-EdgeEnergy, edgelm energy): gross, idle baseline and net, with scope and method.</summary>
public sealed class EnergyMeasurement
{
    public double DurationSeconds { get; set; }
    public double EnergyJoules { get; set; }
    public double AveragePowerWatts { get; set; }
    public double? PeakPowerWatts { get; set; }
    /// <summary>Mean power over the baseline measured before the window; null without a baseline.</summary>
    public double? IdlePowerWatts { get; set; }
    public double? BaselineSeconds { get; set; }
    /// <summary>EnergyJoules - IdlePowerWatts x DurationSeconds.</summary>
    public double? NetEnergyJoules { get; set; }
    public int Samples { get; set; }
    public double SampleIntervalMs { get; set; }
    public string EnergySource { get; set; } = string.Empty;
    public string EnergyScope { get; set; } = string.Empty;
    public string EnergyMethod { get; set; } = string.Empty;
    /// <summary>CPU time the sampler thread used, as a share of one core over the window.</summary>
    public double? SamplerCpuPercent { get; set; }
    /// <summary>The measured command's exit code (edgelm energy -- COMMAND), or $LASTEXITCODE as set by a native command run in Measure-EdgeEnergy's script block.</summary>
    public int? ExitCode { get; set; }
    /// <summary>Whether the measured command or script block completed without an error (exit code 0, nothing thrown); null for a -Duration window.</summary>
    public bool? Succeeded { get; set; }
    /// <summary>The error that ended the script block early; its energy up to that point is still measured.</summary>
    public string? ErrorMessage { get; set; }
    public string? Warnings { get; set; }
}
