using System.Globalization;

namespace EdgeLm.Core.Devices;

/// <summary>
/// The Raspberry Pi firmware's throttle flags (`vcgencmd get_throttled` → "throttled=0x50005"). Bits 0-3 are
/// now: under-voltage, ARM frequency capped, throttled, soft temperature limit; bits 16-19 the same since boot.
/// </summary>
internal readonly record struct Throttling(int Flags)
{
    public bool UnderVoltageNow => (Flags & 0x1) != 0;
    public bool ThrottledNow => (Flags & 0xE) != 0;
    public bool ThrottledSinceBoot => (Flags & 0xE0000) != 0;

    public static Throttling? Parse(string? text)
    {
        string? hex = text?.Trim().Split('=').LastOrDefault()?.Trim();
        return hex is not null && hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) &&
               int.TryParse(hex.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int flags)
            ? new Throttling(flags)
            : null;
    }

    /// <summary>"under-voltage; frequency capped; throttled; soft temperature limit" for the bits set now.</summary>
    public string Describe()
    {
        var reasons = new List<string>();
        if ((Flags & 0x1) != 0) reasons.Add("under-voltage");
        if ((Flags & 0x2) != 0) reasons.Add("frequency capped");
        if ((Flags & 0x4) != 0) reasons.Add("throttled");
        if ((Flags & 0x8) != 0) reasons.Add("soft temperature limit");
        if (reasons.Count == 0 && (Flags & 0xF0000) != 0) reasons.Add("throttled earlier since boot");
        return string.Join("; ", reasons);
    }
}
