using System.CommandLine;
using EdgeLm.Core.Devices;
using EdgeLm.Core.Host;

namespace EdgeLm.Cli.Commands;

/// <summary>edgelm device (Get-DeviceProfile): the DeviceProfile of this machine, or of a snapshot tree with --root.</summary>
internal static class DeviceCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var root = Root();
        var measureBandwidth = Opt.Flag("--measure-bandwidth", "Measure memory read bandwidth (a few seconds, all cores) and remember it for inference records.");
        var boardCatalog = Opt.Text("--board-catalog", "A board catalog YAML consulted before the embedded one.", "PATH");
        var command = new Command("device", "The board every figure belongs to: CPU, memory, GPU, power mode, thermals, price; bandwidth when measured.")
        {
            root, measureBandwidth, boardCatalog,
        };
        command.SetAction(parse =>
        {
            CommandContext context = CommandContext.Of(parse, globals);
            DeviceProfile profile = DeviceProfiles.Read(new DeviceProbeOptions
            {
                Root = RootOf(parse, root, "device"),
                MeasureBandwidth = parse.GetValue(measureBandwidth),
                BoardCatalogFile = parse.GetValue(boardCatalog),
                NativeDirectory = context.NativeDirectory,
            }, context.Cancellation);
            context.Printer().Print(profile);
            return 0;
        });
        return command;
    }

    /// <summary>--root: a snapshot of another board's /proc, /sys, /etc and /var/lib.</summary>
    public static Option<string?> Root() =>
        Opt.Text("--root", "Read /proc, /sys, /etc and /var/lib under DIR (a snapshot of another board) instead of /.", "DIR");

    /// <summary>The --root folder, "/" when not given; a folder that does not exist is a command-line error.</summary>
    public static string RootOf(System.CommandLine.ParseResult parse, Option<string?> option, string command)
    {
        string? root = parse.GetValue(option);
        if (root is not null && !Directory.Exists(root))
        {
            throw new UsageException($"{command}: --root {root} is not a folder");
        }

        return root ?? "/";
    }
}
