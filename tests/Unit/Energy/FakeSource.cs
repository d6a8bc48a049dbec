using System.Diagnostics;
using EdgeLm.Core.Energy;

namespace EdgeLm.Tests.Energy;

/// <summary>An energy source described by a test: a counter or a power sensor whose readings a function gives.</summary>
internal sealed class FakeSource : IEnergySource
{
    private readonly Func<double> _read;

    public FakeSource(string name, bool isCounter, Func<double>? read = null, double? rangeJoules = null, TimeSpan? minimumInterval = null)
    {
        Name = name;
        IsCounter = isCounter;
        CounterRangeJoules = rangeJoules;
        MinimumInterval = minimumInterval ?? TimeSpan.FromMilliseconds(100);
        _read = read ?? (() => throw new InvalidOperationException("this fake is not read"));
    }

    public string Name { get; }
    public string Kind => "fake";
    public string Scope => "sensor";
    public string Path => "fake";
    public bool IsCounter { get; }
    public double? CounterRangeJoules { get; }
    public TimeSpan MinimumInterval { get; }

    public double Read() => _read();

    public void Dispose()
    {
    }

    /// <summary>Stopwatch ticks of a time in seconds, for series fed by hand.</summary>
    public static long At(double seconds) => (long)Math.Round(seconds * Stopwatch.Frequency);
}
