using System.Management.Automation;
using EdgeLm.Core.Energy;

namespace EdgeLm.Cmdlets.Commands;

/// <summary>
/// Every power and energy source on this device (or under -Root): RAPL zones, hwmon sensors, Jetson rails, the Pi 5
/// PMIC, NVIDIA GPUs, batteries, an external meter and the estimate; readable or not and why, the default marked.
/// </summary>
[Cmdlet(VerbsCommon.Get, "EdgePowerSource")]
[OutputType(typeof(PowerSourceInfo))]
public sealed class GetEdgePowerSourceCommand : EdgeLmCmdlet
{
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Root { get; set; }

    /// <summary>An external meter, KIND=ADDRESS: shelly-gen1=, shelly-gen2=, tasmota= (http://...) or command=.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MeterCompleter))]
    public string? Meter { get; set; }

    protected override void EndProcessing()
    {
        string root = ResolveRoot(Root);
        RunForItem(root, call =>
        {
            using PowerSourceSet sources = PowerSourceDiscovery.Discover(new EnergyOptions { Root = root, Meter = Meter });
            EnergySelection chosen = sources.Choose();
            foreach (string warning in chosen.Warnings)
            {
                call.WriteVerbose(warning);
            }

            foreach (PowerSourceInfo info in sources.All)
            {
                call.WriteObject(info);
            }
        });
    }
}
