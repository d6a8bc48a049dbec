using System.Reflection;
using System.Runtime.Loader;
using Xunit;

namespace EdgeLm.Tests.Module;

/// <summary>
/// Loads out/EdgeLm/bin/EdgeLm.Loader.dll into this process's default context, as EdgeLm.psm1's Add-Type does,
/// and calls its entry point: one private context per process, so every test here shares it.
/// </summary>
public sealed class LoaderFixture
{
    public LoaderFixture()
    {
        // This test process's default context has a YamlDotNet of its own (EdgeLm.Core's dependency, through
        // the test project): load it before the module's, as another module would have in a real shell.
        DefaultYaml = typeof(YamlDotNet.Serialization.Deserializer).Assembly;

        LoaderAssembly = Assembly.LoadFrom(Path.Combine(ModuleLayout.BinDir, "EdgeLm.Loader.dll"));
        LoaderType = LoaderAssembly.GetType("EdgeLm.Loader.LoadContext", throwOnError: true)!;
        Initialize = LoaderType.GetMethod("Initialize", BindingFlags.Public | BindingFlags.Static, Type.EmptyTypes)!;
        Cmdlets = (Assembly)Initialize.Invoke(null, null)!;
        Context = AssemblyLoadContext.GetLoadContext(Cmdlets)!;
    }

    public Assembly DefaultYaml { get; }
    public Assembly LoaderAssembly { get; }
    public Type LoaderType { get; }
    public MethodInfo Initialize { get; }
    public Assembly Cmdlets { get; }
    public AssemblyLoadContext Context { get; }

    public Assembly Private(string name) => Context.LoadFromAssemblyName(new AssemblyName(name));
}

public sealed class LoaderTests : IClassFixture<LoaderFixture>
{
    private readonly LoaderFixture _loader;

    public LoaderTests(LoaderFixture loader)
    {
        _loader = loader;
    }

    [Fact]
    public void WorkerEntryPointNamedByTheLoaderIsCoresWorkerServer()
    {
        string type = (string)_loader.LoaderType.GetField("WorkerEntryType", BindingFlags.NonPublic | BindingFlags.Static)!.GetRawConstantValue()!;
        string method = (string)_loader.LoaderType.GetField("WorkerEntryMethod", BindingFlags.NonPublic | BindingFlags.Static)!.GetRawConstantValue()!;

        Assert.Equal(typeof(EdgeLm.Core.Worker.WorkerServer).FullName, type);
        MethodInfo serve = typeof(EdgeLm.Core.Worker.WorkerServer).GetMethod(method, BindingFlags.Public | BindingFlags.Static)!;
        Assert.Equal(typeof(int), serve.ReturnType);
        Assert.Equal(new[] { typeof(string) }, serve.GetParameters().Select(p => p.ParameterType));
    }

    [Fact]
    public void LoaderItselfLivesInTheDefaultContext()
    {
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(_loader.LoaderAssembly));
        Assert.Equal(Path.Combine(ModuleLayout.BinDir, "EdgeLm.Loader.dll"), _loader.LoaderAssembly.Location);
    }

    [Fact]
    public void CmdletsLoadFromBinIntoThePrivateContext()
    {
        Assert.Equal("EdgeLm.Cmdlets", _loader.Cmdlets.GetName().Name);
        Assert.Equal(Path.Combine(ModuleLayout.BinDir, "EdgeLm.Cmdlets.dll"), _loader.Cmdlets.Location);
        Assert.NotSame(AssemblyLoadContext.Default, _loader.Context);
        Assert.Equal("EdgeLm", _loader.Context.Name);
        Assert.IsAssignableFrom(_loader.LoaderType, _loader.Context);
    }

    [Fact]
    public void InitializeIsIdempotentForReimport()
    {
        // Import-Module -Force runs the psm1 again: it must get the same assembly, not a second context.
        Assert.Same(_loader.Cmdlets, _loader.Initialize.Invoke(null, null));
        Assert.Same(_loader.Context, _loader.LoaderType.GetProperty("Instance")!.GetValue(null));
    }

    [Fact]
    public void CoreResolvesPrivatelyFromBin()
    {
        AssemblyName coreReference = _loader.Cmdlets.GetReferencedAssemblies().Single(r => r.Name == "EdgeLm.Core");
        Assembly core = _loader.Context.LoadFromAssemblyName(coreReference);

        Assert.Same(_loader.Context, AssemblyLoadContext.GetLoadContext(core));
        Assert.Equal(Path.Combine(ModuleLayout.BinDir, "EdgeLm.Core.dll"), core.Location);
        // The test project's own EdgeLm.Core (default context) is a different assembly object.
        Assert.NotSame(typeof(EdgeLm.ModelInfo).Assembly, core);
    }

    [Fact]
    public void YamlDotNetIsPrivateBesideTheDefaultContextsCopy()
    {
        Assembly core = _loader.Private("EdgeLm.Core");

        // Core reads its embedded shape catalog with YamlDotNet: running it loads YamlDotNet into the private context.
        Type shapes = core.GetType("EdgeLm.Core.Models.SyntheticShapes", throwOnError: true)!;
        var names = (IEnumerable<string>)shapes.GetProperty("Names")!.GetValue(null)!;
        Assert.Contains("tiny", names);

        AssemblyName yamlReference = core.GetReferencedAssemblies().Single(r => r.Name == "YamlDotNet");
        Assembly privateYaml = _loader.Context.Assemblies.Single(a => a.GetName().Name == "YamlDotNet");
        Assert.Same(privateYaml, _loader.Context.LoadFromAssemblyName(yamlReference));
        Assert.Equal(Path.Combine(ModuleLayout.BinDir, "YamlDotNet.dll"), privateYaml.Location);
        Assert.Equal(16, privateYaml.GetName().Version!.Major);

        // Same name in both contexts, two assemblies: the private context never falls back to the default one's.
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(_loader.DefaultYaml));
        Assert.NotSame(privateYaml, _loader.DefaultYaml);
        Assert.NotEqual(_loader.DefaultYaml.Location, privateYaml.Location);
    }

    [Fact]
    public void FrameworkAssembliesComeFromTheDefaultContext()
    {
        Assembly runtime = _loader.Private("System.Runtime");
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(runtime));
        // System.Management.Automation is PowerShell's to provide: the private context never looks in bin/ for it and
        // gets the default context's, as in pwsh (this process has the PowerShell SDK's, through the test project).
        Assert.False(File.Exists(Path.Combine(ModuleLayout.BinDir, "System.Management.Automation.dll")));
        Assembly sma = _loader.Private("System.Management.Automation");
        Assert.Same(typeof(System.Management.Automation.PSObject).Assembly, sma);
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(sma));
    }

    [Fact]
    public void NativeSearchFollowsCoresRules()
    {
        var search = (Func<string, string?, IReadOnlyList<string>>)Delegate.CreateDelegate(
            typeof(Func<string, string?, IReadOnlyList<string>>), _loader.LoaderType.GetMethod("SearchDirectories")!);
        string rid = (string)_loader.LoaderType.GetProperty("RuntimeIdentifier")!.GetValue(null)!;
        string bin = ModuleLayout.BinDir;

        Assert.Equal(EdgeLm.Core.Native.LlamaRuntime.RuntimeIdentifier, rid);
        Assert.Equal(
            new[] { Path.Combine(bin, "runtimes", rid, "native"), Path.Combine(ModuleLayout.ModuleDir, "runtimes", rid, "native") },
            search(bin, null));
        // EDGELM_LLAMA_DIR, when set, is the only place looked: no silent fallback to the bundled copy.
        Assert.Equal(new[] { "/opt/llama/bin" }, search(bin, "/opt/llama/bin"));
    }

    [Fact]
    public void FindLibraryPrefersThePlainNameThenTheShortestVersionedOne()
    {
        var find = (Func<string, string, string?>)Delegate.CreateDelegate(
            typeof(Func<string, string, string?>), _loader.LoaderType.GetMethod("FindLibrary")!);
        string dir = Directory.CreateTempSubdirectory("edgelm-loader-").FullName;
        try
        {
            Assert.Null(find(dir, "llama"));
            Assert.Null(find(Path.Combine(dir, "absent"), "llama"));
            File.WriteAllBytes(Path.Combine(dir, "libllama.so.0.5.0"), Array.Empty<byte>());
            File.WriteAllBytes(Path.Combine(dir, "libllama.so.0"), Array.Empty<byte>());
            File.WriteAllBytes(Path.Combine(dir, "libggml-base.so"), Array.Empty<byte>());
            Assert.Equal(Path.Combine(dir, "libllama.so.0"), find(dir, "llama"));
            Assert.Null(find(dir, "ggml"));
            File.WriteAllBytes(Path.Combine(dir, "libllama.so"), Array.Empty<byte>());
            Assert.Equal(Path.Combine(dir, "libllama.so"), find(dir, "llama"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void FindsTheBundledLlamaOfThisArchitecture()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("EDGELM_LLAMA_DIR")))
        {
            return; // the user's folder decides; covered by NativeSearchFollowsCoresRules
        }

        string rid = (string)_loader.LoaderType.GetProperty("RuntimeIdentifier")!.GetValue(null)!;
        string native = Path.Combine(ModuleLayout.ModuleDir, "runtimes", rid, "native");
        Assert.True(Directory.Exists(native) && Directory.EnumerateFiles(native, "libllama*.so*").Any(),
            $"no llama.cpp in {native}; ./build.sh places it there (./build.sh natives)");

        var findNative = (Func<string, string?>)Delegate.CreateDelegate(
            typeof(Func<string, string?>), _loader.Context, _loader.LoaderType.GetMethod("FindNativeLibrary")!);
        string? llama = findNative("llama");
        Assert.NotNull(llama);
        Assert.Equal(native, Path.GetDirectoryName(llama));
        Assert.StartsWith("libllama", Path.GetFileName(llama));
        Assert.Equal(native, Path.GetDirectoryName(findNative("ggml-base")));
        // Only llama.cpp's names: anything else is left to the runtime. (Loading the libraries is checked in
        // LoaderIsolationProcessTests, in a process of its own: these tests share one with Core's, which load
        // copies of the same libraries from their own folder.)
        Assert.Null(findNative("c"));
        Assert.Null(findNative("ggml-cpu"));
    }

    [Fact]
    public void MissingNativesLeaveResolutionToTheRuntimeWithoutThrowing()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("EDGELM_LLAMA_DIR")))
        {
            return;
        }

        // A module folder without runtimes/: a second context over a copy of bin/ only.
        string root = Directory.CreateTempSubdirectory("edgelm-nonative-").FullName;
        try
        {
            string bin = Directory.CreateDirectory(Path.Combine(root, "bin")).FullName;
            foreach (string dll in Directory.EnumerateFiles(ModuleLayout.BinDir, "*.dll"))
            {
                File.Copy(dll, Path.Combine(bin, Path.GetFileName(dll)));
            }

            ConstructorInfo create = _loader.LoaderType.GetConstructors(BindingFlags.NonPublic | BindingFlags.Instance).Single();
            var context = (AssemblyLoadContext)create.Invoke(new object[] { bin });
            Assert.Equal(Path.Combine(bin, "EdgeLm.Cmdlets.dll"), ((Assembly)_loader.LoaderType.GetProperty("CmdletsAssembly")!.GetValue(context)!).Location);
            Assert.Equal(IntPtr.Zero, LoadUnmanagedDll(context, "llama"));
            Assert.Equal(IntPtr.Zero, LoadUnmanagedDll(context, "ggml-base"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static IntPtr LoadUnmanagedDll(AssemblyLoadContext context, string name) =>
        (IntPtr)typeof(AssemblyLoadContext)
            .GetMethod("LoadUnmanagedDll", BindingFlags.NonPublic | BindingFlags.Instance)!
            .Invoke(context, new object[] { name })!;
}
