namespace EdgeLm.Core.Energy;

/// <summary>
/// The rule both front ends follow for energy settings: a power source, a meter or an idle baseline only mean
/// something when energy is measured, so giving one without -MeasureEnergy (--energy) is refused with the fix
/// rather than silently ignored.
/// </summary>
public static class EnergyArguments
{
    /// <param name="baselineSeconds">The baseline when the caller gave one; null when left at its default.</param>
    public static void RequireMeasureEnergy(bool measureEnergy, string? source, string? meter, double? baselineSeconds)
    {
        if (measureEnergy)
        {
            return;
        }

        string? given = source is not null ? "-EnergySource (--energy-source)"
            : meter is not null ? "-Meter (--meter)"
            : baselineSeconds is not null ? "-BaselineSeconds (--baseline)"
            : null;
        if (given is not null)
        {
            throw new EdgeLmArgumentException("EnergySettingWithoutMeasureEnergy",
                $"{given} applies only when energy is measured; add -MeasureEnergy (--energy), or leave it out");
        }
    }
}
