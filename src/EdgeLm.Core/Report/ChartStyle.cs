namespace EdgeLm.Core.Report;

/// <summary>
/// How series are told apart: the Okabe-Ito colours (distinct for the common colour-vision deficiencies) and, for
/// greyscale print, a marker shape, a dash pattern and a bar hatch per series as well, so no distinction rests on
/// hue alone.
/// </summary>
internal static class ChartStyle
{
    private static readonly string[] Colours = { "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000" };
    private static readonly string[] Dashes = { "", "6 3", "2 2", "8 3 2 3", "1 3", "10 4" };

    public static string Colour(int series) => Colours[series % Colours.Length];

    /// <summary>An SVG stroke-dasharray for a series' lines (the first solid).</summary>
    public static string? Dash(int series) => Dashes[series % Dashes.Length] is { Length: > 0 } dash ? dash : null;

    /// <summary>The hatch a series' bars are filled with (none for the first), defined once per chart.</summary>
    public static string PatternDefinition(int series, string chartId)
    {
        string colour = Colour(series);
        string id = PatternId(series, chartId);
        return (series % 4) switch
        {
            1 => $"<pattern id=\"{id}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"{colour}\" opacity=\"0.35\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"{colour}\" stroke-width=\"3\"/></pattern>",
            2 => $"<pattern id=\"{id}\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\"><rect width=\"5\" height=\"5\" fill=\"{colour}\" opacity=\"0.3\"/><circle cx=\"2.5\" cy=\"2.5\" r=\"1.3\" fill=\"{colour}\"/></pattern>",
            3 => $"<pattern id=\"{id}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect width=\"6\" height=\"6\" fill=\"{colour}\" opacity=\"0.3\"/><path d=\"M0 3H6M3 0V6\" stroke=\"{colour}\" stroke-width=\"1.2\"/></pattern>",
            _ => string.Empty,
        };
    }

    /// <summary>A bar's fill for a series: its colour, or its hatch (see <see cref="PatternDefinition"/>).</summary>
    public static string Fill(int series, string chartId) => series % 4 == 0 ? Colour(series) : $"url(#{PatternId(series, chartId)})";

    private static string PatternId(int series, string chartId) => $"{chartId}-p{series}";

    /// <summary>A data point: one of six marker shapes centred on (x, y), with its tooltip, counted as a mark.</summary>
    public static string Marker(int series, double x, double y, string tooltip, double size = 4.5)
    {
        string c = Colour(series);
        string X(double v) => Svg.N(v);
        (string tag, string attributes) = (series % 6) switch
        {
            0 => ("circle", $"cx=\"{X(x)}\" cy=\"{X(y)}\" r=\"{X(size)}\" fill=\"{c}\""),
            1 => ("rect", $"x=\"{X(x - size)}\" y=\"{X(y - size)}\" width=\"{X(2 * size)}\" height=\"{X(2 * size)}\" fill=\"{c}\""),
            2 => ("path", $"d=\"M{X(x)} {X(y - size * 1.2)}L{X(x + size * 1.1)} {X(y + size * 0.8)}L{X(x - size * 1.1)} {X(y + size * 0.8)}Z\" fill=\"{c}\""),
            3 => ("path", $"d=\"M{X(x)} {X(y - size * 1.3)}L{X(x + size * 1.1)} {X(y)}L{X(x)} {X(y + size * 1.3)}L{X(x - size * 1.1)} {X(y)}Z\" fill=\"{c}\""),
            4 => ("circle", $"cx=\"{X(x)}\" cy=\"{X(y)}\" r=\"{X(size)}\" fill=\"#fff\" stroke=\"{c}\" stroke-width=\"2\""),
            _ => ("path", $"d=\"M{X(x - size)} {X(y - size)}L{X(x + size)} {X(y + size)}M{X(x + size)} {X(y - size)}L{X(x - size)} {X(y + size)}\" stroke=\"{c}\" stroke-width=\"2.2\" fill=\"none\""),
        };
        return $"<{tag} class=\"mark\" {attributes}>{Svg.Title(tooltip)}</{tag}>";
    }
}
