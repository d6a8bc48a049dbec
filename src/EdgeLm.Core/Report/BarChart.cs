using System.Text;

namespace EdgeLm.Core.Report;

/// <summary>One bar: its value, an interval to draw as whiskers (a 95% confidence interval), and its tooltip.</summary>
internal sealed record BarValue(double Value, double? Low, double? High, string Tooltip);

/// <summary>A row of the chart: a configuration, with one bar per series (a device); null where a series has none.</summary>
internal sealed record BarRow(string Label, IReadOnlyList<BarValue?> Values);

/// <summary>A labelled vertical line across the bars, such as a cloud price.</summary>
internal sealed record ReferenceLine(double Value, string Label);

/// <summary>
/// Horizontal bars, one row per configuration (long labels read across, and a phone scrolls down, not sideways),
/// one bar per series in each row, hatched per series for greyscale, with whiskers for intervals.
/// </summary>
internal sealed class BarChart
{
    private const double Width = 760;
    private const double BarHeight = 12;

    public required string Id { get; init; }
    public required string Description { get; init; }
    public required string Axis { get; init; }
    public IReadOnlyList<string> Series { get; init; } = new[] { string.Empty };
    public required IReadOnlyList<BarRow> Rows { get; init; }
    public bool LogScale { get; init; }
    public IReadOnlyList<ReferenceLine> References { get; init; } = Array.Empty<ReferenceLine>();

    public string Render()
    {
        var svg = new StringBuilder();
        double labelWidth = Math.Min(300, Rows.Select(r => Svg.TextWidth(r.Label)).DefaultIfEmpty(40).Max() + 12);
        double left = labelWidth, right = Width - 24;
        var body = new StringBuilder();
        double legendHeight = Legend.Draw(body, Series, left, 0, right - left, (i, x, y) =>
            $"<rect x=\"{Svg.N(x - 5)}\" y=\"{Svg.N(y - 5)}\" width=\"10\" height=\"10\" fill=\"{ChartStyle.Fill(i, Id)}\" stroke=\"{ChartStyle.Colour(i)}\"/>");
        double referenceHeight = References.Count > 0 ? 16 * References.Count : 0;
        double top = legendHeight + referenceHeight + 6;
        double rowHeight = Series.Count * BarHeight + 10;
        double plotBottom = top + Rows.Count * rowHeight;
        double height = plotBottom + 36;

        IEnumerable<double> values = Rows.SelectMany(r => r.Values.OfType<BarValue>())
            .SelectMany(v => new[] { v.Value, v.Low ?? v.Value, v.High ?? v.Value }).Concat(References.Select(r => r.Value));
        Scale x = Scale.For(values, left, right, LogScale);

        Svg.Open(svg, Width, height, Description);
        svg.Append("<defs>");
        for (int s = 0; s < Series.Count; s++)
        {
            svg.Append(ChartStyle.PatternDefinition(s, Id));
        }

        svg.Append("</defs>").Append(body);
        foreach (double tick in x.Ticks)
        {
            double px = x.Map(tick);
            Svg.Line(svg, px, top, px, plotBottom, "grid");
            Svg.Text(svg, px, plotBottom + 14, x.Label(tick), "middle", "tick");
        }

        Svg.Text(svg, (left + right) / 2, plotBottom + 30, Axis + (LogScale ? " (log scale)" : string.Empty), "middle", "axis-label");
        Svg.Line(svg, left, top, left, plotBottom, "axis");
        for (int r = 0; r < Rows.Count; r++)
        {
            BarRow row = Rows[r];
            double rowTop = top + r * rowHeight + 5;
            Svg.Text(svg, left - 6, rowTop + Series.Count * BarHeight / 2 + 4, row.Label, "end", "row-label");
            for (int s = 0; s < row.Values.Count; s++)
            {
                if (row.Values[s] is not BarValue bar)
                {
                    continue;
                }

                double y = rowTop + s * BarHeight;
                double x0 = x.Map(LogScale ? x.Low : Math.Max(0, x.Low)), x1 = x.Map(bar.Value);
                svg.Append($"<rect class=\"mark\" x=\"{Svg.N(Math.Min(x0, x1))}\" y=\"{Svg.N(y + 1)}\" width=\"{Svg.N(Math.Max(1, Math.Abs(x1 - x0)))}\" height=\"{Svg.N(BarHeight - 2)}\" fill=\"{ChartStyle.Fill(s, Id)}\" stroke=\"{ChartStyle.Colour(s)}\">{Svg.Title(bar.Tooltip)}</rect>");
                if (bar.Low is double low && bar.High is double high)
                {
                    double mid = y + BarHeight / 2;
                    Svg.Line(svg, x.Map(low), mid, x.Map(high), mid, "whisker");
                    Svg.Line(svg, x.Map(low), mid - 3, x.Map(low), mid + 3, "whisker");
                    Svg.Line(svg, x.Map(high), mid - 3, x.Map(high), mid + 3, "whisker");
                }
            }
        }

        for (int i = 0; i < References.Count; i++)
        {
            ReferenceLine line = References[i];
            double px = x.Map(line.Value);
            Svg.Line(svg, px, legendHeight + 16 * i + 10, px, plotBottom, "reference", dash: "4 3");
            Svg.Text(svg, Math.Min(px + 4, right - Svg.TextWidth(line.Label)), legendHeight + 16 * i + 14, line.Label, "start", "reference-label");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }
}
