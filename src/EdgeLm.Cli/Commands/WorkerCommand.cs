using EdgeLm.Core.Worker;
using EdgeLm.Core.Host;

namespace EdgeLm.Cli.Commands;

/// <summary>
/// edgelm worker: the child process that runs models for `edgelm infer`, the cmdlets and benchmarks, speaking
/// the line protocol of WorkerMessage on stdin/stdout. Not for people. The native folder comes from
/// --native-dir or, as the host passes it, EDGELM_LLAMA_DIR.
/// </summary>
internal static class WorkerCommand
{
    public static int Run(string[] args)
    {
        var line = CommandLine.Parse("worker", args, Array.Empty<string>(), Array.Empty<string>());
        return WorkerServer.ServeStandardStreams(line.Get("native-dir"));
    }
}
