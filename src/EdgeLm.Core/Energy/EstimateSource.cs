using System.Globalization;
using EdgeLm.Core.Devices;

namespace EdgeLm.Core.Energy;

/// <summary>
/// A labelled estimate for boards without a sensor, used only when nothing else exists or when asked. Power is a
/// function of CPU utilisation from /proc/stat since the previous read:
/// Raspberry Pi 5 and 4 use PowerJoular's linear fits against a meter (joular/powerjoular, raspberry_pi_cpu_formula);
/// other boards idle + (TDP - idle) x u from the board catalog; an unknown machine a generic 5 W + 4 W per busy core.
/// The name says which model, so an estimate is never mistaken for a measurement.
/// </summary>
internal sealed class EstimateSource : IEnergySource
{
    private readonly ProbeRoot _root;
    private readonly Func<double, double> _model;
    private (long Busy, long Total)? _previous;

    private EstimateSource(ProbeRoot root, string model, string formula, Func<double, double> watts)
    {
        _root = root;
        _model = watts;
        Name = "estimate:" + model;
        Note = "model: " + formula + ", u = CPU utilisation from /proc/stat; not a measurement";
        _previous = ReadStat();
    }

    public string Name { get; }
    public string Note { get; }
    public string Kind => "estimate";
    public string Scope => "estimate";
    public string Path => "/proc/stat";
    public bool IsCounter => false;
    public double? CounterRangeJoules => null;
    public TimeSpan MinimumInterval => TimeSpan.FromMilliseconds(100);

    /// <summary>The best model for the board <paramref name="root"/> describes.</summary>
    public static EstimateSource For(ProbeRoot root)
    {
        string? board = root.Read("/proc/device-tree/model", expected: false);
        int cores = Math.Max(1, CpuInfo.Parse(root.Read("/proc/cpuinfo", expected: false) ?? string.Empty).LogicalCores);
        if (board?.StartsWith("Raspberry Pi 5", StringComparison.Ordinal) == true)
        {
            return new EstimateSource(root, "pi5-linear", "3.458 u + 4.403 W (PowerJoular's Raspberry Pi 5 fit)", u => 3.457855981342954 * u + 4.403192179893827);
        }

        if (board?.StartsWith("Raspberry Pi 4", StringComparison.Ordinal) == true)
        {
            return new EstimateSource(root, "pi4-linear", "4.534 u + 2.286 W (PowerJoular's Raspberry Pi 4 fit)", u => 4.534426720546654 * u + 2.2856926184722672);
        }

        var scratch = new ProbeRoot(root.Root);
        CpuInfo cpu = CpuInfo.Parse(scratch.Read("/proc/cpuinfo", expected: false) ?? string.Empty);
        BoardEntry? entry = BoardCatalog.Find(board, cpu.CpuModel, MemInfo.Read(scratch).TotalBytes, scratch);
        if (entry is { IdleWatts: double idle, TdpWatts: double tdp })
        {
            string formula = string.Create(CultureInfo.InvariantCulture, $"{idle} W idle + ({tdp} - {idle}) W x u (board catalog: {entry.Name})");
            return new EstimateSource(root, "tdp", formula, u => idle + (tdp - idle) * u);
        }

        string generic = string.Create(CultureInfo.InvariantCulture, $"5 W + 4 W x {cores} cores x u (generic: the board is not in the catalog)");
        return new EstimateSource(root, "generic-cpu", generic, u => 5 + 4.0 * cores * u);
    }

    public double Read()
    {
        (long Busy, long Total)? now = ReadStat();
        double utilisation = 0;
        if (now is { } n && _previous is { } p && n.Total > p.Total)
        {
            utilisation = Math.Clamp((double)(n.Busy - p.Busy) / (n.Total - p.Total), 0, 1);
        }

        _previous = now ?? _previous;
        return _model(utilisation);
    }

    public void Dispose()
    {
    }

    // The aggregate "cpu" line: busy is everything but idle and iowait.
    private (long Busy, long Total)? ReadStat()
    {
        string? stat = _root.Read("/proc/stat", expected: false);
        string? line = stat?.Split('\n').FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        long[] values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(v => long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out long x) ? x : 0).ToArray();
        long total = values.Sum();
        long idle = values.ElementAtOrDefault(3) + values.ElementAtOrDefault(4);
        return (total - idle, total);
    }
}
