using System.Management.Automation;
using EdgeLm.Core;
using EdgeLm.Core.Worker;
using EdgeLm.Core.Host;

namespace EdgeLm.Cmdlets;

/// <summary>
/// Chooses how the module starts its worker: `dotnet bin/edgelm.dll worker` where a dotnet host exists, else
/// a pwsh hosting the loader (pwsh installed from Microsoft's packages brings its own runtime and
/// often no dotnet). EDGELM_WORKER_HOST=dotnet or pwsh forces one, for tests on boards; a forced host that
/// cannot be found is an error, never a silent fall back to the other.
/// </summary>
internal static class WorkerHost
{
    public const string Variable = "EDGELM_WORKER_HOST";

    public static WorkerLaunch? Find()
    {
        string? forced = Environment.GetEnvironmentVariable(Variable);
        bool forcePwsh = string.Equals(forced, "pwsh", StringComparison.OrdinalIgnoreCase);
        if (!forcePwsh)
        {
            string cli = Path.Combine(BinFolder(), "edgelm.dll");
            WorkerLaunch? dotnet = File.Exists(cli) ? WorkerLaunch.Dotnet(cli) : null;
            if (dotnet is not null || string.Equals(forced, "dotnet", StringComparison.OrdinalIgnoreCase))
            {
                return dotnet;
            }
        }

        return Pwsh() ?? (forcePwsh
            ? throw new EdgeLmException("WorkerNotFound", $"{Variable}=pwsh, but neither this process nor $PSHOME ({PSHome()}) is a pwsh executable, or bin/EdgeLm.Loader.dll is missing; unset {Variable} to use dotnet")
            : null);
    }

    /// <summary>
    /// This process when it is pwsh (Microsoft's packages), else the pwsh apphost in $PSHOME (a dotnet tool
    /// install runs as `dotnet pwsh.dll`, with the apphost beside it), hosting the loader's worker entry point.
    /// </summary>
    private static WorkerLaunch? Pwsh()
    {
        string loader = Path.Combine(BinFolder(), "EdgeLm.Loader.dll");
        string? pwsh = PwshPath();
        if (pwsh is null || !File.Exists(loader))
        {
            return null;
        }

        string script = $"Add-Type -Path '{loader.Replace("'", "''")}'; exit [EdgeLm.Loader.LoadContext]::RunWorker()";
        return new WorkerLaunch(pwsh, new[] { "-NoLogo", "-NoProfile", "-NonInteractive", "-Command", script });
    }

    /// <summary>This process when it is pwsh, else the pwsh apphost in $PSHOME; null when neither is there.</summary>
    public static string? PwshPath()
    {
        string? current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current).StartsWith("pwsh", StringComparison.OrdinalIgnoreCase)
            ? current
            : new[] { Path.Combine(PSHome(), "pwsh") }.FirstOrDefault(File.Exists);
    }

    // The module's bin folder: the cmdlets, Core, the loader and the CLI assembly that serves as the worker.
    private static string BinFolder() => Path.GetDirectoryName(typeof(WorkerHost).Assembly.Location) ?? ".";

    private static string PSHome() => Path.GetDirectoryName(typeof(PSObject).Assembly.Location) ?? string.Empty;
}
