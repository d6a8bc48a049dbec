namespace EdgeLm.Tests.Support;

/// <summary>The machine's C compiler, when there is one.</summary>
public static class CCompiler
{
    private static readonly Lazy<string?> Found = new(() =>
    {
        foreach (string? name in new[] { Environment.GetEnvironmentVariable("CC"), "cc", "gcc", "clang" })
        {
            if (string.IsNullOrEmpty(name))
            {
                continue;
            }

            foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                string candidate = System.IO.Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    });

    public static string? Path => Found.Value;

    /// <summary>Runs a program and returns its stdout; throws with its stderr when it fails.</summary>
    public static string Run(string program, params string[] args)
    {
        var (exit, stdout, stderr) = ProcessRunner.Run(program, args);
        if (exit != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {exit}: {stderr}");
        }

        return stdout;
    }
}

/// <summary>A fact that reports itself skipped, with the reason, when no C compiler is on PATH.</summary>
public sealed class RequiresCCompilerFactAttribute : FactAttribute
{
    public RequiresCCompilerFactAttribute()
    {
        if (CCompiler.Path is null)
        {
            Skip = "no C compiler (cc, gcc or clang) on PATH: struct layouts cannot be compared with llama.h here; install gcc to run this check";
        }
    }
}
