using EdgeLm.Core.Settings;
using EdgeLm.Core;
using EdgeLm.Core.Energy;
using EdgeLm.Core.Host;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Energy;

/// <summary>Measure-EdgeEnergy and edgelm energy make one Core call; these are its rules, on a board without sensors (the estimate).</summary>
public sealed class EnergyMeasurementsTests : IDisposable
{
    private readonly TempFolder _root = new();

    public void Dispose() => _root.Dispose();

    private EnergyOptions Options => new() { Root = _root.Path, Interval = TimeSpan.FromMilliseconds(20) };

    [Fact]
    public void ADurationIsMeasuredAfterTheBaseline()
    {
        var status = new List<string>();

        EnergyMeasurement m = EnergyMeasurements.Measure(Options, 0.2, 0.3, null, status.Add, CancellationToken.None);

        Assert.InRange(m.DurationSeconds, 0.3, 1.5);
        Assert.Equal(0.2, m.BaselineSeconds);
        Assert.NotNull(m.IdlePowerWatts);
        Assert.Equal(m.EnergyJoules - m.IdlePowerWatts!.Value * m.DurationSeconds, m.NetEnergyJoules!.Value, 6);
        Assert.Null(m.Succeeded);
        Assert.Null(m.ExitCode);
        Assert.Equal(new[] { "idle baseline (0.2 s)", "measuring for 0.3 s" }, status);
    }

    [Theory]
    [InlineData(0, null, true)]
    [InlineData(3, null, false)]
    [InlineData(null, null, true)]
    [InlineData(null, "the model did not fit", false)]
    public void AWorkloadSaysHowItEnded(int? exitCode, string? error, bool succeeded)
    {
        bool ran = false;

        EnergyMeasurement m = EnergyMeasurements.Measure(Options, 0, null, _ =>
        {
            ran = true;
            return new WorkloadOutcome(exitCode, error);
        }, null, CancellationToken.None);

        Assert.True(ran);
        Assert.Equal(exitCode, m.ExitCode);
        Assert.Equal(succeeded, m.Succeeded);
        Assert.Equal(error, m.ErrorMessage);
        Assert.Null(m.IdlePowerWatts);
        Assert.Null(m.NetEnergyJoules);
    }

    [Theory]
    [InlineData(null, false, 0, "EnergyWindow")]
    [InlineData(1.0, true, 0, "EnergyWindow")]
    [InlineData(0.0, false, 0, "InvalidDuration")]
    [InlineData(1.0, false, -1, "InvalidBaseline")]
    public void AWindowIsADurationOrAWorkload(double? duration, bool workload, double baseline, string errorId)
    {
        var e = Assert.Throws<EdgeLmArgumentException>(() => EnergyMeasurements.Measure(Options, baseline, duration,
            workload ? _ => new WorkloadOutcome(0) : null, null, CancellationToken.None));
        Assert.Equal(errorId, e.ErrorId);
    }

    [Fact]
    public void AStopEndsTheWindow()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.ThrowsAny<OperationCanceledException>(() => EnergyMeasurements.Measure(Options, 0, 30, null, null, stop.Token));
    }

    [Theory]
    [InlineData("rapl:package-0", null, null, "-EnergySource (--energy-source)")]
    [InlineData(null, "tasmota=http://192.0.2.1", null, "-Meter (--meter)")]
    [InlineData(null, null, 5.0, "-BaselineSeconds (--baseline)")]
    public void EnergySettingsNeedEnergyToBeMeasured(string? source, string? meter, double? baseline, string named)
    {
        EnergyArguments.RequireMeasureEnergy(true, source, meter, baseline);
        EnergyArguments.RequireMeasureEnergy(false, null, null, null);

        var e = Assert.Throws<EdgeLmArgumentException>(() => EnergyArguments.RequireMeasureEnergy(false, source, meter, baseline));

        Assert.Equal("EnergySettingWithoutMeasureEnergy", e.ErrorId);
        Assert.StartsWith(named, e.Message);
        Assert.Contains("add -MeasureEnergy (--energy)", e.Message);
    }

    [Fact]
    public void InferenceRefusesASourceWithoutEnergyBeforeLoadingAnything()
    {
        var request = new RunSettings { ModelPath = _root.File("no-model.gguf"), Prompt = "x", EnergySource = "rapl:package-0" };

        var e = Assert.Throws<EdgeLmArgumentException>(() => InferenceRunner.Run(request).ToList());

        Assert.Equal("EnergySettingWithoutMeasureEnergy", e.ErrorId);
    }
}
