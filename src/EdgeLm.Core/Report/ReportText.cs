using System.Globalization;

namespace EdgeLm.Core.Report;

/// <summary>How the report writes figures: three significant digits (what a reader compares), bytes in MB and GB.</summary>
internal static class ReportText
{
    public static string Number(double? value)
    {
        if (value is not double v || !double.IsFinite(v))
        {
            return string.Empty;
        }

        double magnitude = Math.Abs(v);
        if (magnitude == 0) return "0";
        if (magnitude >= 1e4) return v.ToString("N0", CultureInfo.InvariantCulture);
        if (magnitude < 1e-3) return v.ToString("0.##e0", CultureInfo.InvariantCulture);
        int decimals = Math.Max(0, 2 - (int)Math.Floor(Math.Log10(magnitude)));
        return v.ToString("F" + decimals, CultureInfo.InvariantCulture);
    }

    public static string Bytes(double? bytes) => bytes switch
    {
        null => string.Empty,
        >= 1e9 => (bytes.Value / 1e9).ToString("0.00", CultureInfo.InvariantCulture) + " GB",
        _ => (bytes.Value / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB",
    };

    public static string Joined(IEnumerable<string?> values, string empty = "not recorded")
    {
        string[] distinct = values.Where(v => !string.IsNullOrEmpty(v)).Distinct(StringComparer.Ordinal).ToArray()!;
        return distinct.Length == 0 ? empty : string.Join(", ", distinct);
    }
}
