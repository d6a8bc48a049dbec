using EdgeLm.Core.Devices;
using EdgeLm.Core.Energy;

namespace EdgeLm.Core.Host;

/// <summary>
/// A board's profile (Get-DeviceProfile, edgelm device): the device probe plus the power sources that can be read
/// on it, which the energy layer discovers. Composed here because energy sits above devices.
/// </summary>
public static class DeviceProfiles
{
    public static DeviceProfile Read(DeviceProbeOptions options, CancellationToken cancellationToken = default) =>
        DeviceProbe.Read(options, cancellationToken, ReadablePowerSources);

    private static IReadOnlyList<string> ReadablePowerSources(ProbeRoot root, ExternalCommand commands)
    {
        using PowerSourceSet sources = PowerSourceDiscovery.Discover(root, commands, Environment.GetEnvironmentVariable(MeterSource.Variable));
        return sources.All.Where(s => s.Readable).Select(s => s.Name).ToArray();
    }
}
