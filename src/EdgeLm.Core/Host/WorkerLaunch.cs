using EdgeLm.Core.Engine;
using EdgeLm.Core.Worker;
namespace EdgeLm.Core.Host;

/// <summary>
/// How to start a worker: a program and the arguments before the worker's own. The worker is the edgelm CLI's
/// `worker` command, run by the dotnet host, by the CLI's own executable, or by pwsh hosting the module
/// (on boards where pwsh brings its own runtime and there is no dotnet). Each front end says which, since it
/// knows where it was installed; Core does not look for the CLI.
/// </summary>
public sealed record WorkerLaunch(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>
    /// A command the worker is started under, words split on spaces: `qemu-aarch64-static -L /usr/aarch64-linux-gnu`
    /// to run an arm64 release on an x64 machine (a foreign executable cannot start its own worker without binfmt),
    /// or `taskset -c 2,3` to pin the worker. Read by every front end, since all start their worker through Core.
    /// </summary>
    internal const string PrefixVariable = "EDGELM_WORKER_PREFIX";

    /// <summary>This launch run by <paramref name="prefix"/>'s program (its words first); unchanged when the prefix is blank.</summary>
    internal WorkerLaunch Under(string? prefix)
    {
        string[] words = (prefix ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return words.Length == 0 ? this : new WorkerLaunch(words[0], words.Skip(1).Append(FileName).Concat(Arguments).ToArray());
    }

    /// <summary>`dotnet CLI-ASSEMBLY worker`, or null when no dotnet host can be found. The front end names its CLI assembly.</summary>
    public static WorkerLaunch? Dotnet(string cliAssembly)
    {
        string? dotnet = FindDotnet();
        return dotnet is null ? null : new WorkerLaunch(dotnet, new[] { cliAssembly, "worker" });
    }

    /// <summary>The dotnet host: the one running us, DOTNET_HOST_PATH, DOTNET_ROOT, PATH, then the usual install folders.</summary>
    public static string? FindDotnet()
    {
        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileName(current) == "dotnet")
        {
            return current;
        }

        var candidates = new List<string?> { Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") };
        string? root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrEmpty(root))
        {
            candidates.Add(Path.Combine(root, "dotnet"));
        }

        foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            candidates.Add(Path.Combine(folder, "dotnet"));
        }

        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        candidates.AddRange(new[] { "/usr/share/dotnet/dotnet", "/usr/lib/dotnet/dotnet", "/opt/dotnet/dotnet", Path.Combine(home, ".dotnet", "dotnet") });
        return candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(c));
    }
}
