namespace EdgeLm.Tests.Support;

/// <summary>Paths in the checkout the tests run from.</summary>
public static class Repository
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeLm.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no EdgeLm.sln above {AppContext.BaseDirectory}; run the tests from a checkout");
    });

    public static string Root => RootPath.Value;

    /// <summary>A path under the checkout that ./build.sh creates; fails with the fix when it is missing.</summary>
    public static string Built(string relative)
    {
        string path = Path.Combine(Root, relative);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing; run ./build.sh first (it fetches natives and headers and assembles out/EdgeLm)");
        }

        return path;
    }
}
