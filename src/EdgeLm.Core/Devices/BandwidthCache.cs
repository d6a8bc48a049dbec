using System.Globalization;

namespace EdgeLm.Core.Devices;

/// <summary>
/// The last measured memory bandwidth of this machine, kept in the EdgeLm cache folder, so inference records can
/// carry BandwidthUtilization without measuring again. Keyed by host, CPU model and memory size, so a copied
/// home folder or a changed machine does not pass another machine's figure off as its own.
/// </summary>
internal static class BandwidthCache
{
    private const string FileName = "memory-bandwidth.txt";

    public static string Key(string hostName, string? cpuModel, long? totalMemoryBytes) => $"{hostName}|{cpuModel}|{totalMemoryBytes}";

    public static void Store(string key, double bytesPerSecond, string? cacheFolder = null)
    {
        string? folder = cacheFolder ?? CacheFolder.Path();
        if (folder is null)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(folder);
            string file = Path.Combine(folder, FileName);
            string temporary = file + "." + Environment.ProcessId + ".tmp";
            File.WriteAllText(temporary, key + "\n" + bytesPerSecond.ToString("R", CultureInfo.InvariantCulture) + "\n");
            File.Move(temporary, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The figure was still reported; only its reuse is lost.
        }
    }

    public static double? Load(string key, string? cacheFolder = null)
    {
        string? folder = cacheFolder ?? CacheFolder.Path();
        try
        {
            string[]? lines = folder is null ? null : File.ReadAllLines(Path.Combine(folder, FileName));
            return lines is { Length: >= 2 } && lines[0] == key &&
                   double.TryParse(lines[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0
                ? value
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>This machine's key, from the live /proc.</summary>
    public static string LiveKey()
    {
        var root = new ProbeRoot("/");
        CpuInfo cpu = CpuInfo.Parse(root.Read("/proc/cpuinfo", expected: false) ?? string.Empty);
        return Key(Environment.MachineName, cpu.CpuModel, MemInfo.Read(root).TotalBytes);
    }
}
