using System.Reflection;
using System.Runtime.InteropServices;

namespace EdgeLm.Core.Native;

/// <summary>What was loaded: where from, which version, which backend variant.</summary>
public sealed record LlamaRuntimeInfo(
    string NativeDirectory,
    string LlamaVersion,
    string Backend,
    IReadOnlyList<string> Devices,
    bool SupportsGpuOffload,
    string SystemInfo);

/// <summary>
/// Finds, version-checks and initialises llama.cpp once per process. The libraries come from the user's
/// folder (argument, then EDGELM_LLAMA_DIR) or from the runtimes/&lt;rid&gt;/native folder we ship.
/// </summary>
public static class LlamaRuntime
{
    /// <summary>The llama.cpp release our struct layouts were checked against.</summary>
    public const string SupportedVersion = "0.5.0";

    public const string DirectoryVariable = "EDGELM_LLAMA_DIR";

    private static readonly object Gate = new();
    private static readonly Dictionary<string, IntPtr> Handles = new(StringComparer.Ordinal);
    private static string? _directory;
    private static bool _resolverSet;
    private static LlamaRuntimeInfo? _current;

    /// <summary>The runtime identifier whose bundled libraries this process would use.</summary>
    public static string RuntimeIdentifier => EdgeLm.Native.NativeLibraryFiles.RuntimeIdentifier;

    /// <summary>The loaded runtime, or null before <see cref="Initialize"/> succeeded.</summary>
    public static LlamaRuntimeInfo? Current
    {
        get { lock (Gate) { return _current; } }
    }

    /// <summary>Loads llama.cpp once; later calls return the same runtime (and refuse another folder).</summary>
    public static LlamaRuntimeInfo Initialize(string? nativeDirectory = null)
    {
        lock (Gate)
        {
            string directory = ChooseDirectory(nativeDirectory);
            if (_current is not null)
            {
                if (!SamePath(_current.NativeDirectory, directory))
                {
                    throw new EdgeLmNativeLibraryException("NativeLibraryAlreadyLoaded",
                        $"llama.cpp is already loaded from {_current.NativeDirectory} in this process; " +
                        $"it cannot switch to {directory}. Start a new shell (or process) to use another folder.");
                }

                return _current;
            }

            if (!OperatingSystem.IsLinux())
            {
                throw new EdgeLmNativeLibraryException("UnsupportedPlatform",
                    $"EdgeLm runs llama.cpp on Linux only; this is {RuntimeInformation.OSDescription}.");
            }

            _directory = directory;
            NativeEnvironment.SetDefault(NativeEnvironment.NoBacktrace, "1");
            LoadLibraries(directory);
            string version = CheckVersion(directory);
            if (!_resolverSet)
            {
                NativeLibrary.SetDllImportResolver(typeof(LlamaRuntime).Assembly, Resolve);
                _resolverSet = true;
            }

            LlamaLog.Install();
            // Loads the best CPU variant (and any GPU backend) from our own folder, never from the system.
            NativeMethods.ggml_backend_load_all_from_path(directory);
            NativeMethods.llama_backend_init();
            if (NativeMethods.ggml_backend_dev_count() == 0)
            {
                throw new EdgeLmNativeLibraryException("NoBackend",
                    $"llama.cpp found no usable backend in {directory}: no libggml-cpu-*.so there loads on this CPU. " +
                    "Use the folder of the matching @node-llama-cpp package or of your own llama.cpp " + SupportedVersion + " build.");
            }

            _current = new LlamaRuntimeInfo(
                directory,
                version,
                DescribeBackend(),
                ListDevices(),
                NativeMethods.llama_supports_gpu_offload(),
                Marshal.PtrToStringUTF8(NativeMethods.llama_print_system_info())?.Trim() ?? string.Empty);
            return _current;
        }
    }

    /// <summary>The folder that Initialize would use: argument, environment, or the bundled one.</summary>
    public static string ChooseDirectory(string? nativeDirectory)
    {
        if (!string.IsNullOrWhiteSpace(nativeDirectory))
        {
            return RequireFolder(nativeDirectory, "the native library folder you gave");
        }

        string? fromEnvironment = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return RequireFolder(fromEnvironment, DirectoryVariable);
        }

        string? bundled = FindBundledDirectory();
        if (bundled is null)
        {
            throw new EdgeLmNativeLibraryException("NativeLibraryMissing",
                $"llama.cpp's libraries for {RuntimeIdentifier} are not beside EdgeLm " +
                $"(looked for runtimes/{RuntimeIdentifier}/native next to {AssemblyDirectory()} and its parent). " +
                $"Run ./build.sh to fetch them, or set {DirectoryVariable} to a folder with a llama.cpp {SupportedVersion} build.");
        }

        return bundled;
    }

    /// <summary>runtimes/&lt;rid&gt;/native beside our assembly (CLI, tests) or beside bin/ (module folder).</summary>
    public static string? FindBundledDirectory()
    {
        string here = AssemblyDirectory();
        string relative = Path.Combine("runtimes", RuntimeIdentifier, "native");
        foreach (string root in new[] { here, Path.GetDirectoryName(here) ?? here })
        {
            string candidate = Path.Combine(root, relative);
            if (FindLibrary(candidate, "llama") is not null)
            {
                return Path.GetFullPath(candidate);
            }
        }

        return null;
    }

    internal static IntPtr Handle(string logicalName)
    {
        lock (Gate)
        {
            return Handles.TryGetValue(logicalName, out IntPtr handle) ? handle : IntPtr.Zero;
        }
    }

    private static string AssemblyDirectory()
    {
        string location = typeof(LlamaRuntime).Assembly.Location;
        return string.IsNullOrEmpty(location) ? AppContext.BaseDirectory : Path.GetDirectoryName(location)!;
    }

    private static string RequireFolder(string path, string source)
    {
        string full = Path.GetFullPath(path);
        if (!Directory.Exists(full))
        {
            throw new EdgeLmNativeLibraryException("NativeDirectoryMissing",
                $"{full} (from {source}) is not a folder. Point it at the folder that holds libllama and libggml.");
        }

        if (FindLibrary(full, "llama") is null)
        {
            throw new EdgeLmNativeLibraryException("NativeLibraryMissing",
                $"{full} (from {source}) holds no libllama.so. Point it at the folder of a llama.cpp {SupportedVersion} build " +
                "(its build/bin), or unset it to use the libraries EdgeLm ships.");
        }

        return full;
    }

    internal static string? FindLibrary(string directory, string logicalName) =>
        EdgeLm.Native.NativeLibraryFiles.Find(directory, logicalName);

    private static void LoadLibraries(string directory)
    {
        // Dependency order, by full path, so libllama's DT_NEEDED entries bind to these copies rather than
        // to whatever the system's library path holds.
        foreach (string name in new[] { NativeMethods.GgmlBase, NativeMethods.Ggml, NativeMethods.Llama })
        {
            string? file = FindLibrary(directory, name);
            if (file is null)
            {
                throw new EdgeLmNativeLibraryException("NativeLibraryMissing",
                    $"{directory} has libllama but no lib{name}.so; copy the whole bin folder of the llama.cpp build.");
            }

            try
            {
                Handles[name] = NativeLibrary.Load(file);
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
            {
                throw new EdgeLmNativeLibraryException("NativeLibraryLoadFailed",
                    $"{file} could not be loaded: {e.Message}. Is it built for {RuntimeIdentifier}?", e);
            }
        }
    }

    private static unsafe string CheckVersion(string directory)
    {
        if (!NativeLibrary.TryGetExport(Handles[NativeMethods.Llama], "llama_version", out IntPtr export))
        {
            throw new EdgeLmNativeLibraryException("LlamaVersionMismatch",
                $"The llama.cpp in {directory} has no llama_version(), so it is older than {SupportedVersion}; " +
                $"EdgeLm is built for llama.cpp {SupportedVersion}. Use a {SupportedVersion} build or unset {DirectoryVariable}.");
        }

        string version = Marshal.PtrToStringUTF8(((delegate* unmanaged[Cdecl]<IntPtr>)export)()) ?? string.Empty;
        if (!IsSupported(version))
        {
            throw new EdgeLmNativeLibraryException("LlamaVersionMismatch",
                $"The llama.cpp in {directory} is version {version}; EdgeLm is built for llama.cpp {SupportedVersion} and its " +
                $"structs differ between versions. Use a {SupportedVersion} build or unset {DirectoryVariable}.");
        }

        return version;
    }

    /// <summary>Accepts the release and its -dev/-suffixed builds ("0.5.0", "0.5.0-dev"), nothing else.</summary>
    public static bool IsSupported(string version)
    {
        int dash = version.IndexOfAny(new[] { '-', '+', ' ' });
        string core = dash >= 0 ? version[..dash] : version;
        return core == SupportedVersion;
    }

    // Every logical name resolves through libllama's handle: dlsym on it searches libllama and then its
    // dependencies, so we call exactly the ggml that llama.cpp itself is bound to, even when another copy
    // of ggml with the same soname was loaded into this process first.
    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        return libraryName is NativeMethods.Llama or NativeMethods.Ggml or NativeMethods.GgmlBase
            ? Handle(NativeMethods.Llama)
            : IntPtr.Zero;
    }

    private static bool SamePath(string a, string b) =>
        string.Equals(Path.GetFullPath(a).TrimEnd('/'), Path.GetFullPath(b).TrimEnd('/'), StringComparison.Ordinal);

    private static IReadOnlyList<string> ListDevices()
    {
        var devices = new List<string>();
        nuint count = NativeMethods.ggml_backend_dev_count();
        for (nuint i = 0; i < count; i++)
        {
            IntPtr device = NativeMethods.ggml_backend_dev_get(i);
            string name = Marshal.PtrToStringUTF8(NativeMethods.ggml_backend_dev_name(device)) ?? "?";
            string description = Marshal.PtrToStringUTF8(NativeMethods.ggml_backend_dev_description(device)) ?? string.Empty;
            devices.Add(description.Length > 0 ? $"{name} ({description})" : name);
        }

        return devices;
    }

    // "cpu:haswell", plus "+cuda" when a GPU backend loaded. The chosen CPU variant is whichever
    // libggml-cpu-*.so ggml mapped into this process.
    private static string DescribeBackend()
    {
        string cpu = "cpu";
        try
        {
            foreach (string line in File.ReadLines("/proc/self/maps"))
            {
                int at = line.IndexOf("libggml-cpu", StringComparison.Ordinal);
                if (at < 0)
                {
                    continue;
                }

                string file = line[at..];
                string variant = file["libggml-cpu".Length..].TrimStart('-');
                variant = variant.EndsWith(".so", StringComparison.Ordinal) ? variant[..^3] : variant;
                cpu = variant.Length > 0 ? "cpu:" + variant : "cpu";
                break;
            }
        }
        catch (IOException)
        {
            // /proc may be hidden; the plain name still says which backend ran.
        }

        var parts = new List<string> { cpu };
        nuint count = NativeMethods.ggml_backend_dev_count();
        for (nuint i = 0; i < count; i++)
        {
            IntPtr device = NativeMethods.ggml_backend_dev_get(i);
            // GGML_BACKEND_DEVICE_TYPE_GPU = 1, IGPU = 2
            int type = NativeMethods.ggml_backend_dev_type(device);
            if (type is 1 or 2)
            {
                string name = (Marshal.PtrToStringUTF8(NativeMethods.ggml_backend_dev_name(device)) ?? "gpu").ToLowerInvariant();
                parts.Add(new string(name.TakeWhile(char.IsLetter).ToArray()));
            }
        }

        return string.Join('+', parts.Distinct());
    }
}
