using System.Collections;
using System.Diagnostics;
using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Cmdlets.Fleet;

/// <summary>
/// Asks ssh itself whether a board answers before PowerShell's SSH transport is pointed at it. PowerShell 7.6's transport
/// can take the whole process down when ssh exits at once (a board switched off, a refused port, a rejected key): its
/// error thread disposes ssh's stdin writer, whose flush fails with "Broken pipe" unhandled on that thread. One session
/// lost is one board's error; the user's pwsh lost is every board's results, so a board ssh cannot reach never gets there.
/// The probe opens the board's powershell subsystem with stdin closed (pwsh there exits at once), without prompts.
/// </summary>
internal static class SshProbe
{
    // ssh's own exit status for its failures (connection, authentication, subsystem); any other is the remote side's.
    private const int SshFailed = 255;

    /// <summary>Null when ssh reached the board's powershell subsystem; otherwise ssh's reason, in its own words.</summary>
    public static string? Check(FleetBoard board, FleetRequest request, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("ssh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        int seconds = Math.Max(1, request.ConnectingTimeoutMs / 1000);
        foreach (string argument in Arguments(board, request, seconds))
        {
            start.ArgumentList.Add(argument);
        }

        using Process ssh = Process.Start(start) ?? throw new InvalidOperationException("ssh did not start");
        ssh.StandardInput.Close();
        Task<string> error = ssh.StandardError.ReadToEndAsync(CancellationToken.None);
        _ = ssh.StandardOutput.ReadToEndAsync(CancellationToken.None);
        try
        {
            // ConnectTimeout bounds the connection; the rest (authentication, the subsystem's start) gets as long again.
            if (!ssh.WaitForExitAsync(cancellationToken).Wait(TimeSpan.FromSeconds(2.0 * seconds + 5), cancellationToken))
            {
                return $"ssh did not finish connecting within {2 * seconds + 5} s";
            }
        }
        finally
        {
            if (!ssh.HasExited)
            {
                ssh.Kill(entireProcessTree: true);
            }
        }

        if (ssh.ExitCode != SshFailed)
        {
            return null;
        }

        string[] lines = error.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("Warning:", StringComparison.Ordinal)).ToArray();
        return lines.Length > 0 ? string.Join("; ", lines) : "ssh failed (exit status 255) without saying why";
    }

    private static IEnumerable<string> Arguments(FleetBoard board, FleetRequest request, int seconds) =>
        SshArguments.For(board, request.UserName, request.KeyFilePath, seconds,
                (request.SshOptions ?? new Hashtable()).Cast<DictionaryEntry>().Select(o => $"{o.Key}={o.Value}"))
            .Concat(new[] { "-s", board.HostName, "powershell" });
}
