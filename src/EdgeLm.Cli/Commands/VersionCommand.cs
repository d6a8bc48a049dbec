using System.CommandLine;
using EdgeLm.Core;
using EdgeLm.Core.Native;

namespace EdgeLm.Cli.Commands;

/// <summary>edgelm version: our version, and which llama.cpp loads from where with which backend.</summary>
internal static class VersionCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("version", "Which EdgeLm and llama.cpp run here, from which folder, with which backend and devices.");
        command.SetAction(parse =>
        {
            CommandContext context = CommandContext.Of(parse, globals);
            LlamaRuntimeInfo runtime = LlamaRuntime.Initialize(context.NativeDirectory);
            context.Out.WriteLine($"EdgeLm {EdgeLmBuild.Version}");
            context.Out.WriteLine($"llama.cpp {runtime.LlamaVersion} ({runtime.Backend}) from {runtime.NativeDirectory}");
            context.Out.WriteLine($"devices: {string.Join("; ", runtime.Devices)}");
            context.Out.WriteLine($"system: {runtime.SystemInfo}");
            return 0;
        });
        return command;
    }
}
