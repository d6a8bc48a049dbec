using System.Diagnostics;

namespace EdgeLm.Tests.Support;

/// <summary>Runs a program to completion and returns what it said.</summary>
public static class ProcessRunner
{
    public static (int Exit, string Out, string Err) Run(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr);
    }

    /// <summary>The edgelm CLI in this process (EdgeLm.Cli.Program.Run), with what it wrote to stdout and stderr.</summary>
    public static (int Exit, string Out, string Err) EdgelmInProcess(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = EdgeLm.Cli.Program.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The edgelm CLI built beside the tests, as its own process.</summary>
    public static (int Exit, string Out, string Err) Edgelm(params string[] args) =>
        Run("dotnet", args.Prepend(Path.Combine(AppContext.BaseDirectory, "edgelm.dll")));
}
