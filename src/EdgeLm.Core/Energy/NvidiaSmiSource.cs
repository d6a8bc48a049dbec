using System.Diagnostics;

namespace EdgeLm.Core.Energy;

/// <summary>
/// GPU board power from one long-running `nvidia-smi --query-gpu=index,power.draw --format=csv,noheader,nounits
/// -lms 100` (never a process per sample), for machines where NVML cannot be loaded. Reads return the latest
/// line's watts summed over GPUs. power.draw is a one second average on Ampere and newer, so windows shorter than a
/// second are smoothed; the name says where the figure comes from. A tool that exited or stopped printing is a read
/// failure, never its last figure repeated.
/// </summary>
internal sealed class NvidiaSmiSource : IEnergySource
{
    private readonly Process _process;
    private static readonly TimeSpan Stale = TimeSpan.FromSeconds(3);
    private readonly Dictionary<string, double> _latest = new(StringComparer.Ordinal);
    private long _latestAt;
    private string? _failure;

    private NvidiaSmiSource(Process process, string path)
    {
        _process = process;
        Path = path;
        var reader = new Thread(ReadLines) { IsBackground = true, Name = "edgelm nvidia-smi" };
        reader.Start();
    }

    public string Name => "nvidia-smi:power.draw";
    public string Kind => "nvidia-smi";
    public string Scope => "gpu-board";
    public string Path { get; }
    public bool IsCounter => false;
    public double? CounterRangeJoules => null;
    public TimeSpan MinimumInterval => TimeSpan.FromMilliseconds(100);
    public string? Note => "one long-running nvidia-smi -lms 100; power.draw is a 1 s average on Ampere and newer";

    public static NvidiaSmiSource Start(string nvidiaSmi)
    {
        var start = new ProcessStartInfo(nvidiaSmi) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { "--query-gpu=index,power.draw", "--format=csv,noheader,nounits", "-lms", "100" })
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start) ?? throw new EnergyReadException($"could not start {nvidiaSmi}");
        var source = new NvidiaSmiSource(process, nvidiaSmi);
        // Wait for the first reading so a broken tool is reported at discovery, not mid-measurement.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(3) && !source.HasReading && !process.HasExited)
        {
            Thread.Sleep(20);
        }

        return source;
    }

    private bool HasReading
    {
        get { lock (_latest) { return _latest.Count > 0; } }
    }

    public double Read()
    {
        lock (_latest)
        {
            if (_latest.Count > 0)
            {
                TimeSpan age = Stopwatch.GetElapsedTime(_latestAt);
                if (age > Stale)
                {
                    string state = _process.HasExited ? $"exited ({_process.ExitCode})" : "is running";
                    throw new EnergyReadException($"{Path} {state} but has printed no power.draw for {age.TotalSeconds:0} s");
                }

                return _latest.Values.Sum();
            }
        }

        throw new EnergyReadException(_failure ?? $"{Path} has printed no power.draw yet");
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private void ReadLines()
    {
        try
        {
            string? line;
            while ((line = _process.StandardOutput.ReadLine()) is not null)
            {
                string[] parts = line.Split(',', StringSplitOptions.TrimEntries);
                if (parts.Length == 2 && SensorNumber.TryParse(parts[1], out double watts))
                {
                    lock (_latest)
                    {
                        _latest[parts[0]] = watts;
                        _latestAt = Stopwatch.GetTimestamp();
                    }
                }
                else
                {
                    _failure = $"nvidia-smi printed '{line.Trim()}' (power.draw not supported?)";
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
        {
        }
    }
}
