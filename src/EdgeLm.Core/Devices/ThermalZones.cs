using System.Globalization;

namespace EdgeLm.Core.Devices;

/// <summary>/sys/class/thermal/thermal_zone*: each zone's type and temperature (millidegrees in sysfs).</summary>
internal sealed record ThermalZones(IReadOnlyList<(string Type, double Celsius)> Zones)
{
    public double? MaxCelsius => Zones.Count == 0 ? null : Zones.Max(z => z.Celsius);

    /// <summary>"cpu-thermal=52.3;gpu-thermal=48.1": one flat string for records and CSV.</summary>
    public string? Summary => Zones.Count == 0 ? null
        : string.Join(";", Zones.Select(z => $"{z.Type}={z.Celsius.ToString("0.0", CultureInfo.InvariantCulture)}"));

    public static ThermalZones Read(ProbeRoot root, bool warn = true)
    {
        const string thermal = "/sys/class/thermal";
        var zones = new List<(string, double)>();
        foreach (string zone in root.Folders(thermal, "thermal_zone"))
        {
            long? milli = root.ReadLong($"{thermal}/{zone}/temp", expected: false);
            string type = root.Read($"{thermal}/{zone}/type", expected: false) ?? zone;
            // Disabled zones read an error or a sentinel far below zero; the Jetson Nano's PMIC-Die zone is a
            // constant 100 °C placeholder (jtop ignores it too). Neither is a temperature.
            if (milli is long m && m > -40_000 && type != "PMIC-Die")
            {
                zones.Add((type, m / 1000.0));
            }
        }

        if (zones.Count == 0 && warn)
        {
            root.Warn($"{thermal}/thermal_zone*: no readable thermal zone");
        }

        return new ThermalZones(zones);
    }
}
