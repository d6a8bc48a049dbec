using System.Diagnostics;
using System.Text.Json;

namespace EdgeLm.Core.Energy;

/// <summary>
/// External meters, the widest scope there is: smart plugs over HTTP (wall AC, PSU losses included) or a user
/// command that prints watts (whatever the user's meter covers). Configured as KIND=ADDRESS, in -Meter / --meter or
/// $EDGELM_METER: shelly-gen1=http://10.0.0.5 (GET /meter/0, "power"), shelly-gen2=http://10.0.0.5
/// (GET /rpc/Switch.GetStatus?id=0, "apower"), tasmota=http://10.0.0.6 (GET /cm?cmnd=Status%208,
/// StatusSNS.ENERGY.Power), command=/usr/local/bin/read-watts (run per sample, so at 1 Hz).
/// Plugs update about once a second, so they are read at 1 Hz.
/// </summary>
internal sealed class MeterSource : IEnergySource
{
    public const string Variable = "EDGELM_METER";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly Func<double> _read;

    private MeterSource(string kind, string address, string scope, Func<double> read)
    {
        Name = $"meter:{kind}";
        Path = address;
        Scope = scope;
        _read = read;
    }

    public string Name { get; }
    public string Kind => "meter";
    public string Scope { get; }
    public string Path { get; }
    public bool IsCounter => false;
    public double? CounterRangeJoules => null;
    public TimeSpan MinimumInterval => TimeSpan.FromSeconds(1);

    /// <summary>The meter a KIND=ADDRESS setting names; an unknown kind is an <see cref="EdgeLmArgumentException"/>.</summary>
    public static MeterSource Parse(string setting)
    {
        int equals = setting.IndexOf('=');
        string kind = equals > 0 ? setting[..equals].Trim().ToLowerInvariant() : string.Empty;
        string address = equals > 0 ? setting[(equals + 1)..].Trim().TrimEnd('/') : string.Empty;
        return kind switch
        {
            "shelly-gen1" => new MeterSource(kind, address, "wall", () => Json(address + "/meter/0", "power")),
            "shelly-gen2" => new MeterSource(kind, address, "wall", () => Json(address + "/rpc/Switch.GetStatus?id=0", "apower")),
            "tasmota" => new MeterSource(kind, address, "wall", () => Json(address + "/cm?cmnd=Status%208", "StatusSNS", "ENERGY", "Power")),
            "command" => new MeterSource(kind, address, "external", () => Command(address)),
            _ => throw new EdgeLmArgumentException("UnknownMeter",
                $"meter '{setting}' is not KIND=ADDRESS with KIND one of shelly-gen1, shelly-gen2, tasmota, command (e.g. shelly-gen2=http://192.168.1.20)"),
        };
    }

    public double Read() => _read();

    public void Dispose()
    {
    }

    private static double Json(string url, params string[] path)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(Http.GetStringAsync(url).GetAwaiter().GetResult());
            JsonElement element = document.RootElement;
            foreach (string name in path)
            {
                if (!element.TryGetProperty(name, out element))
                {
                    throw new EnergyReadException($"{url}: no '{string.Join('.', path)}' in the reply");
                }
            }

            return element.TryGetDouble(out double watts) && double.IsFinite(watts)
                ? watts
                : throw new EnergyReadException($"{url}: '{element}' is not a finite number");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException or FormatException)
        {
            throw new EnergyReadException($"{url}: {e.Message}", e);
        }
    }

    private static double Command(string commandLine)
    {
        string[] words = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            throw new EnergyReadException("command meter: no command given");
        }

        var start = new ProcessStartInfo(words[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string word in words.Skip(1))
        {
            start.ArgumentList.Add(word);
        }

        try
        {
            using Process process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(5000) || process.ExitCode != 0)
            {
                throw new EnergyReadException($"{words[0]} failed or took over 5 s");
            }

            string first = output.Trim().Split('\n')[0].Trim().TrimEnd('W', 'w').Trim();
            return SensorNumber.TryParse(first, out double watts)
                ? watts
                : throw new EnergyReadException($"{words[0]} printed '{output.Trim()}', not watts");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new EnergyReadException($"{words[0]}: {e.Message}", e);
        }
    }
}
