namespace EdgeLm.Core.Devices;

/// <summary>
/// The name results carry for their device (DeviceName): $EDGELM_DEVICE_NAME when set, so a fleet can name its
/// boards ("pi5-kitchen"), otherwise the host name. Merged results group by it.
/// </summary>
internal static class DeviceIdentity
{
    public const string Variable = "EDGELM_DEVICE_NAME";

    public static string Name(string hostName)
    {
        string? configured = Environment.GetEnvironmentVariable(Variable);
        return string.IsNullOrWhiteSpace(configured) ? hostName : configured.Trim();
    }

    public static string Name() => Name(Environment.MachineName);
}
