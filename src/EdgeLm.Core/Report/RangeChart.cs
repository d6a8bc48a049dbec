using System.Text;

namespace EdgeLm.Core.Report;

/// <summary>
/// One row of a distribution: the whole range (a thin line), the middle half when known (a box), the median (a
/// thick tick) and further named ticks (P95, P99).
/// </summary>
internal sealed record RangeRow(string Label, int Series, double Min, double? Q1, double Median, double? Q3, double Max, string Tooltip,
    IReadOnlyList<(double Value, string Name)>? Ticks = null);

/// <summary>Distributions side by side, one row each: time to first token over the runs, inter-token latency percentiles.</summary>
internal sealed class RangeChart
{
    private const double Width = 760;
    private const double RowHeight = 22;

    public required string Id { get; init; }
    public required string Description { get; init; }
    public required string Axis { get; init; }
    public IReadOnlyList<string> Series { get; init; } = new[] { string.Empty };
    public required IReadOnlyList<RangeRow> Rows { get; init; }
    public bool LogScale { get; init; }

    public string Render()
    {
        double labelWidth = Math.Min(300, Rows.Select(r => Svg.TextWidth(r.Label)).DefaultIfEmpty(40).Max() + 12);
        double left = labelWidth, right = Width - 24;
        var legend = new StringBuilder();
        double legendHeight = Legend.Draw(legend, Series, left, 0, right - left, (i, x, y) =>
            $"<rect x=\"{Svg.N(x - 5)}\" y=\"{Svg.N(y - 5)}\" width=\"10\" height=\"10\" fill=\"{ChartStyle.Colour(i)}\" opacity=\"0.4\" stroke=\"{ChartStyle.Colour(i)}\"/>");
        double top = legendHeight + 6, bottom = top + Rows.Count * RowHeight;
        Scale x = Scale.For(Rows.SelectMany(r => new[] { r.Min, r.Max }), left, right, LogScale);

        var svg = new StringBuilder();
        Svg.Open(svg, Width, bottom + 36, Description);
        svg.Append(legend);
        foreach (double tick in x.Ticks)
        {
            Svg.Line(svg, x.Map(tick), top, x.Map(tick), bottom, "grid");
            Svg.Text(svg, x.Map(tick), bottom + 14, x.Label(tick), "middle", "tick");
        }

        Svg.Text(svg, (left + right) / 2, bottom + 30, Axis + (LogScale ? " (log scale)" : string.Empty), "middle", "axis-label");
        Svg.Line(svg, left, top, left, bottom, "axis");
        for (int r = 0; r < Rows.Count; r++)
        {
            RangeRow row = Rows[r];
            string colour = ChartStyle.Colour(row.Series);
            double y = top + r * RowHeight + RowHeight / 2;
            Svg.Text(svg, left - 6, y + 4, row.Label, "end", "row-label");
            svg.Append($"<g class=\"mark\">{Svg.Title(row.Tooltip)}");
            Svg.Line(svg, x.Map(row.Min), y, x.Map(row.Max), y, "range", colour);
            if (row.Q1 is double q1 && row.Q3 is double q3)
            {
                svg.Append($"<rect x=\"{Svg.N(x.Map(q1))}\" y=\"{Svg.N(y - 6)}\" width=\"{Svg.N(Math.Max(1, x.Map(q3) - x.Map(q1)))}\" height=\"12\" fill=\"{colour}\" fill-opacity=\"0.35\" stroke=\"{colour}\"/>");
            }

            Svg.Line(svg, x.Map(row.Median), y - 7, x.Map(row.Median), y + 7, "median", colour);
            double labelledAt = x.Map(row.Median);
            foreach ((double value, string name) in row.Ticks ?? Array.Empty<(double, string)>())
            {
                Svg.Line(svg, x.Map(value), y - 4, x.Map(value), y + 4, "tick-mark", colour);
                // A name only where it has room: ticks a few pixels apart would print over each other.
                if (x.Map(value) - labelledAt >= 16)
                {
                    Svg.Text(svg, x.Map(value), y - 6, name, "middle", "tick-name");
                    labelledAt = x.Map(value);
                }
            }

            svg.Append("</g>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }
}
