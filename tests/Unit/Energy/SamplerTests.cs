using System.Diagnostics;
using EdgeLm.Core.Energy;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Energy;

/// <summary>The sampler against live fake sysfs trees that a test thread rewrites while it samples.</summary>
public sealed class SamplerTests
{
    [Fact]
    public void IntegratedPowerIsWithinOnePercentOfTheEnergyOfStepsAndRamps()
    {
        using var tree = new FakeTree();
        tree.Write("/sys/class/hwmon/hwmon0/name", "ina226");
        tree.Write("/sys/class/hwmon/hwmon0/update_interval", "2");
        tree.Write("/sys/class/hwmon/hwmon0/power1_input", "5000000");
        using EnergySession session = EnergySession.Open(new EnergyOptions { Root = tree.Root, Source = "hwmon:ina226/power1_input", Interval = TimeSpan.FromMilliseconds(2) });
        long t0 = Stopwatch.GetTimestamp();
        using var stop = new CancellationTokenSource();
        // 5 W, a ramp to 9 W, 9 W, a step down to 3 W, a ramp up: microwatts, rewritten every millisecond.
        static double Watts(double t) => t switch
        {
            < 0.5 => 5,
            < 1.0 => 5 + 8 * (t - 0.5),
            < 1.5 => 9,
            < 2.0 => 3,
            _ => 3 + 8 * (t - 2.0),
        };
        // What the sensor showed and from when: on a busy machine the writer falls behind the formula now and then,
        // and the sampler is judged on what it could read, not on the writer keeping time.
        var shown = new List<(long Time, double Watts)> { (t0, 5) };
        var writer = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                double t = Stopwatch.GetElapsedTime(t0).TotalSeconds;
                long microwatts = (long)(Watts(t) * 1e6);
                tree.Write("/sys/class/hwmon/hwmon0/power1_input", microwatts.ToString());
                shown.Add((Stopwatch.GetTimestamp(), microwatts / 1e6));
                Thread.Sleep(1);
            }
        });
        writer.Start();
        try
        {
            while (Stopwatch.GetElapsedTime(t0).TotalSeconds < 2.35)
            {
                Thread.Sleep(10);
            }
        }
        finally
        {
            stop.Cancel();
            writer.Join();
        }

        long from = t0 + (long)(0.25 * Stopwatch.Frequency);
        long to = t0 + (long)(2.25 * Stopwatch.Frequency);
        EnergyWindow window = session.Window(from, to);

        double exact = 0;
        for (int i = 0; i < shown.Count; i++)
        {
            long start = Math.Max(shown[i].Time, from), end = Math.Min(i + 1 < shown.Count ? shown[i + 1].Time : long.MaxValue, to);
            exact += end > start ? shown[i].Watts * (end - start) / Stopwatch.Frequency : 0;
        }

        Assert.InRange(window.Joules, exact * 0.99, exact * 1.01);
        Assert.InRange(exact, 11.75 * 0.9, 11.75 * 1.1); // 1.25 + 3.5 + 4.5 + 1.5 + 1.0 joules, give or take the writer's delays
        Assert.InRange(window.PeakWatts!.Value, 8.9, 9.1);
        Assert.True(window.Samples > 100, $"{window.Samples} samples in 2 s at 2 ms");
    }

    [Fact]
    public void ARaplCounterThatWrapsDuringTheWindowIsCountedExactly()
    {
        using var tree = new FakeTree();
        tree.Write("/sys/class/powercap/intel-rapl:0/name", "package-0");
        tree.Write("/sys/class/powercap/intel-rapl:0/max_energy_range_uj", "1000000");
        long counter = 900_000;
        tree.Write("/sys/class/powercap/intel-rapl:0/energy_uj", counter.ToString());
        using EnergySession session = EnergySession.Open(new EnergyOptions { Root = tree.Root, Source = "rapl:package-0", Interval = TimeSpan.FromMilliseconds(10) });

        long from = session.Begin();
        for (int step = 0; step < 100; step++)
        {
            // 20 mJ every 10 ms: 2 J in all, two wraps of the 1 J range, never more than 0.2 J between the sampler's reads.
            counter = (counter + 20_000) % 1_000_000;
            tree.Write("/sys/class/powercap/intel-rapl:0/energy_uj", counter.ToString());
            Thread.Sleep(10);
        }

        EnergyMeasurement measurement = session.End(from, idleWatts: null, baselineSeconds: null);

        Assert.Equal(2.0, measurement.EnergyJoules, 9);
        Assert.Equal("counter-delta", measurement.EnergyMethod);
        Assert.Null(measurement.Warnings);
    }

    [Fact]
    public void ACounterResetIsCountedFromZeroAndWarnedAbout()
    {
        using var tree = new FakeTree();
        tree.Write("/sys/class/hwmon/hwmon2/name", "ina238");

        // The driver restarted its count between the last two reads.
        (EnergyMeasurement measurement, _) = tree.Steps("hwmon:ina238/energy1_input", "/sys/class/hwmon/hwmon2/energy1_input", "5000000", "6000000", "500000");

        Assert.Equal(1.5, measurement.EnergyJoules, 9);
        Assert.Contains("reset", measurement.Warnings);
    }

    [Fact]
    public void BaselineAndNetEnergyFollowTheirDefinitions()
    {
        using var tree = new FakeTree();
        tree.Write("/sys/class/hwmon/hwmon0/name", "ina226");
        tree.Write("/sys/class/hwmon/hwmon0/update_interval", "5");
        tree.Write("/sys/class/hwmon/hwmon0/power1_input", "2000000");
        using EnergySession session = EnergySession.Open(new EnergyOptions { Root = tree.Root, Source = "hwmon:ina226/power1_input", Interval = TimeSpan.FromMilliseconds(5) });

        double idle = session.MeasureBaseline(0.3, CancellationToken.None);
        tree.Write("/sys/class/hwmon/hwmon0/power1_input", "7000000");
        long from = session.Begin();
        Thread.Sleep(400);
        EnergyMeasurement m = session.End(from, idle, 0.3);

        Assert.Equal(2.0, idle, 6);
        Assert.Equal(m.EnergyJoules - idle * m.DurationSeconds, m.NetEnergyJoules!.Value, 9);
        Assert.Equal(m.EnergyJoules / m.DurationSeconds, m.AveragePowerWatts, 9);
        Assert.InRange(m.AveragePowerWatts, 6.9, 7.0001);
        Assert.Equal("sensor", m.EnergyScope);
        Assert.InRange(m.SamplerCpuPercent!.Value, 0, 50); // the sampler's own thread, from the scheduler's accounting
    }

    [Fact]
    public void FewSamplesAreWarnedAbout()
    {
        using var tree = new FakeTree();
        using EnergySession session = EnergySession.Open(new EnergyOptions { Root = tree.Root, Interval = TimeSpan.FromMilliseconds(100) });

        EnergyMeasurement m = session.End(session.Begin(), null, null);

        Assert.Contains("samples in the window", m.Warnings);
        Assert.Contains("estimate", m.EnergySource);
    }
}
