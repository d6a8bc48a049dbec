using EdgeLm.Core.Engine;
using System.Globalization;

namespace EdgeLm.Core.Worker;

/// <summary>
/// This process's peak resident set (VmHWM). Linux resets the peak when "5" is written to
/// /proc/self/clear_refs (since 4.0), so each run can report its own peak instead of the peak since start.
/// </summary>
internal static class ProcessMemory
{
    /// <summary>PeakRssScope when the peak was reset before the run.</summary>
    public const string RunScope = "run";

    /// <summary>PeakRssScope when the kernel refused the reset: the peak since the process started.</summary>
    public const string ProcessScope = "process";

    /// <summary>Resets the peak to the current resident set; false when the kernel does not allow it.</summary>
    public static bool TryResetPeak(string procSelf = "/proc/self")
    {
        try
        {
            File.WriteAllText(Path.Combine(procSelf, "clear_refs"), "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>VmHWM in bytes, or null where /proc is not readable.</summary>
    public static long? PeakRssBytes(string procSelf = "/proc/self")
    {
        try
        {
            foreach (string line in File.ReadLines(Path.Combine(procSelf, "status")))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    string[] parts = line.Split(' ', '\t').Where(p => p.Length > 0).ToArray();
                    return long.Parse(parts[1], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
        }

        return null;
    }
}
