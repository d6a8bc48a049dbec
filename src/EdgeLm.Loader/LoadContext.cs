using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace EdgeLm.Loader;

/// <summary>
/// The private assembly load context EdgeLm's module runs in. This assembly is the only one of ours that
/// PowerShell loads into its default context (EdgeLm.psm1 does <c>Add-Type -Path bin/EdgeLm.Loader.dll</c>);
/// <see cref="Initialize"/> then loads EdgeLm.Cmdlets, EdgeLm.Core and YamlDotNet from the same bin folder
/// into this context, so EdgeLm imports beside modules that bring another YamlDotNet (powershell-yaml,
/// platyPS). PowerShell's own assemblies and the framework come from the default context, so
/// System.Management.Automation types are shared with the shell.
/// </summary>
public sealed class LoadContext : AssemblyLoadContext
{
    /// <summary>The name of the context, as <c>[AssemblyLoadContext]::GetLoadContext($asm).Name</c> shows it.</summary>
    public const string ContextName = "EdgeLm";

    /// <summary>The assembly whose cmdlets the module exports.</summary>
    public const string CmdletsAssemblyName = "EdgeLm.Cmdlets";

    /// <summary>Same variable as EdgeLm.Core's LlamaRuntime.DirectoryVariable.</summary>
    public const string LlamaDirectoryVariable = "EDGELM_LLAMA_DIR";

    // llama.cpp's logical library names (EdgeLm.Core's [LibraryImport] names), in dependency order.
    private static readonly string[] NativeNames = { "ggml-base", "ggml", "llama" };

    private static readonly object Gate = new();
    private static LoadContext? _instance;

    private readonly Assembly _self = typeof(LoadContext).Assembly;
    private readonly string _selfName;
    private readonly object _nativeGate = new();
    private readonly Dictionary<string, IntPtr> _nativeHandles = new(StringComparer.Ordinal);

    private LoadContext(string binDirectory)
        : base(ContextName, isCollectible: false)
    {
        BinDirectory = binDirectory;
        ModuleRoot = Path.GetDirectoryName(binDirectory) ?? binDirectory;
        _selfName = _self.GetName().Name ?? "EdgeLm.Loader";
        CmdletsAssembly = LoadFromAssemblyPath(Path.Join(binDirectory, CmdletsAssemblyName + ".dll"));
    }

    /// <summary>The folder holding our managed assemblies (the module's bin/).</summary>
    public string BinDirectory { get; }

    /// <summary>The module folder (bin/'s parent), which holds runtimes/&lt;rid&gt;/native.</summary>
    public string ModuleRoot { get; }

    /// <summary>EdgeLm.Cmdlets, loaded in this context.</summary>
    public Assembly CmdletsAssembly { get; }

    /// <summary>The context created by <see cref="Initialize"/>, or null before the first call.</summary>
    public static LoadContext? Instance
    {
        get { lock (Gate) { return _instance; } }
    }

    /// <summary>
    /// The runtime identifier of the bundled natives this process would use; the same mapping as
    /// EdgeLm.Core's LlamaRuntime.RuntimeIdentifier (from the OS architecture).
    /// </summary>
    public static string RuntimeIdentifier => EdgeLm.Native.NativeLibraryFiles.RuntimeIdentifier;

    /// <summary>
    /// Creates the context once per process (from the folder this assembly was loaded from) and returns
    /// the EdgeLm.Cmdlets assembly for <c>Import-Module -Assembly</c>. Later calls, such as a re-import
    /// with -Force, return the same assembly: a context that is not collectible cannot be unloaded.
    /// </summary>
    public static Assembly Initialize()
    {
        lock (Gate)
        {
            if (_instance is null)
            {
                string location = typeof(LoadContext).Assembly.Location;
                if (string.IsNullOrEmpty(location))
                {
                    throw new InvalidOperationException(
                        "EdgeLm.Loader was loaded from memory, not from a file; load it with Add-Type -Path <module>/bin/EdgeLm.Loader.dll.");
                }

                string bin = Path.GetDirectoryName(Path.GetFullPath(location))!;
                string cmdlets = Path.Join(bin, CmdletsAssemblyName + ".dll");
                if (!File.Exists(cmdlets))
                {
                    throw new FileNotFoundException(
                        $"{cmdlets} is missing; the EdgeLm module folder is incomplete. Rebuild it with ./build.sh.", cmdlets);
                }

                _instance = new LoadContext(bin);
            }

            return _instance.CmdletsAssembly;
        }
    }

    /// <summary>
    /// Runs an EdgeLm worker on this process's standard streams (for a pwsh-hosted worker, on boards where pwsh
    /// brings its own runtime and there is no dotnet host): <c>pwsh -c "Add-Type -Path bin/EdgeLm.Loader.dll;
    /// exit [EdgeLm.Loader.LoadContext]::RunWorker()"</c>. Returns the exit code.
    /// </summary>
    // By name: the loader must not reference Core (Core lives in the private context). LoaderTests check that
    // these name Core's real entry point, so a rename fails a test instead of a board's worker.
    internal const string WorkerEntryType = "EdgeLm.Core.Worker.WorkerServer";
    internal const string WorkerEntryMethod = "ServeStandardStreams";

    public static int RunWorker()
    {
        Initialize();
        Assembly core = Instance!.LoadFromAssemblyName(new AssemblyName("EdgeLm.Core"));
        MethodInfo serve = core.GetType(WorkerEntryType, throwOnError: true)!
            .GetMethod(WorkerEntryMethod, BindingFlags.Public | BindingFlags.Static)!;
        return (int)serve.Invoke(null, new object?[] { null })!;
    }

    /// <summary>
    /// The file this context would load for one of llama.cpp's logical names ("llama", "ggml", "ggml-base"),
    /// or null: from EDGELM_LLAMA_DIR when set (and nothing else then), otherwise from
    /// runtimes/&lt;rid&gt;/native beside bin/ or in the module folder, as EdgeLm.Core looks.
    /// </summary>
    public string? FindNativeLibrary(string logicalName)
    {
        if (Array.IndexOf(NativeNames, logicalName) < 0)
        {
            return null;
        }

        foreach (string directory in SearchDirectories(BinDirectory, Environment.GetEnvironmentVariable(LlamaDirectoryVariable)))
        {
            string? file = FindLibrary(directory, logicalName);
            if (file is not null)
            {
                return file;
            }
        }

        return null;
    }

    /// <summary>
    /// The folders searched for llama.cpp's libraries, in order: the user's folder alone when
    /// <paramref name="llamaDirectory"/> (EDGELM_LLAMA_DIR) is set, since EdgeLm.Core never falls back
    /// from it either; otherwise runtimes/&lt;rid&gt;/native in bin/ and in the module folder.
    /// </summary>
    public static IReadOnlyList<string> SearchDirectories(string binDirectory, string? llamaDirectory)
    {
        if (!string.IsNullOrWhiteSpace(llamaDirectory))
        {
            return new[] { Path.GetFullPath(llamaDirectory) };
        }

        string relative = Path.Combine("runtimes", RuntimeIdentifier, "native");
        string moduleRoot = Path.GetDirectoryName(Path.GetFullPath(binDirectory)) ?? binDirectory;
        return new[] { Path.Combine(binDirectory, relative), Path.Combine(moduleRoot, relative) };
    }

    /// <summary>
    /// lib&lt;name&gt;.so in <paramref name="directory"/>, then versioned names (libllama.v0.5.0.so,
    /// libllama.so.0), shortest first: EdgeLm.Core's rule. Null when there is none (or no such folder).
    /// </summary>
    public static string? FindLibrary(string directory, string logicalName) =>
        EdgeLm.Native.NativeLibraryFiles.Find(directory, logicalName);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        string? name = assemblyName.Name;
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        if (string.Equals(name, _selfName, StringComparison.OrdinalIgnoreCase))
        {
            // One copy of the loader: the one PowerShell loaded.
            return _self;
        }

        if (IsShared(name))
        {
            return null;
        }

        string path = Path.Join(BinDirectory, name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    /// <summary>
    /// A fallback only: EdgeLm.Core's DllImportResolver answers first with the libraries LlamaRuntime
    /// loaded. This runs when it has none (before LlamaRuntime.Initialize) and resolves the way it does:
    /// ggml-base, ggml and llama are loaded in that order by full path, and every one of the three names
    /// gets libllama's handle, whose symbol lookup also searches the ggml that libllama is bound to. It never
    /// throws, so a missing native library shows up as Core's own actionable error, never as a failed import.
    /// </summary>
    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        if (Array.IndexOf(NativeNames, LogicalName(unmanagedDllName)) < 0)
        {
            return IntPtr.Zero;
        }

        lock (_nativeGate)
        {
            IntPtr handle = IntPtr.Zero;
            foreach (string name in NativeNames)
            {
                handle = LoadNative(name);
                if (handle == IntPtr.Zero)
                {
                    return IntPtr.Zero;
                }
            }

            return handle;
        }
    }

    private IntPtr LoadNative(string logicalName)
    {
        if (_nativeHandles.TryGetValue(logicalName, out IntPtr handle))
        {
            return handle;
        }

        string? file = FindNativeLibrary(logicalName);
        if (file is null)
        {
            return IntPtr.Zero;
        }

        try
        {
            handle = LoadUnmanagedDllFromPath(file);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or IOException)
        {
            return IntPtr.Zero;
        }

        _nativeHandles[logicalName] = handle;
        return handle;
    }

    // "libllama.so" and "llama" are the same library to us.
    private static string LogicalName(string name)
    {
        string file = Path.GetFileName(name);
        if (file.StartsWith("lib", StringComparison.Ordinal))
        {
            file = file[3..];
        }

        return file.EndsWith(".so", StringComparison.Ordinal) ? file[..^3] : file;
    }

    // Assemblies PowerShell and the runtime provide: shared with the shell so their types keep one identity.
    private static bool IsShared(string name) =>
        name.Equals("System.Management.Automation", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Microsoft.PowerShell.", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Microsoft.Management.Infrastructure", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("System.", StringComparison.OrdinalIgnoreCase)
        || name.Equals("System", StringComparison.OrdinalIgnoreCase)
        || name.Equals("netstandard", StringComparison.OrdinalIgnoreCase)
        || name.Equals("mscorlib", StringComparison.OrdinalIgnoreCase);
}
