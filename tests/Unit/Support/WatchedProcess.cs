using System.Diagnostics;
using System.Globalization;

namespace EdgeLm.Tests.Support;

/// <summary>What a watched program did: its exit, its output, its peak resident memory, whether it had to be killed.</summary>
public sealed record WatchedRun(int Exit, string Out, string Err, long PeakRssBytes, bool Killed);

/// <summary>
/// Runs a program and watches it the way a user would notice trouble: a hang (killed after a generous limit, far
/// beyond any honest run, so a busy machine never trips it) and memory growth (VmHWM, the kernel's own peak).
/// </summary>
public static class WatchedProcess
{
    public static WatchedRun Run(string program, IEnumerable<string> args, TimeSpan hangLimit, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        // No input: a program that waits for a keyboard must see end of input, not hang the test.
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        long peak = 0;
        var clock = Stopwatch.StartNew();
        bool killed = false;
        while (!process.WaitForExit(20))
        {
            peak = Math.Max(peak, TreeRss(process.Id));
            if (clock.Elapsed > hangLimit)
            {
                process.Kill(entireProcessTree: true);
                killed = true;
                process.WaitForExit();
                break;
            }
        }

        process.WaitForExit();
        return new WatchedRun(process.ExitCode, stdout.Result, stderr.Result, peak, killed);
    }

    /// <summary>The edgelm CLI built beside the tests, as its own watched process.</summary>
    public static WatchedRun Edgelm(TimeSpan hangLimit, params string[] args) =>
        Run("dotnet", args.Prepend(Path.Combine(AppContext.BaseDirectory, "edgelm.dll")), hangLimit);

    /// <summary>
    /// The process's own peak (VmHWM) or, when more, the resident memory of it and its children together (a worker
    /// that balloons is the user's memory as much as the CLI's).
    /// </summary>
    private static long TreeRss(int pid)
    {
        long own = Field(pid, "VmHWM:");
        long tree = 0;
        var pending = new Stack<int>(new[] { pid });
        while (pending.Count > 0)
        {
            int next = pending.Pop();
            tree += Field(next, "VmRSS:");
            foreach (int child in Children(next))
            {
                pending.Push(child);
            }
        }

        return Math.Max(own, tree);
    }

    private static IEnumerable<int> Children(int pid)
    {
        try
        {
            return Directory.GetDirectories($"/proc/{pid}/task")
                .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Select(id => int.Parse(id, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Array.Empty<int>();
        }
    }

    private static long Field(int pid, string name)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(name, StringComparison.Ordinal))
                {
                    string kb = line[name.Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Exited between the listing and the read.
        }

        return 0;
    }
}
