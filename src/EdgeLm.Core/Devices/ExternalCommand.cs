using System.Diagnostics;

namespace EdgeLm.Core.Devices;

/// <summary>
/// Board tools (nvidia-smi, vcgencmd, nvpmodel) found on a PATH and run with a timeout. A tool that is absent
/// is normal (null, no warning); one that fails or hangs gives null and a warning.
/// </summary>
internal sealed class ExternalCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private readonly string _searchPath;

    /// <param name="searchPath">Folders to look in, ':'-separated; null = this process's PATH.</param>
    public ExternalCommand(string? searchPath = null)
    {
        _searchPath = searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
    }

    public string? Find(string program) =>
        _searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries).Select(folder => Path.Combine(folder, program)).FirstOrDefault(File.Exists);

    /// <summary>The program's stdout, or null when it is not on the path or fails (then <paramref name="root"/> gets a warning).</summary>
    public string? Run(string program, IEnumerable<string> arguments, ProbeRoot root)
    {
        string? path = Find(program);
        if (path is null)
        {
            return null;
        }

        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using Process process = Process.Start(start)!;
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                root.Warn($"{program}: no answer within {Timeout.TotalSeconds:0} s");
                return null;
            }

            if (process.ExitCode != 0)
            {
                root.Warn($"{program} exited with code {process.ExitCode}: {error.Result.Trim()}");
                return null;
            }

            return output.Result;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            root.Warn($"{program}: {e.Message}");
            return null;
        }
    }
}
