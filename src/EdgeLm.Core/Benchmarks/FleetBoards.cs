using System.Globalization;

namespace EdgeLm.Core.Benchmarks;

/// <summary>One board of a fleet: the name it was given by, the host to reach it at, and its SSH port (null = ssh's own default).</summary>
public sealed record FleetBoard(string Name, string HostName, int? Port);

/// <summary>
/// The boards a fleet benchmark reaches, from -HostName values: `host`, `host:port`, `[ipv6]` or `[ipv6]:port`, so
/// several boards behind one address (a loopback test, a jump host's forwarded ports) each keep their own port.
/// A board without a port of its own takes the default port, or ssh's (22, or the port in ~/.ssh/config).
/// </summary>
public static class FleetBoards
{
    public static IReadOnlyList<FleetBoard> Parse(IEnumerable<string> hostNames, int? defaultPort)
    {
        var boards = new List<FleetBoard>();
        var seen = new HashSet<(string, int?)>();
        foreach (string given in hostNames)
        {
            FleetBoard board = ParseOne(given.Trim(), defaultPort);
            if (!seen.Add((board.HostName.ToLowerInvariant(), board.Port)))
            {
                throw new EdgeLmArgumentException("BoardRepeated",
                    $"-HostName names {board.HostName}{(board.Port is int p ? $" port {p}" : string.Empty)} twice; each board runs the plan once, so name it once");
            }

            boards.Add(board);
        }

        return boards;
    }

    private static FleetBoard ParseOne(string given, int? defaultPort)
    {
        if (given.Length == 0)
        {
            throw new EdgeLmArgumentException("BoardNameEmpty", "-HostName has an empty name; give each board as host or host:port");
        }

        string host = given;
        string? port = null;
        if (given.StartsWith('['))
        {
            int close = given.IndexOf(']');
            if (close < 0 || (close < given.Length - 1 && given[close + 1] != ':'))
            {
                throw Malformed(given);
            }

            host = given[1..close];
            port = close < given.Length - 1 ? given[(close + 2)..] : null;
        }
        else if (given.Count(c => c == ':') == 1)
        {
            int colon = given.IndexOf(':');
            host = given[..colon];
            port = given[(colon + 1)..];
        }

        // A bare IPv6 address has several colons and no port: it is taken whole.
        if (host.Length == 0)
        {
            throw Malformed(given);
        }

        if (port is null)
        {
            return new FleetBoard(given, host, defaultPort);
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number is < 1 or > 65535)
        {
            throw new EdgeLmArgumentException("BoardPortInvalid", $"-HostName '{given}': the port '{port}' is not a number from 1 to 65535");
        }

        return new FleetBoard(given, host, number);
    }

    private static EdgeLmArgumentException Malformed(string given) =>
        new("BoardNameInvalid", $"-HostName '{given}' is not host, host:port, [ipv6] or [ipv6]:port");
}
