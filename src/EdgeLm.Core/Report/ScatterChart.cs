using System.Text;

namespace EdgeLm.Core.Report;

/// <summary>A point of a scatter chart, with its tooltip.</summary>
internal sealed record ScatterPoint(double X, double Y, string Tooltip);

/// <summary>
/// A named set of points drawn in one style (<see cref="Style"/> picks colour, marker and dash); with
/// <see cref="Line"/> its points are joined in order, and without <see cref="Markers"/> only the line is drawn (a
/// Pareto front, a prediction).
/// </summary>
/// A series with an empty name is left out of the legend (its caption explains it); <see cref="Hollow"/> draws rings
/// around its points (a prediction beside the measured points of its style, or a Pareto front over them).
internal sealed record ScatterSeries(string Name, IReadOnlyList<ScatterPoint> Points, int Style, bool Markers = true, bool Line = false, bool Dashed = false, bool Hollow = false);

/// <summary>A labelled horizontal line across the plot, such as a board's memory.</summary>
internal sealed record LevelLine(double Value, string Label);

/// <summary>Points on two value axes: the speed-energy plane, speed against memory or quality, memory against context.</summary>
internal sealed class ScatterChart
{
    private const double Width = 760;
    private const double PlotHeight = 300;

    public required string Id { get; init; }
    public required string Description { get; init; }
    public required string XAxis { get; init; }
    public required string YAxis { get; init; }
    public required IReadOnlyList<ScatterSeries> Series { get; init; }
    public IReadOnlyList<LevelLine> Levels { get; init; } = Array.Empty<LevelLine>();
    public bool XLog { get; init; }
    public bool YLog { get; init; }
    public bool XFromZero { get; init; } = true;
    public bool YFromZero { get; init; } = true;

    public string Render()
    {
        double left = 70, right = Width - 20;
        var legend = new StringBuilder();
        ScatterSeries[] named = Series.Where(s => s.Name.Length > 0).ToArray();
        double legendHeight = Legend.Draw(legend, named.Select(s => s.Name).ToArray(), left, 0, right - left, (i, x, y) => Swatch(named[i], x, y));
        double top = legendHeight + 8, bottom = top + PlotHeight;
        double height = bottom + 40;
        ScatterPoint[] all = Series.SelectMany(s => s.Points).ToArray();
        Scale xs = Scale.For(all.Select(p => p.X), left, right, XLog, XFromZero);
        Scale ys = Scale.For(all.Select(p => p.Y).Concat(Levels.Select(l => l.Value)), bottom, top, YLog, YFromZero);

        var svg = new StringBuilder();
        Svg.Open(svg, Width, height, Description);
        svg.Append(legend);
        foreach (double tick in xs.Ticks)
        {
            Svg.Line(svg, xs.Map(tick), top, xs.Map(tick), bottom, "grid");
            Svg.Text(svg, xs.Map(tick), bottom + 14, xs.Label(tick), "middle", "tick");
        }

        foreach (double tick in ys.Ticks)
        {
            Svg.Line(svg, left, ys.Map(tick), right, ys.Map(tick), "grid");
            Svg.Text(svg, left - 6, ys.Map(tick) + 4, ys.Label(tick), "end", "tick");
        }

        Svg.Line(svg, left, bottom, right, bottom, "axis");
        Svg.Line(svg, left, top, left, bottom, "axis");
        Svg.Text(svg, (left + right) / 2, bottom + 32, XAxis + (XLog ? " (log scale)" : string.Empty), "middle", "axis-label");
        Svg.Text(svg, 14, (top + bottom) / 2, YAxis + (YLog ? " (log scale)" : string.Empty), "middle", "axis-label", rotate: -90);
        foreach (LevelLine level in Levels)
        {
            double y = ys.Map(level.Value);
            Svg.Line(svg, left, y, right, y, "reference", dash: "4 3");
            Svg.Text(svg, right - 4, y - 4, level.Label, "end", "reference-label");
        }

        foreach (ScatterSeries series in Series)
        {
            if (series.Line && series.Points.Count > 1)
            {
                string points = string.Join(' ', series.Points.Select(p => $"{Svg.N(xs.Map(p.X))},{Svg.N(ys.Map(p.Y))}"));
                string dash = series.Dashed ? " stroke-dasharray=\"6 4\"" : ChartStyle.Dash(series.Style) is string d ? $" stroke-dasharray=\"{d}\"" : string.Empty;
                svg.Append($"<polyline class=\"series-line\" points=\"{points}\" fill=\"none\" stroke=\"{ChartStyle.Colour(series.Style)}\"{dash}/>");
            }

            if (series.Markers)
            {
                foreach (ScatterPoint point in series.Points)
                {
                    svg.Append(series.Hollow
                        ? $"<circle class=\"mark\" cx=\"{Svg.N(xs.Map(point.X))}\" cy=\"{Svg.N(ys.Map(point.Y))}\" r=\"6\" fill=\"none\" stroke=\"{ChartStyle.Colour(series.Style)}\" stroke-width=\"1.5\">{Svg.Title(point.Tooltip)}</circle>"
                        : ChartStyle.Marker(series.Style, xs.Map(point.X), ys.Map(point.Y), point.Tooltip));
                }
            }
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Swatch(ScatterSeries series, double x, double y)
    {
        if (series.Hollow)
        {
            return $"<line x1=\"{Svg.N(x - 7)}\" y1=\"{Svg.N(y)}\" x2=\"{Svg.N(x + 7)}\" y2=\"{Svg.N(y)}\" stroke=\"{ChartStyle.Colour(series.Style)}\" stroke-width=\"2\"/>" +
                $"<circle cx=\"{Svg.N(x)}\" cy=\"{Svg.N(y)}\" r=\"5\" fill=\"none\" stroke=\"{ChartStyle.Colour(series.Style)}\" stroke-width=\"1.5\"/>";
        }

        if (series.Markers)
        {
            return ChartStyle.Marker(series.Style, x, y, series.Name, 4).Replace("class=\"mark\"", "class=\"swatch\"");
        }

        string dash = series.Dashed ? " stroke-dasharray=\"6 4\"" : string.Empty;
        return $"<line x1=\"{Svg.N(x - 7)}\" y1=\"{Svg.N(y)}\" x2=\"{Svg.N(x + 7)}\" y2=\"{Svg.N(y)}\" stroke=\"{ChartStyle.Colour(series.Style)}\" stroke-width=\"2\"{dash}/>";
    }
}
