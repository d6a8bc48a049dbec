namespace EdgeLm.Core.Energy;

/// <summary>
/// One thing that can be read for power or energy. Counter sources return cumulative joules as the hardware
/// counts them (wrapping at <see cref="CounterRangeJoules"/>); power sources return watts now. The sampler
/// differences counters and integrates power; sources only read.
/// </summary>
public interface IEnergySource : IDisposable
{
    string Name { get; }
    string Kind { get; }
    string Scope { get; }
    string Path { get; }
    bool IsCounter { get; }

    /// <summary>Where a counter wraps to 0 (RAPL's max_energy_range_uj); null when unknown (0 or less counts as unknown).</summary>
    double? CounterRangeJoules { get; }

    /// <summary>How often reading makes sense (the sensor's update interval); the sampler never reads faster.</summary>
    TimeSpan MinimumInterval { get; }

    /// <summary>How the figure is obtained, where the name alone does not say (an estimate's model, a process per sample).</summary>
    string? Note => null;

    /// <summary>Joules (counter) or watts (power). Throws <see cref="EnergyReadException"/> when the sensor cannot be read.</summary>
    double Read();
}

/// <summary>A sensor read failed: missing, permission denied, or a tool that did not answer.</summary>
internal sealed class EnergyReadException : Exception
{
    public EnergyReadException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}

/// <summary>Numbers as sensors print them: only finite ones count ("nan", "inf" and overflowing digits do not).</summary>
internal static class SensorNumber
{
    public static bool TryParse(string? text, out double value) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value) &&
        double.IsFinite(value);
}

/// <summary>Method names as records.md spells them.</summary>
internal static class EnergyMethods
{
    public const string CounterDelta = "counter-delta";
    public const string IntegratedPower = "integrated-power";
    public const string EstimatedModel = "estimated-model";

    public static string Of(IEnergySource source) =>
        source.Kind == "estimate" ? EstimatedModel : source.IsCounter ? CounterDelta : IntegratedPower;
}
