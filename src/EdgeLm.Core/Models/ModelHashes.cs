using System.Security.Cryptography;
using System.Text;

namespace EdgeLm.Core.Models;

/// <summary>
/// SHA-256 of model files, computed on first use and cached on disk, keyed by full path, size and modification
/// time, so a 4 GB model is read once, not on every run. The cache lives in $EDGELM_CACHE_DIR, else
/// $XDG_CACHE_HOME/edgelm, else ~/.cache/edgelm; when none is writable the hash is still computed.
/// </summary>
internal static class ModelHashes
{
    public static string Sha256(string path) => Sha256(path, CacheFolder.Path());

    /// <summary>The hash, cached under <paramref name="cacheFolder"/> (null: not cached).</summary>
    public static string Sha256(string path, string? cacheFolder)
    {
        var file = new FileInfo(path);
        string key = Hex(SHA256.HashData(Encoding.UTF8.GetBytes($"{file.FullName}\n{file.Length}\n{file.LastWriteTimeUtc.Ticks}")));
        string? cacheFile = cacheFolder is null ? null : Path.Combine(cacheFolder, "model-sha256", key);
        try
        {
            if (cacheFile is not null && File.Exists(cacheFile))
            {
                string cached = File.ReadAllText(cacheFile).Trim();
                if (cached.Length == 64)
                {
                    return cached;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        string hash;
        using (FileStream stream = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan))
        {
            hash = Hex(SHA256.HashData(stream));
        }

        if (cacheFile is not null)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(cacheFile)!);
                string temporary = cacheFile + "." + Environment.ProcessId + ".tmp";
                File.WriteAllText(temporary, hash);
                File.Move(temporary, cacheFile, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A read-only home is no reason to fail a benchmark.
            }
        }

        return hash;
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
