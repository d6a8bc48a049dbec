using System.CommandLine;
using EdgeLm.Core.Worker;

namespace EdgeLm.Cli.Commands;

/// <summary>
/// edgelm worker: the child process that runs models for `edgelm infer`, the cmdlets and benchmarks, speaking
/// the line protocol of WorkerMessage on stdin/stdout. Not for people, so hidden from help. The native folder
/// comes from --native-dir or, as the host passes it, EDGELM_LLAMA_DIR.
/// </summary>
internal static class WorkerCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("worker", "The worker process edgelm and the module start (a JSON line protocol on stdin/stdout); not for people.") { Hidden = true };
        command.SetAction(parse => WorkerServer.ServeStandardStreams(parse.GetValue(globals.NativeDirectory)));
        return command;
    }
}
