using System.Runtime.InteropServices;

namespace EdgeLm.Native;

/// <summary>
/// Where llama.cpp's files are and what they are called. Compiled into both EdgeLm.Core and EdgeLm.Loader
/// (linked source): the loader lives in PowerShell's default context and must not reference Core, yet
/// both must find the same files.
/// </summary>
internal static class NativeLibraryFiles
{
    /// <summary>The runtime identifier whose bundled libraries this process uses (runtimes/&lt;rid&gt;/native).</summary>
    public static string RuntimeIdentifier => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "linux-x64",
        Architecture.Arm64 => "linux-arm64",
        Architecture.Arm => "linux-arm",
        var other => "linux-" + other.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// The file for a logical library name in <paramref name="directory"/>: libNAME.so, then versioned names
    /// (libllama.v0.5.0.so as node-llama-cpp ships it, libllama.so.0 as a CMake install does), shortest
    /// first. Null when there is none, or no such folder.
    /// </summary>
    public static string? Find(string directory, string logicalName)
    {
        try
        {
            if (!Directory.Exists(directory))
            {
                return null;
            }

            string plain = Path.Combine(directory, $"lib{logicalName}.so");
            if (File.Exists(plain))
            {
                return plain;
            }

            // A loop rather than LINQ's ordering: this runs on every worker's start, where each generic
            // instantiation is one more method to compile.
            string? best = null;
            foreach (string pattern in new[] { $"lib{logicalName}.v*.so", $"lib{logicalName}.so.*" })
            {
                foreach (string path in Directory.EnumerateFiles(directory, pattern))
                {
                    if (best is null || path.Length < best.Length || (path.Length == best.Length && string.CompareOrdinal(path, best) < 0))
                    {
                        best = path;
                    }
                }
            }

            return best;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
