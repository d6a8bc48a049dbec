using System.Reflection;

namespace EdgeLm.Tests.Module;

/// <summary>Where the checkout, the module sources and the assembled module folder (out/EdgeLm) are.</summary>
internal static class ModuleLayout
{
    private static readonly Lazy<string> Root = new(FindRepoRoot);

    /// <summary>The folder holding EdgeLm.sln, found by walking up from the test's base directory.</summary>
    public static string RepoRoot => Root.Value;

    /// <summary>module/ in the checkout: the manifest, loader script, format file and help as written.</summary>
    public static string SourceModuleDir => Path.Combine(RepoRoot, "module");

    /// <summary>out/EdgeLm, which ./build.sh assembles; fails with what to do when it is missing.</summary>
    public static string ModuleDir
    {
        get
        {
            string dir = Path.Combine(RepoRoot, "out", "EdgeLm");
            if (!File.Exists(Path.Combine(dir, "bin", "EdgeLm.Cmdlets.dll")) || !File.Exists(Path.Combine(dir, "bin", "EdgeLm.Loader.dll")))
            {
                throw new InvalidOperationException(
                    $"The module folder {dir} is missing or incomplete (no bin/EdgeLm.Cmdlets.dll or bin/EdgeLm.Loader.dll). " +
                    "Run ./build.sh (or ./build.sh module) first, then run the tests again.");
            }

            return dir;
        }
    }

    public static string BinDir => Path.Combine(ModuleDir, "bin");

    /// <summary>
    /// PowerShellStandard.Library's reference System.Management.Automation.dll from the NuGet package folder
    /// (NUGET_PACKAGES, else ~/.nuget/packages): the cmdlets compile against it.
    /// </summary>
    public static string SmaReferencePath
    {
        get
        {
            string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } fromEnvironment
                ? fromEnvironment
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            string path = Path.Combine(packages, "powershellstandard.library", "5.1.0-preview-06", "lib", "netstandard2.0",
                "System.Management.Automation.dll");
            if (!File.Exists(path))
            {
                throw new InvalidOperationException(
                    $"{path} is missing; restore the solution (dotnet restore EdgeLm.sln) so PowerShellStandard.Library is in the NuGet cache.");
            }

            return path;
        }
    }

    /// <summary>
    /// A metadata-only view of the shipped assemblies (bin/), the SMA reference assembly and the running
    /// framework: types are inspected, nothing runs, so System.Management.Automation need not be loadable.
    /// </summary>
    public static MetadataLoadContext OpenMetadata()
    {
        string frameworkDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string file in Directory.EnumerateFiles(frameworkDir, "*.dll"))
        {
            paths[Path.GetFileNameWithoutExtension(file)] = file;
        }

        foreach (string file in Directory.EnumerateFiles(BinDir, "*.dll"))
        {
            paths[Path.GetFileNameWithoutExtension(file)] = file;
        }

        paths["System.Management.Automation"] = SmaReferencePath;
        return new MetadataLoadContext(new PathAssemblyResolver(paths.Values), "System.Runtime");
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeLm.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No EdgeLm.sln above {AppContext.BaseDirectory}; run the tests from a checkout.");
    }
}
