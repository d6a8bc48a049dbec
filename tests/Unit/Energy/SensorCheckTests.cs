using EdgeLm.Core.Energy;
using EdgeLm.Tests.Support;
using static EdgeLm.Tests.Energy.FakeSource;

namespace EdgeLm.Tests.Energy;

/// <summary>
/// Hostile sensors: readings that are not finite, negative, beyond any board, and counters that go back or jump, fed
/// straight into a series (exact times, no clock) and through the sampler from fake sysfs trees. None may turn into
/// energy; each is said in the warnings.
/// </summary>
public sealed class SensorCheckTests
{
    private static EnergySeries Power(int capacity = 1 << 17) => new(new FakeSource("fake:power", isCounter: false), capacity);

    private static EnergySeries Counter(double? range = null, int capacity = 1 << 17) =>
        new(new FakeSource("fake:counter", isCounter: true, rangeJoules: range), capacity);

    // The series with readings (seconds, value) added in order.
    private static EnergySeries Fed(EnergySeries series, params (double Seconds, double Value)[] readings)
    {
        foreach ((double seconds, double value) in readings)
        {
            series.Add(At(seconds), value);
        }

        return series;
    }

    [Fact]
    public void PowerReadingsThatAreNotFiniteNegativeOrBeyondAnyBoardAreDroppedAndWarned()
    {
        EnergySeries series = Power();
        double[] readings = { 5, 5, 5, double.NaN, 5, double.PositiveInfinity, double.NegativeInfinity, -3, 1e12, 10_001, 5 };
        for (int i = 0; i < readings.Length; i++)
        {
            series.Add(At(i * 0.1), readings[i]);
        }

        // Every reading kept is 5 W, so the second is 5 J whatever was dropped in between.
        Assert.Equal(5.0, series.Energy(At(0), At(1)), 9);
        Assert.Equal(5, series.CountBetween(At(0), At(1)));
        Assert.Equal(5.0, series.Peak(At(0), At(1))!.Value, 9);
        string problems = string.Join("\n", series.Problems);
        Assert.Contains("fake:power: a reading of NaN W was dropped (not a finite number) (3 times)", problems);
        Assert.Contains("a reading of -3 W was dropped (negative)", problems);
        Assert.Contains("a reading of 1000000000000 W was dropped (above 10000 W) (2 times)", problems);
    }

    [Fact]
    public void ACounterWrapsOnlyWhenItWasNearItsRangeAndRestartedNearZero()
    {
        const double range = 262143.328850; // an Intel package's max_energy_range_uj, in joules
        EnergySeries wrapped = Fed(Counter(range), (0, 262143.0), (0.1, 2.0));
        Assert.Equal(range - 262143.0 + 2.0, wrapped.Energy(At(0), At(0.1)), 6);
        Assert.Empty(wrapped.Problems);

        // energy_uj runs back a little mid-range, then goes on from where it was: the dip is dropped; it was never a
        // whole range (262 kJ) in a second.
        EnergySeries dip = Fed(Counter(range), (0, 100_000.0), (1, 99_999.9), (2, 100_000.3));
        Assert.Equal(0.3, dip.Energy(At(0), At(2)), 6);
        Assert.Contains("a counter reading of 99999.9 J after 100000 J was dropped", Assert.Single(dip.Problems));

        // It runs back and stays there (a glitch that holds): the step is not counted, what it counts after is.
        EnergySeries stays = Fed(Counter(range), (0, 100_000.0), (1, 99_999.0), (2, 99_999.5), (3, 100_000.0));
        Assert.Equal(1.0, stays.Energy(At(0), At(3)), 6);
        Assert.Contains(stays.Problems, p => p.Contains("jumped from 100000 J to 99999 J and stayed there"));

        // Near 0 a step back is a reset: counted from 0, and said.
        EnergySeries reset = Fed(Counter(range), (0, 2.0), (1, 1.5));
        Assert.Equal(1.5, reset.Energy(At(0), At(1)), 9);
        Assert.Contains("reset", Assert.Single(reset.Problems));
    }

    [Fact]
    public void ACounterWithoutARangeThatGoesBackIsAResetCountedFromZero()
    {
        EnergySeries series = Fed(Counter(), (0, 5.0), (0.1, 6.0), (0.2, 0.5), (0.3, 1.0));

        Assert.Equal(2.0, series.Energy(At(0), At(0.3)), 9);
        Assert.Contains("went back from 6 J to 0.5 J (reset)", Assert.Single(series.Problems));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-5.0)]
    [InlineData(double.NaN)]
    [InlineData(10.0)] // smaller than the counter already reads: the range is wrong
    public void ARangeOfZeroOrLessOrOneTheCounterExceedsIsUnknown(double range)
    {
        EnergySeries series = Fed(Counter(range), (0, 14.0), (1, 0.0), (2, 1.0));

        // Once a range of 0 made this -14 J.
        Assert.Equal(1.0, series.Energy(At(0), At(2)), 9);
        Assert.Contains("reset", Assert.Single(series.Problems));
    }

    [Fact]
    public void ACounterStepImplyingMoreThanAnyBoardDrawsIsNotCounted()
    {
        EnergySeries spike = Fed(Counter(), (0, 10.0), (0.1, 1e9), (0.2, 11.0)); // 10 GW for a tenth of a second
        Assert.Equal(1.0, spike.Energy(At(0), At(0.2)), 9);

        EnergySeries moved = Fed(Counter(), (0, 10.0), (0.1, 5e6), (0.2, 5e6 + 1));
        Assert.Equal(1.0, moved.Energy(At(0), At(0.2)), 9);
        Assert.Contains(moved.Problems, p => p.Contains("stayed there"));

        EnergySeries garbage = Fed(Counter(), (0, 10.0), (0.1, double.NaN), (0.2, -4.0), (0.3, double.PositiveInfinity), (0.4, 12.0));
        Assert.Equal(2.0, garbage.Energy(At(0), At(0.4)), 9);
        Assert.Equal(2, garbage.Problems.Count());
    }

    [Fact]
    public void NoStreamOfGarbageEverMakesAWindowNegativeOrNotFinite()
    {
        var random = new Random(20240612);
        double[] garbage = { double.NaN, double.PositiveInfinity, double.NegativeInfinity, -1, -1e9, 1e15, 1e300, 0 };
        foreach (EnergySeries series in new[] { Power(capacity: 64), Counter(capacity: 64), Counter(range: 1000, capacity: 64), Counter(range: 0, capacity: 64) })
        {
            double counter = 500;
            var times = new List<long>();
            for (int i = 0; i < 2000; i++)
            {
                double value = random.Next(4) switch
                {
                    0 => garbage[random.Next(garbage.Length)],
                    1 => counter = Math.Max(0, counter - random.NextDouble() * 50), // back a little
                    _ => series.Source.IsCounter ? counter = (counter + random.NextDouble() * 5) % 1000 : random.NextDouble() * 20,
                };
                long time = At(i * 0.01 + random.NextDouble() * 0.005);
                times.Add(time);
                series.Add(time, value);
            }

            for (int w = 0; w < 500; w++)
            {
                long a = times[random.Next(times.Count)] + random.Next(-100_000, 100_000);
                long b = times[random.Next(times.Count)] + random.Next(-100_000, 100_000);
                double joules = series.Energy(Math.Min(a, b), Math.Max(a, b));
                Assert.True(double.IsFinite(joules) && joules >= 0, $"{series.Source.Name}: {joules} J");
                Assert.True(series.Peak(Math.Min(a, b), Math.Max(a, b)) is null or (>= 0 and < double.PositiveInfinity));
            }

            Assert.True(series.Count <= 65, $"{series.Count} readings kept with a capacity of 64");
        }
    }

    [Fact]
    public void FoldingOldReadingsKeepsEveryWindowOnAKeptReadingExactAndCountsEveryReading()
    {
        var random = new Random(7);
        EnergySeries small = Power(capacity: 32), full = Power();
        EnergySeries smallCounter = Counter(capacity: 32), fullCounter = Counter();
        double counter = 0;
        for (int i = 0; i < 1000; i++)
        {
            long time = At(i * 0.01);
            double watts = 5 + 5 * random.NextDouble();
            counter += watts * 0.01;
            small.Add(time, watts);
            full.Add(time, watts);
            smallCounter.Add(time, counter);
            fullCounter.Add(time, counter);
        }

        Assert.InRange(small.Count, 16, 33);
        Assert.Equal(full.Energy(At(0), At(9.99)), small.Energy(At(0), At(9.99)), 9);
        Assert.Equal(full.Energy(At(9.9), At(9.99)), small.Energy(At(9.9), At(9.99)), 9); // recent history keeps every reading
        Assert.Equal(fullCounter.Energy(At(0), At(9.99)), smallCounter.Energy(At(0), At(9.99)), 9);
        Assert.Equal(1000, small.CountBetween(At(0), At(9.99)));
        Assert.Equal(1000, smallCounter.CountBetween(At(0), At(9.99)));
    }

    [Fact]
    public void GarbageInASysfsPowerFileNeverReachesTheMeasurement()
    {
        using var tree = new FakeTree();
        const string file = "/sys/class/hwmon/hwmon0/power1_input";
        tree.Write("/sys/class/hwmon/hwmon0/name", "ina226");
        tree.Write("/sys/class/hwmon/hwmon0/update_interval", "5");
        tree.Write(file, "5000000");
        using EnergySession session = EnergySession.Open(new EnergyOptions { Root = tree.Root, Source = "hwmon:ina226/power1_input", Interval = TimeSpan.FromMilliseconds(10) });

        long from = session.Begin();
        foreach (string text in new[] { "nan", "inf", "-7000000", "99999999999999999", "1e400", "5000000" })
        {
            Thread.Sleep(20);
            tree.Write(file, text);
            session.Begin();
        }

        Thread.Sleep(20);
        EnergyMeasurement m = session.End(from, null, null);

        Assert.True(double.IsFinite(m.EnergyJoules) && m.EnergyJoules > 0);
        Assert.Equal(5.0, m.AveragePowerWatts, 6); // every reading that counted was 5 W
        Assert.Equal(5.0, m.PeakPowerWatts!.Value, 6);
        Assert.Contains("'nan' is not a finite number", m.Warnings);
        Assert.Contains("'1e400' is not a finite number", m.Warnings);
        Assert.Contains("(negative)", m.Warnings);
        Assert.Contains("(above 10000 W)", m.Warnings);
    }

    // A tree with one RAPL package zone, its counter's range as the kernel writes it.
    private static FakeTree RaplZone(string rangeMicrojoules)
    {
        var tree = new FakeTree();
        tree.Write("/sys/class/powercap/intel-rapl:0/name", "package-0");
        tree.Write("/sys/class/powercap/intel-rapl:0/max_energy_range_uj", rangeMicrojoules);
        return tree;
    }

    [Fact]
    public void ARaplRangeOfZeroIsUnknownSoAStepBackIsAResetNotMinus14Joules()
    {
        using FakeTree tree = RaplZone(rangeMicrojoules: "0");

        (EnergyMeasurement m, IEnergySource source) = tree.Steps("rapl:package-0", "/sys/class/powercap/intel-rapl:0/energy_uj", "14000000", "0", "1000000");

        Assert.Null(source.CounterRangeJoules);
        Assert.Equal(1.0, m.EnergyJoules, 9);
        Assert.Contains("reset", m.Warnings);
    }

    [Fact]
    public void AnEnergyCounterThatRunsBackALittleIsNotAWholeRange()
    {
        using FakeTree tree = RaplZone(rangeMicrojoules: "262143328850");

        // 1 J back, then on from where it was.
        (EnergyMeasurement m, _) = tree.Steps("rapl:package-0", "/sys/class/powercap/intel-rapl:0/energy_uj", "100000000000", "99999000000", "100000500000");

        // 0.5 J when the dip is read once; 1.5 J if a scheduled read sees it too (then it held, and the climb back
        // counts). Once this was 262143 J.
        Assert.InRange(m.EnergyJoules, 0.5 - 1e-6, 1.5 + 1e-6);
        Assert.Contains("99999 J after 100000 J was dropped", m.Warnings);
    }

    [Fact]
    public void AGarbledPmicNumberIsAReadFailureNotACrash()
    {
        var e = Assert.Throws<EnergyReadException>(() => Pi5Pmic.TotalWatts("VDD_CORE_A current(7)=1.2.3A\nVDD_CORE_V volt(15)=0.75V\n"));
        Assert.Contains("1.2.3", e.Message);
    }

    [Fact]
    public void ACommandMeterPrintingNanIsAReadFailure()
    {
        using var folder = new TempFolder();
        string script = folder.File("read-watts");
        File.WriteAllText(script, "echo nan\n");
        using MeterSource meter = MeterSource.Parse("command=/bin/sh " + script);

        Assert.Contains("not watts", Assert.Throws<EnergyReadException>(() => meter.Read()).Message);
    }
}
