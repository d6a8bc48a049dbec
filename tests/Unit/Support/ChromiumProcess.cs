using System.Diagnostics;
using System.Globalization;

namespace EdgeLm.Tests.Support;

/// <summary>
/// A headless Chromium with its own throwaway profile and a DevTools port, cut off from the network. Dispose kills
/// the whole process tree (renderers, GPU and utility processes) and deletes the profile, whatever state it is in.
/// </summary>
internal sealed class ChromiumProcess : IDisposable
{
    private const int OutputLinesKept = 40;

    private readonly Process process;
    private readonly Queue<string> output = new();

    private ChromiumProcess(Process process, string profile)
    {
        this.process = process;
        Profile = profile;
    }

    /// <summary>The --user-data-dir; Chromium writes DevToolsActivePort there once it listens.</summary>
    public string Profile { get; }

    public static ChromiumProcess Start(string executable, int width, int height)
    {
        string profile = Directory.CreateTempSubdirectory("edgelm-chromium-").FullName;
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in new[]
        {
            "--headless=new",
            "--disable-gpu",
            // CI runs as root in a container, where Chromium's sandbox cannot start.
            "--no-sandbox",
            // A small /dev/shm in containers crashes renderers; /tmp is used instead.
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-sync",
            "--disable-component-update",
            "--disable-background-networking",
            "--mute-audio",
            "--hide-scrollbars",
            // No request can leave the machine or wait on DNS: every host name fails at once, and no proxy from the
            // environment is used. The page's requests are still reported (the DevTools event comes first).
            "--no-proxy-server",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            $"--window-size={width},{height}",
            $"--user-data-dir={profile}",
            // Port 0: Chromium picks a free port and writes it to DevToolsActivePort (parallel tests never collide).
            "--remote-debugging-port=0",
            "about:blank",
        })
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start");
        }
        catch
        {
            DeleteProfile(profile);
            throw;
        }

        var chromium = new ChromiumProcess(process, profile);
        process.StandardInput.Close();
        // Both pipes are drained, or a chatty Chromium (it logs every missing D-Bus) would block on a full pipe.
        process.OutputDataReceived += (_, line) => chromium.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => chromium.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return chromium;
    }

    /// <summary>Waits until Chromium has written its DevTools port; fails at once when Chromium exits first.</summary>
    public async Task<int> DevToolsPortAsync(CancellationToken cancel)
    {
        string file = Path.Combine(Profile, "DevToolsActivePort");
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Chromium exited ({process.ExitCode}) before it opened its DevTools port");
            }

            // The file is written whole; a half-written or stale read just waits for the next poll.
            try
            {
                string[] lines = await File.ReadAllLinesAsync(file, cancel).ConfigureAwait(false);
                if (lines.Length >= 1 && int.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port > 0)
                {
                    return port;
                }
            }
            catch (IOException)
            {
                // Not there yet.
            }

            await Task.Delay(50, cancel).ConfigureAwait(false);
        }
    }

    /// <summary>Chromium's last lines of output, for the message of a failed or timed-out render.</summary>
    public string RecentOutput()
    {
        lock (output)
        {
            return output.Count == 0 ? "(none)" : string.Join('\n', output);
        }
    }

    private void Keep(string? line)
    {
        // Every container without a system bus gets dozens of D-Bus complaints; they never explain a failed render
        // and would push the lines that do out of the tail.
        if (string.IsNullOrWhiteSpace(line) || line.Contains(":ERROR:dbus/", StringComparison.Ordinal))
        {
            return;
        }

        lock (output)
        {
            output.Enqueue(line);
            while (output.Count > OutputLinesKept)
            {
                output.Dequeue();
            }
        }
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit(10_000);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Exited between the check and the kill.
        }

        process.Dispose();
        DeleteProfile(Profile);
    }

    private static void DeleteProfile(string profile)
    {
        // A child still closing its files can recreate a file while the folder is deleted; a second try after a
        // moment gets the rest, and what is still left the OS temp cleaner takes.
        for (int attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                Directory.Delete(profile, recursive: true);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(200);
            }
        }
    }
}
