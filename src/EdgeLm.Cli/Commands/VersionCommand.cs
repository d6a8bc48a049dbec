using EdgeLm.Core.Native;

namespace EdgeLm.Cli.Commands;

/// <summary>edgelm version: our version, and which llama.cpp loads from where with which backend.</summary>
internal static class VersionCommand
{
    public static int Run(string[] args, CommandContext context)
    {
        var line = CommandLine.Parse("version", args, Array.Empty<string>(), Array.Empty<string>());
        LlamaRuntimeInfo runtime = LlamaRuntime.Initialize(line.Get("native-dir"));
        string version = typeof(Program).Assembly.GetName().Version?.ToString(3) ?? "?";
        context.Out.WriteLine($"EdgeLm {version}");
        context.Out.WriteLine($"llama.cpp {runtime.LlamaVersion} ({runtime.Backend}) from {runtime.NativeDirectory}");
        context.Out.WriteLine($"devices: {string.Join("; ", runtime.Devices)}");
        context.Out.WriteLine($"system: {runtime.SystemInfo}");
        return 0;
    }
}
