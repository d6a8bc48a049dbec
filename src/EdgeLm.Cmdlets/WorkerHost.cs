using EdgeLm.Core.Inference.Worker;

namespace EdgeLm.Cmdlets;

/// <summary>
/// Chooses how the module starts its worker: `dotnet bin/edgelm.dll worker` where a dotnet host exists, else
/// this pwsh itself hosting the loader (pwsh installed from Microsoft's packages brings its own runtime and
/// often no dotnet). EDGELM_WORKER_HOST=dotnet or pwsh forces one, for tests on boards.
/// </summary>
internal static class WorkerHost
{
    public const string Variable = "EDGELM_WORKER_HOST";

    public static WorkerLaunch? Find()
    {
        string? forced = Environment.GetEnvironmentVariable(Variable);
        if (!string.Equals(forced, "pwsh", StringComparison.OrdinalIgnoreCase))
        {
            WorkerLaunch? dotnet = WorkerLaunch.Dotnet();
            if (dotnet is not null || string.Equals(forced, "dotnet", StringComparison.OrdinalIgnoreCase))
            {
                return dotnet;
            }
        }

        return Pwsh();
    }

    private static WorkerLaunch? Pwsh()
    {
        string? pwsh = Environment.ProcessPath;
        string loader = Path.Combine(Path.GetDirectoryName(typeof(WorkerHost).Assembly.Location) ?? ".", "EdgeLm.Loader.dll");
        if (pwsh is null || !Path.GetFileNameWithoutExtension(pwsh).StartsWith("pwsh", StringComparison.OrdinalIgnoreCase) || !File.Exists(loader))
        {
            return null;
        }

        string script = $"Add-Type -Path '{loader.Replace("'", "''")}'; exit [EdgeLm.Loader.LoadContext]::RunWorker()";
        return new WorkerLaunch(pwsh, new[] { "-NoLogo", "-NoProfile", "-NonInteractive", "-Command", script });
    }
}
