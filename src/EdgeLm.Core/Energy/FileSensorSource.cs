using EdgeLm.Core.Devices;

namespace EdgeLm.Core.Energy;

/// <summary>
/// A sensor read from sysfs files under a <see cref="ProbeRoot"/>: one file (RAPL energy_uj, hwmon power1_input,
/// a Jetson JetPack 4 in_power0_input) or several combined (a JetPack 5/6 INA3221 channel's bus millivolts times
/// milliamps). <paramref name="combine"/> turns the numbers read into joules (counter) or watts (power).
/// </summary>
internal sealed class FileSensorSource : IEnergySource
{
    private readonly ProbeRoot _root;
    private readonly string[] _files;
    private readonly Func<double[], double> _combine;

    public FileSensorSource(string name, string kind, string scope, ProbeRoot root, string[] files, Func<double[], double> combine,
        bool isCounter, double? counterRangeJoules, TimeSpan minimumInterval)
    {
        Name = name;
        Kind = kind;
        Scope = scope;
        _root = root;
        _files = files;
        _combine = combine;
        IsCounter = isCounter;
        CounterRangeJoules = counterRangeJoules;
        MinimumInterval = minimumInterval;
    }

    public string Name { get; }
    public string Kind { get; }
    public string Scope { get; }
    public string Path => string.Join(" ", _files);
    public bool IsCounter { get; }
    public double? CounterRangeJoules { get; }
    public TimeSpan MinimumInterval { get; }

    public double Read()
    {
        var values = new double[_files.Length];
        for (int i = 0; i < _files.Length; i++)
        {
            values[i] = ReadNumber(_root, _files[i]);
        }

        return _combine(values);
    }

    /// <summary>One number from a sysfs file, or an <see cref="EnergyReadException"/> saying why not (with the fix for permissions).</summary>
    public static double ReadNumber(ProbeRoot root, string file)
    {
        string text;
        try
        {
            text = root.ReadRaw(file).Trim();
        }
        catch (UnauthorizedAccessException e)
        {
            throw new EnergyReadException($"{file}: permission denied", e);
        }
        catch (Exception e) when (e is IOException)
        {
            throw new EnergyReadException($"{file}: {e.Message}", e);
        }

        return SensorNumber.TryParse(text, out double value)
            ? value
            : throw new EnergyReadException($"{file}: '{text}' is not a finite number");
    }

    public void Dispose()
    {
    }
}
