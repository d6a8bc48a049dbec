using System.Reflection;
using System.Text.RegularExpressions;
using Xunit;

namespace EdgeLm.Tests.Module;

/// <summary>module/EdgeLm.psd1 and EdgeLm.psm1 against what the build ships.</summary>
public class ManifestTests
{
    private static readonly string[] ExportKeys = { "CmdletsToExport", "FunctionsToExport", "AliasesToExport", "VariablesToExport" };

    private static Dictionary<string, object?> Manifest() =>
        PsDataFile.Read(Path.Combine(ModuleLayout.SourceModuleDir, "EdgeLm.psd1"));

    private static string[] Strings(Dictionary<string, object?> manifest, string key)
    {
        Assert.True(manifest.ContainsKey(key), $"EdgeLm.psd1 has no {key}");
        return manifest[key] switch
        {
            string one => new[] { one },
            List<object?> many => many.Select(item => Assert.IsType<string>(item)).ToArray(),
            var other => throw new Xunit.Sdk.XunitException($"{key} is {other?.GetType().Name ?? "null"}, not a string or an array of strings"),
        };
    }

    [Fact]
    public void DeclaresACoreOnlyScriptRootModuleForPowerShell74()
    {
        Dictionary<string, object?> manifest = Manifest();

        Assert.Equal("EdgeLm.psm1", manifest["RootModule"]);
        Assert.True(File.Exists(Path.Combine(ModuleLayout.SourceModuleDir, "EdgeLm.psm1")), "module/EdgeLm.psm1 is missing");
        Assert.Equal(new[] { "Core" }, Strings(manifest, "CompatiblePSEditions"));
        Assert.Equal("7.4", manifest["PowerShellVersion"]);
        Assert.True(Version.TryParse(Assert.IsType<string>(manifest["ModuleVersion"]), out _), "ModuleVersion is not a version");
        Assert.True(Guid.TryParse(Assert.IsType<string>(manifest["GUID"]), out Guid guid) && guid != Guid.Empty, "GUID is not a fixed GUID");
    }

    [Fact]
    public void ProcessesTheFormatFileThatExists()
    {
        string[] formats = Strings(Manifest(), "FormatsToProcess");

        Assert.Equal(new[] { "EdgeLm.Format.ps1xml" }, formats);
        Assert.True(File.Exists(Path.Combine(ModuleLayout.SourceModuleDir, formats[0])));
    }

    [Fact]
    public void LoadsNothingIntoTheDefaultContext()
    {
        Dictionary<string, object?> manifest = Manifest();

        // Either would load our private assemblies (or YamlDotNet) beside other modules' copies.
        Assert.False(manifest.ContainsKey("RequiredAssemblies"), "RequiredAssemblies loads assemblies into PowerShell's default context");
        Assert.False(manifest.ContainsKey("NestedModules"), "NestedModules would import an assembly outside the private load context");
    }

    [Fact]
    public void ExportsExplicitNamesOnly()
    {
        Dictionary<string, object?> manifest = Manifest();

        foreach (string key in ExportKeys)
        {
            string[] names = Strings(manifest, key);
            Assert.DoesNotContain(names, name => name.IndexOfAny(new[] { '*', '?', '[' }) >= 0);
        }

        Assert.Empty(Strings(manifest, "FunctionsToExport"));
        Assert.Empty(Strings(manifest, "AliasesToExport"));
        Assert.Empty(Strings(manifest, "VariablesToExport"));
    }

    [Fact]
    public void CmdletsToExportAreExactlyTheCmdletClasses()
    {
        string[] exported = Strings(Manifest(), "CmdletsToExport");
        using MetadataLoadContext metadata = ModuleLayout.OpenMetadata();
        string[] declared = CmdletMetadata.Read(metadata).Select(c => c.Name).ToArray();

        Assert.NotEmpty(declared);
        Assert.Equal(exported.Length, exported.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(declared.OrderBy(n => n, StringComparer.Ordinal), exported.OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public void RootModuleLoadsTheShippedLoaderAndCallsItsEntryPoint()
    {
        string psm1 = File.ReadAllText(Path.Combine(ModuleLayout.SourceModuleDir, "EdgeLm.psm1"));
        Match typeName = Regex.Match(psm1, @"\$loaderTypeName\s*=\s*'([^']+)'");
        Assert.True(typeName.Success, "EdgeLm.psm1 no longer names the loader type in $loaderTypeName");
        Match dll = Regex.Match(psm1, @"Add-Type -Path \(\[Path\]::Combine\(\$PSScriptRoot, 'bin', '([^']+)'\)\)");
        Assert.True(dll.Success, "EdgeLm.psm1 no longer loads the loader from bin/");
        Assert.Contains("::Initialize()", psm1);
        Assert.Contains("-Assembly", psm1);
        Assert.Contains("AddExportedCmdlet", psm1); // PowerShell issue 20710: re-import with -Force

        string loaderPath = Path.Combine(ModuleLayout.BinDir, dll.Groups[1].Value);
        Assert.True(File.Exists(loaderPath), $"{loaderPath} is not in the module folder");
        using MetadataLoadContext metadata = ModuleLayout.OpenMetadata();
        Type? loader = metadata.LoadFromAssemblyPath(loaderPath).GetType(typeName.Groups[1].Value);
        Assert.NotNull(loader);
        MethodInfo? initialize = loader!.GetMethod("Initialize", BindingFlags.Public | BindingFlags.Static, Type.EmptyTypes);
        Assert.NotNull(initialize);
        Assert.Equal("System.Reflection.Assembly", initialize!.ReturnType.FullName);
    }

    [Fact]
    public void ModuleFolderHoldsWhatTheManifestNeedsAndNoPowerShellCopy()
    {
        string dir = ModuleLayout.ModuleDir;
        foreach (string file in new[] { "EdgeLm.psd1", "EdgeLm.psm1", "EdgeLm.Format.ps1xml" })
        {
            Assert.True(File.Exists(Path.Combine(dir, file)), $"{file} is not in {dir}");
            Assert.Equal(File.ReadAllText(Path.Combine(ModuleLayout.SourceModuleDir, file)), File.ReadAllText(Path.Combine(dir, file)));
        }

        foreach (string dll in new[] { "EdgeLm.Loader.dll", "EdgeLm.Cmdlets.dll", "EdgeLm.Core.dll", "YamlDotNet.dll" })
        {
            Assert.True(File.Exists(Path.Combine(ModuleLayout.BinDir, dll)), $"bin/{dll} is missing");
        }

        // PowerShell provides SMA; a copy in bin/ would be a second, incompatible identity.
        Assert.False(File.Exists(Path.Combine(ModuleLayout.BinDir, "System.Management.Automation.dll")));
    }
}
