namespace EdgeLm;

/// <summary>
/// The device a benchmark ran on (records.md's DeviceProfile), flat for Export-Csv. Anything a probe could not
/// read is null, and <see cref="Warnings"/> says why (`;`-joined).
/// </summary>
public sealed class DeviceProfile
{
    public string DeviceName { get; set; } = string.Empty;
    public string HostName { get; set; } = string.Empty;
    public string? BoardModel { get; set; }
    public string? Architecture { get; set; }
    public string? CpuModel { get; set; }
    public int? PhysicalCores { get; set; }
    public int? LogicalCores { get; set; }
    public double? MaxCpuFrequencyMHz { get; set; }
    public double? CurrentCpuFrequencyMHz { get; set; }
    public string? CpuGovernor { get; set; }
    public long? LastLevelCacheBytes { get; set; }
    public long? TotalMemoryBytes { get; set; }
    public long? AvailableMemoryBytes { get; set; }
    public long? SwapBytes { get; set; }
    public string? GpuName { get; set; }
    /// <summary>Dedicated GPU memory; null for integrated GPUs that share system memory (Jetson).</summary>
    public long? GpuMemoryBytes { get; set; }
    public string? OperatingSystem { get; set; }
    public string? KernelVersion { get; set; }
    /// <summary>Jetson: the L4T release (e.g. 36.4.3) and its JetPack major release.</summary>
    public string? L4TVersion { get; set; }
    public string? JetPackVersion { get; set; }
    /// <summary>Jetson nvpmodel power mode name (15W, MAXN_SUPER, ...) and id.</summary>
    public string? PowerMode { get; set; }
    public int? PowerModeId { get; set; }
    public double? MaxTemperatureCelsius { get; set; }
    /// <summary>Every thermal zone, "type=°C" joined by ';'.</summary>
    public string? ThermalZones { get; set; }
    public bool? Throttled { get; set; }
    public string? ThrottleReasons { get; set; }
    /// <summary>llama.cpp's view of this CPU (llama_print_system_info) and the CPU backend variant it chose.</summary>
    public string? CpuFeatures { get; set; }
    public string? LlamaBackend { get; set; }
    public string? LlamaVersion { get; set; }
    /// <summary>The readable power sources (Get-EdgePowerSource), ';'-joined; null when none can be read.</summary>
    public string? PowerSources { get; set; }
    public double? MemoryBandwidthBytesPerSecond { get; set; }
    /// <summary>From the board catalog: which entry matched, its price and typical power.</summary>
    public string? CatalogEntry { get; set; }
    public double? PriceUsd { get; set; }
    public double? TypicalIdleWatts { get; set; }
    public double? TdpWatts { get; set; }
    public string? BoardNotes { get; set; }
    public string? Warnings { get; set; }
}
