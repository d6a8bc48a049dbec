using System.Globalization;

namespace EdgeLm.Core.Report;

/// <summary>
/// Maps data values to pixels along one axis, linear (from zero when the data allow, so bar lengths compare) or
/// logarithmic (for figures that span decades, such as dollars per million tokens on a board and in the cloud), with
/// round tick values.
/// </summary>
internal sealed class Scale
{
    private readonly double _low;
    private readonly double _high;
    private readonly double _from;
    private readonly double _to;

    private Scale(double low, double high, double from, double to, bool log, IReadOnlyList<double> ticks)
    {
        _low = low;
        _high = high;
        _from = from;
        _to = to;
        Log = log;
        Ticks = ticks;
    }

    public bool Log { get; }

    public IReadOnlyList<double> Ticks { get; }

    public double Low => _low;

    public double High => _high;

    /// <summary>A scale over <paramref name="values"/> onto pixels <paramref name="from"/>..<paramref name="to"/>.</summary>
    public static Scale For(IEnumerable<double> values, double from, double to, bool log = false, bool includeZero = true)
    {
        double[] finite = values.Where(double.IsFinite).Where(v => !log || v > 0).ToArray();
        if (finite.Length == 0)
        {
            finite = log ? new[] { 1.0, 10.0 } : new[] { 0.0, 1.0 };
        }

        double min = finite.Min(), max = finite.Max();
        if (log)
        {
            double lowExponent = Math.Floor(Math.Log10(min));
            double highExponent = Math.Ceiling(Math.Log10(max));
            if (highExponent <= lowExponent)
            {
                highExponent = lowExponent + 1;
            }

            var ticks = new List<double>();
            for (double e = lowExponent; e <= highExponent; e++)
            {
                ticks.Add(Math.Pow(10, e));
            }

            return new Scale(Math.Pow(10, lowExponent), Math.Pow(10, highExponent), from, to, true, ticks);
        }

        if (includeZero)
        {
            min = Math.Min(min, 0);
            max = Math.Max(max, 0);
        }

        if (max - min < 1e-12 * Math.Max(1, Math.Abs(max)))
        {
            double pad = Math.Abs(max) > 0 ? Math.Abs(max) * 0.1 : 1;
            min -= includeZero && min == 0 ? 0 : pad;
            max += pad;
        }

        double step = NiceStep((max - min) / 5);
        double low = Math.Floor(min / step) * step, high = Math.Ceiling(max / step) * step;
        var linear = new List<double>();
        for (double t = low; t <= high + step / 2; t += step)
        {
            linear.Add(Math.Round(t / step) * step);
        }

        return new Scale(low, high, from, to, false, linear);
    }

    /// <summary>The pixel position of <paramref name="value"/> (clamped to the axis).</summary>
    public double Map(double value)
    {
        double fraction = Log
            ? (Math.Log10(Math.Max(value, _low)) - Math.Log10(_low)) / (Math.Log10(_high) - Math.Log10(_low))
            : (value - _low) / (_high - _low);
        return _from + Math.Clamp(fraction, 0, 1) * (_to - _from);
    }

    /// <summary>A tick's label: short, with SI suffixes for large numbers and as many decimals as the step needs.</summary>
    public string Label(double value) => Format(value, Ticks.Count > 1 && !Log ? Math.Abs(Ticks[1] - Ticks[0]) : Math.Abs(value));

    public static string Format(double value, double resolution)
    {
        double magnitude = Math.Abs(value);
        if (magnitude >= 1e9) return (value / 1e9).ToString("0.#", CultureInfo.InvariantCulture) + "G";
        if (magnitude >= 1e6) return (value / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + "M";
        if (magnitude >= 1e4) return (value / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "k";
        if (value == 0) return "0";
        if (magnitude < 1e-3) return value.ToString("0.##e0", CultureInfo.InvariantCulture);

        // As many decimals as the resolution shows (a step of 0.25 needs two; of 5, none).
        string step = Math.Abs(resolution).ToString("0.######", CultureInfo.InvariantCulture);
        int decimals = step.Contains('.') ? step.Length - step.IndexOf('.') - 1 : 0;
        return value.ToString("F" + Math.Min(decimals, 4), CultureInfo.InvariantCulture);
    }

    private static double NiceStep(double rough)
    {
        double exponent = Math.Floor(Math.Log10(rough));
        double fraction = rough / Math.Pow(10, exponent);
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
        return nice * Math.Pow(10, exponent);
    }
}
