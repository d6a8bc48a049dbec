using System.Collections;

namespace EdgeLm.Cmdlets.Fleet;

/// <summary>What every board of a fleet benchmark is asked to do, and how the boards are reached.</summary>
internal sealed class FleetRequest
{
    public required string PlanText { get; init; }

    public bool Resume { get; init; }

    public bool AllowLarge { get; init; }

    /// <summary>A folder on each board (llama.cpp's libraries there), passed on as it is.</summary>
    public string? NativeLibraryPath { get; init; }

    /// <summary>The local module folder to copy to each board first (-DeployModule); null = the board's own module.</summary>
    public string? DeployFrom { get; init; }

    public string? UserName { get; init; }

    public string? KeyFilePath { get; init; }

    /// <summary>ssh -o options, as New-PSSession -Options takes them.</summary>
    public Hashtable? SshOptions { get; init; }

    /// <summary>
    /// How long to wait for a board to answer, in milliseconds: a board that is off, or behind a firewall that drops
    /// packets, would otherwise hold its slot until ssh gives up (minutes), while the others finish.
    /// </summary>
    public int ConnectingTimeoutMs { get; init; } = 30_000;
}
