namespace EdgeLm.Core.Energy;

/// <summary>
/// Raspberry Pi 5 board rails through the firmware: the /dev/vcio mailbox where it opens (10 Hz), else
/// `vcgencmd pmic_read_adc` sampled at 2 Hz because each sample is a process (the name says so). An optional
/// per-board calibration a x P + b (fitted against a USB-C meter; $EDGELM_PMIC_CALIBRATION="a,b") turns the rail
/// sum into an estimate of the board's input, labelled as calibrated.
/// </summary>
internal sealed class PmicSource : IEnergySource
{
    public const string CalibrationVariable = "EDGELM_PMIC_CALIBRATION";
    private readonly Func<string> _read;
    private readonly IDisposable? _owner;
    private readonly (double A, double B)? _calibration;

    public PmicSource(Func<string> read, string path, TimeSpan interval, bool viaCommand, (double A, double B)? calibration, IDisposable? owner = null)
    {
        _read = read;
        _owner = owner;
        _calibration = calibration;
        Path = path;
        MinimumInterval = interval;
        Name = calibration is null ? "pi5:pmic" : "pi5:pmic-calibrated";
        Scope = calibration is null ? "board-rails" : "board-calibrated";
        Note = viaCommand ? "vcgencmd pmic_read_adc, one process per sample, 2 Hz" : "/dev/vcio mailbox";
    }

    public string Name { get; }
    public string Kind => "pmic";
    public string Scope { get; }
    public string Path { get; }
    public string? Note { get; }
    public bool IsCounter => false;
    public double? CounterRangeJoules => null;
    public TimeSpan MinimumInterval { get; }

    public double Read()
    {
        double rails = Pi5Pmic.TotalWatts(_read());
        return _calibration is (double a, double b) ? a * rails + b : rails;
    }

    /// <summary>"a,b" (finite numbers) from $EDGELM_PMIC_CALIBRATION, or null.</summary>
    public static (double A, double B)? CalibrationFromEnvironment()
    {
        string? text = Environment.GetEnvironmentVariable(CalibrationVariable);
        string[]? parts = text?.Split(',', StringSplitOptions.TrimEntries);
        return parts is { Length: 2 } &&
               SensorNumber.TryParse(parts[0], out double a) &&
               SensorNumber.TryParse(parts[1], out double b)
            ? (a, b)
            : null;
    }

    public void Dispose() => _owner?.Dispose();
}
