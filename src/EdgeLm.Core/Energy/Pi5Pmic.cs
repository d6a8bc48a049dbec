using System.Text.RegularExpressions;

namespace EdgeLm.Core.Energy;

/// <summary>
/// The Raspberry Pi 5 PMIC's rails from `pmic_read_adc` ("VDD_CORE_A current(7)=1.11625000A" and
/// "VDD_CORE_V volt(15)=0.74944980V", or "VDD_CORE_V=0.8750V" on other firmware). Power is the sum of V x I over
/// the rails that have both channels; EXT5V and BATT report a voltage only and carry no power. The sum covers the
/// board's rails, not the 5 V input side or the PMIC's own losses (scope board-rails).
/// </summary>
internal static class Pi5Pmic
{
    private static readonly Regex Channel = new(@"^\s*(\S+)_([AV])(?:\s+(?:current|volt)\(\d+\))?\s*=\s*([0-9.]+)\s*[AV]\s*$",
        RegexOptions.CultureInvariant | RegexOptions.Multiline);

    /// <summary>Watts per rail that has both a current and a voltage channel; a garbled number is an <see cref="EnergyReadException"/>.</summary>
    public static IReadOnlyDictionary<string, double> RailWatts(string output)
    {
        var amps = new Dictionary<string, double>(StringComparer.Ordinal);
        var volts = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (Match m in Channel.Matches(output))
        {
            if (!SensorNumber.TryParse(m.Groups[3].Value, out double value))
            {
                throw new EnergyReadException($"pmic_read_adc printed '{m.Value.Trim()}': not a number");
            }

            (m.Groups[2].Value == "A" ? amps : volts)[m.Groups[1].Value] = value;
        }

        return amps.Where(a => volts.ContainsKey(a.Key)).ToDictionary(a => a.Key, a => a.Value * volts[a.Key], StringComparer.Ordinal);
    }

    /// <summary>The board-rail total in watts, or an <see cref="EnergyReadException"/> when the output holds no rail.</summary>
    public static double TotalWatts(string output)
    {
        IReadOnlyDictionary<string, double> rails = RailWatts(output);
        return rails.Count > 0 ? rails.Values.Sum() : throw new EnergyReadException($"pmic_read_adc gave no rail with current and voltage: '{output.Trim()}'");
    }
}
