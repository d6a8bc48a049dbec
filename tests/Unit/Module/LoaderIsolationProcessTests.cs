using System.Diagnostics;
using Xunit;

namespace EdgeLm.Tests.Module;

/// <summary>
/// The scenario the private context exists for, in a fresh process: another module has already put an older
/// YamlDotNet (13.7.1) into the default context when EdgeLm loads. This test process cannot host that (its
/// default context already has EdgeLm.Core's YamlDotNet 16), so an F# script run by the SDK's `dotnet fsi`
/// plays the shell: `#r "nuget: YamlDotNet, 13.7.1"` loads 13.7.1 into its default context, then the script
/// does what EdgeLm.psm1 does (load bin/EdgeLm.Loader.dll, call Initialize) and reports what got loaded where.
/// </summary>
public class LoaderIsolationProcessTests
{
    private const string Script = """
        #r "nuget: YamlDotNet, 13.7.1"
        open System
        open System.Reflection
        open System.Runtime.Loader

        let bin = fsi.CommandLineArgs.[1]
        let contextOf (a: Assembly) = AssemblyLoadContext.GetLoadContext(a).Name
        let other = typeof<YamlDotNet.Serialization.Deserializer>.Assembly
        printfn "default.yaml.version=%O" (other.GetName().Version)
        printfn "default.yaml.context=%s" (contextOf other)

        let loader = Assembly.LoadFrom(IO.Path.Combine(bin, "EdgeLm.Loader.dll"))
        let initialize = loader.GetType("EdgeLm.Loader.LoadContext").GetMethod("Initialize", Type.EmptyTypes)
        let cmdlets = initialize.Invoke(null, [||]) :?> Assembly
        let context = AssemblyLoadContext.GetLoadContext(cmdlets)
        printfn "cmdlets.context=%s" context.Name
        printfn "cmdlets.location=%s" cmdlets.Location
        printfn "loader.context=%s" (contextOf loader)

        let core = context.LoadFromAssemblyName(AssemblyName("EdgeLm.Core"))
        printfn "core.context=%s" (contextOf core)
        // Core reads its embedded shape catalog with YamlDotNet: this runs YamlDotNet in the private context.
        let names = core.GetType("EdgeLm.Core.Models.SyntheticShapes").GetProperty("Names").GetValue(null) :?> Collections.Generic.IEnumerable<string>
        printfn "shapes=%s" (String.Join(",", names))

        let reference = core.GetReferencedAssemblies() |> Array.find (fun r -> r.Name = "YamlDotNet")
        let resolved = context.LoadFromAssemblyName(reference)
        printfn "core.yaml.reference=%O" reference.Version
        printfn "private.yaml.version=%O" (resolved.GetName().Version)
        printfn "private.yaml.context=%s" (contextOf resolved)
        printfn "private.yaml.location=%s" resolved.Location
        printfn "default.yaml.unchanged=%b" (obj.ReferenceEquals(typeof<YamlDotNet.Serialization.Deserializer>.Assembly, other))
        let yamls = AppDomain.CurrentDomain.GetAssemblies() |> Array.filter (fun a -> a.GetName().Name = "YamlDotNet")
        printfn "yaml.count=%d" yamls.Length

        // What the runtime asks the context for a [LibraryImport("llama")] in EdgeLm.Core before Core's own
        // resolver has a handle: the loader's fallback loads ggml-base, ggml and llama from runtimes/<rid>/native.
        let loadUnmanaged = typeof<AssemblyLoadContext>.GetMethod("LoadUnmanagedDll", BindingFlags.NonPublic ||| BindingFlags.Instance)
        let llama = loadUnmanaged.Invoke(context, [| box "llama" |]) :?> nativeint
        printfn "native.llama.loaded=%b" (llama <> 0n)
        let mutable export = 0n
        printfn "native.llama.version.export=%b" (llama <> 0n && Runtime.InteropServices.NativeLibrary.TryGetExport(llama, "llama_version", &export))
        let ggmlBase = loadUnmanaged.Invoke(context, [| box "ggml-base" |]) :?> nativeint
        printfn "native.ggml-base.same-as-llama=%b" (ggmlBase = llama)
        let libc = loadUnmanaged.Invoke(context, [| box "libc" |]) :?> nativeint
        printfn "native.other.loaded=%b" (libc <> 0n)
        let maps = IO.File.ReadAllLines("/proc/self/maps") |> Array.filter (fun l -> l.Contains("libggml-base")) |> Array.map (fun l -> l.Substring(l.IndexOf('/')))
        printfn "native.ggml-base.path=%s" (String.Join(";", Array.distinct maps))
        """;

    // One script run serves every test here (a few seconds of F# start-up and package resolution).
    private static readonly Lazy<Dictionary<string, string>> Facts = new(() => RunScript(ModuleLayout.BinDir));

    [Fact]
    public void PrivateYamlDotNet16LoadsBesideAnotherModulesYamlDotNet13InTheDefaultContext()
    {
        string bin = ModuleLayout.BinDir;
        Dictionary<string, string> facts = Facts.Value;

        Assert.Equal("13.0.0.0", facts["default.yaml.version"]);
        Assert.Equal("Default", facts["default.yaml.context"]);
        Assert.Equal("Default", facts["loader.context"]);
        Assert.Equal("EdgeLm", facts["cmdlets.context"]);
        Assert.Equal(Path.Combine(bin, "EdgeLm.Cmdlets.dll"), facts["cmdlets.location"]);
        Assert.Equal("EdgeLm", facts["core.context"]);
        Assert.Contains("tiny", facts["shapes"].Split(','));

        // Core's reference (16.x) resolves to the private copy from bin/, not to the default context's 13.x.
        Assert.StartsWith("16.", facts["core.yaml.reference"]);
        Assert.Equal(facts["core.yaml.reference"], facts["private.yaml.version"]);
        Assert.NotEqual(facts["default.yaml.version"], facts["private.yaml.version"]);
        Assert.Equal("EdgeLm", facts["private.yaml.context"]);
        Assert.Equal(Path.Combine(bin, "YamlDotNet.dll"), facts["private.yaml.location"]);
        Assert.Equal("true", facts["default.yaml.unchanged"]);
        Assert.Equal("2", facts["yaml.count"]);
    }

    [Fact]
    public void FallbackResolverLoadsTheBundledLlamaWithItsDependencies()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("EDGELM_LLAMA_DIR")))
        {
            return; // the user's folder decides what loads; LoaderTests covers the search order
        }

        Dictionary<string, string> facts = Facts.Value;
        string native = Path.Combine(ModuleLayout.ModuleDir, "runtimes", EdgeLm.Core.Native.LlamaRuntime.RuntimeIdentifier, "native");

        Assert.Equal("true", facts["native.llama.loaded"]);
        Assert.Equal("true", facts["native.llama.version.export"]);
        Assert.Equal("false", facts["native.other.loaded"]);
        // As EdgeLm.Core's resolver: every llama.cpp name gets libllama's handle (dlsym searches its dependencies).
        Assert.Equal("true", facts["native.ggml-base.same-as-llama"]);
        // libllama's dependencies came from the same folder, preloaded by full path.
        Assert.Equal(Path.Combine(native, "libggml-base.so"), facts["native.ggml-base.path"]);
    }

    private static Dictionary<string, string> RunScript(string bin)
    {
        string dir = Directory.CreateTempSubdirectory("edgelm-isolation-").FullName;
        try
        {
            string script = Path.Combine(dir, "isolation.fsx");
            File.WriteAllText(script, Script);
            var start = new ProcessStartInfo(DotnetHost())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = dir,
            };
            foreach (string argument in new[] { "fsi", "--nologo", script, bin })
            {
                start.ArgumentList.Add(argument);
            }

            // The test host's MSBuild settings would steer fsi's own package restore; it needs none of them.
            foreach (string variable in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly" })
            {
                start.Environment.Remove(variable);
            }

            using Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet fsi");
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("dotnet fsi did not finish within 3 minutes");
            }

            string output = stdout.GetAwaiter().GetResult();
            string errors = stderr.GetAwaiter().GetResult();
            Assert.True(process.ExitCode == 0,
                $"dotnet fsi exited with {process.ExitCode} (it needs the .NET SDK's F# and YamlDotNet 13.7.1 from NuGet or its cache):\n{output}\n{errors}");

            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => line.Split('=', 2))
                .Where(parts => parts.Length == 2)
                .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // The dotnet that runs the tests (dotnet test sets DOTNET_HOST_PATH), else the one on PATH.
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
