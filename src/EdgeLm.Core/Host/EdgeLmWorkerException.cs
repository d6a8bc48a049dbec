using EdgeLm.Core.Engine;
using EdgeLm.Core.Native;
using EdgeLm.Core.Worker;
namespace EdgeLm.Core.Host;

/// <summary>The worker process died (llama.cpp aborted, a signal, the out-of-memory killer) while running a model.</summary>
internal sealed class EdgeLmWorkerException : EdgeLmException
{
    public EdgeLmWorkerException(string model, int exitCode, string phase, IReadOnlyList<string> lastLogLines)
        : base("WorkerDied", Describe(model, exitCode, phase, lastLogLines))
    {
        Model = model;
        ExitCode = exitCode;
        Signal = SignalName(exitCode);
        LastLogLines = lastLogLines;
    }

    public string Model { get; }
    public int ExitCode { get; }

    /// <summary>SIGABRT, SIGKILL, ... when a signal ended the worker, else null.</summary>
    public string? Signal { get; }
    public IReadOnlyList<string> LastLogLines { get; }

    public override string Category => "InvalidResult";

    /// <summary>.NET reports a process ended by signal N as exit code 128 + N.</summary>
    public static string? SignalName(int exitCode) => exitCode switch
    {
        129 => "SIGHUP",
        130 => "SIGINT",
        131 => "SIGQUIT",
        132 => "SIGILL",
        134 => "SIGABRT",
        135 => "SIGBUS",
        136 => "SIGFPE",
        137 => "SIGKILL",
        139 => "SIGSEGV",
        143 => "SIGTERM",
        _ => null,
    };

    private static string Describe(string model, int exitCode, string phase, IReadOnlyList<string> lines)
    {
        string? signal = SignalName(exitCode);
        string how = signal is not null ? $"was killed by {signal} (exit code {exitCode})" : exitCode >= 0 ? $"exited with code {exitCode}" : "stopped answering";
        string hint = signal switch
        {
            "SIGKILL" => " (the out-of-memory killer? try a smaller model, context or batch)",
            "SIGILL" => " (an instruction this CPU lacks: is the llama.cpp build for this board?)",
            _ => string.Empty,
        };
        // Only the lines that name the fault (errors, asserts, the C++ runtime's abort), not the model's description
        // logged before it; LastLogLines keeps them all.
        IReadOnlyList<string> problems = LlamaProblems.Select(lines, 4);
        string said = lines.Count == 0 ? " llama.cpp said nothing."
            : problems.Count > 0 ? " llama.cpp said: " + string.Join(" | ", problems) + "."
            : " llama.cpp's last lines name no error (--verbose shows its whole log).";
        return $"the EdgeLm worker running {model} {how}{hint} while {phase}.{said} Runs before this one are kept; the next run starts a new worker.";
    }
}
