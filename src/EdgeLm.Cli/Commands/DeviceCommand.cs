using EdgeLm.Core.Host;
using EdgeLm.Core.Devices;

namespace EdgeLm.Cli.Commands;

/// <summary>edgelm device: the DeviceProfile of this machine, or of a snapshot tree with --root.</summary>
internal static class DeviceCommand
{
    public static int Run(string[] args, CommandContext context)
    {
        var line = CommandLine.Parse("device", args, new[] { "root", "board-catalog" }, new[] { "measure-bandwidth" });
        string? root = line.Get("root");
        if (root is not null && !Directory.Exists(root))
        {
            throw new UsageException($"device: --root {root} is not a folder");
        }

        DeviceProfile profile = DeviceProfiles.Read(new DeviceProbeOptions
        {
            Root = root ?? "/",
            MeasureBandwidth = line.Has("measure-bandwidth"),
            BoardCatalogFile = line.Get("board-catalog"),
            NativeDirectory = line.Get("native-dir"),
        }, context.Cancellation);
        new RecordPrinter(context.Out, line.Format).Print(profile);
        return 0;
    }
}
