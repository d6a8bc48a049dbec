using System.Globalization;

namespace EdgeLm.Core.Benchmarks;

/// <summary>
/// How a fleet calls ssh for a board, one rule for edgelm fleet and Invoke-EdgeBenchmark -HostName's reachability
/// probe: never a prompt (BatchMode: keys or an agent), a bounded connection, then the board's port, user, key and
/// the caller's -o options; the destination and what to run on it come after.
/// </summary>
public static class SshArguments
{
    public static IEnumerable<string> For(FleetBoard board, string? userName, string? keyFilePath, int connectTimeoutSeconds, IEnumerable<string> options)
    {
        yield return "-o";
        yield return "BatchMode=yes";
        yield return "-o";
        yield return $"ConnectTimeout={connectTimeoutSeconds.ToString(CultureInfo.InvariantCulture)}";
        if (board.Port is int port)
        {
            yield return "-p";
            yield return port.ToString(CultureInfo.InvariantCulture);
        }

        if (userName is not null)
        {
            yield return "-l";
            yield return userName;
        }

        if (keyFilePath is not null)
        {
            yield return "-i";
            yield return keyFilePath;
        }

        foreach (string option in options)
        {
            yield return "-o";
            yield return option;
        }
    }
}
