namespace EdgeLm.Core;

/// <summary>EdgeLm's cache folder (model hashes, measured bandwidth): $EDGELM_CACHE_DIR, $XDG_CACHE_HOME/edgelm, else ~/.cache/edgelm.</summary>
internal static class CacheFolder
{
    /// <summary>The folder, or null when there is no home to put it in.</summary>
    public static string? Path()
    {
        string? explicitFolder = Environment.GetEnvironmentVariable("EDGELM_CACHE_DIR");
        if (!string.IsNullOrEmpty(explicitFolder))
        {
            return explicitFolder;
        }

        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg))
        {
            return System.IO.Path.Combine(xdg, "edgelm");
        }

        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home) ? null : System.IO.Path.Combine(home, ".cache", "edgelm");
    }

    /// <summary>
    /// Creates <paramref name="folder"/> (where <paramref name="what"/> go), or says which folder could not be made and
    /// how to choose another (<paramref name="fix"/>), instead of .NET's "Could not find a part of the path".
    /// </summary>
    public static string Create(string folder, string what, string fix)
    {
        try
        {
            Directory.CreateDirectory(folder);
            return folder;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EdgeLmException("CacheUnwritable", $"{what} go to {folder}, which cannot be created ({e.Message.TrimEnd('.')}); {fix}");
        }
    }
}
