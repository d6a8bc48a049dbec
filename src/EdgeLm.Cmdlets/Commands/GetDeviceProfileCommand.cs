using EdgeLm.Core.Host;
using System.Management.Automation;
using EdgeLm.Core.Devices;

namespace EdgeLm.Cmdlets.Commands;

/// <summary>
/// Describes the board: CPU, memory, board model, GPU, power mode, thermal state, price and, with
/// -MeasureBandwidth, memory bandwidth. -Root reads a snapshot tree of another board instead of this one.
/// Unreadable sources leave their property null and say why in Warnings (and as warnings with -Verbose).
/// </summary>
[Cmdlet(VerbsCommon.Get, "DeviceProfile")]
[OutputType(typeof(DeviceProfile))]
public sealed class GetDeviceProfileCommand : EdgeLmCmdlet
{
    /// <summary>A folder holding proc/, sys/, etc/ and var/lib/ of the board to describe; default "/".</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Root { get; set; }

    /// <summary>Measures memory read bandwidth (a few seconds, all cores) and remembers it for inference records.</summary>
    [Parameter]
    public SwitchParameter MeasureBandwidth { get; set; }

    /// <summary>A board catalog YAML consulted before the embedded one.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BoardCatalog { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? NativeLibraryPath { get; set; }

    protected override void EndProcessing()
    {
        string root = ResolveRoot(Root);

        var options = new DeviceProbeOptions
        {
            Root = root,
            MeasureBandwidth = MeasureBandwidth.IsPresent,
            BoardCatalogFile = BoardCatalog is null ? null : ResolveFileSystemPath(BoardCatalog, nameof(BoardCatalog)),
            NativeDirectory = NativeLibraryPath is null ? null : ResolveFileSystemPath(NativeLibraryPath, nameof(NativeLibraryPath)),
        };
        RunForItem(root, call =>
        {
            if (options.MeasureBandwidth)
            {
                call.WriteProgress(new ProgressRecord(1, "Get-DeviceProfile", "measuring memory bandwidth") { PercentComplete = -1 });
            }

            DeviceProfile profile = DeviceProfiles.Read(options, call.CancellationToken);
            foreach (string warning in (profile.Warnings ?? string.Empty).Split("; ", StringSplitOptions.RemoveEmptyEntries))
            {
                call.WriteVerbose(warning);
            }

            call.WriteObject(profile);
        });
    }
}
