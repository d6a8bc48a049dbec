using System.Globalization;
using System.Net;
using System.Text;

namespace EdgeLm.Core.Report;

/// <summary>
/// The few SVG pieces the report's charts are made of, written as text: numbers in the invariant culture with one
/// decimal (a pixel is the resolution), text escaped. No namespace URI: inline SVG in HTML needs none, and the report
/// holds no address of any kind (a test checks).
/// </summary>
internal static class Svg
{
    public static string N(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    /// <summary>About how wide a text is at the charts' 11 px font: for laying labels out, not for measuring them.</summary>
    public static double TextWidth(string text, double fontSize = 11) => text.Length * fontSize * 0.56;

    public static void Text(StringBuilder svg, double x, double y, string text, string anchor = "start", string? cssClass = null, double? rotate = null)
    {
        svg.Append($"<text x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"{anchor}\"");
        if (cssClass is not null)
        {
            svg.Append($" class=\"{cssClass}\"");
        }

        if (rotate is double angle)
        {
            svg.Append($" transform=\"rotate({N(angle)} {N(x)} {N(y)})\"");
        }

        svg.Append('>').Append(Escape(text)).Append("</text>");
    }

    public static void Line(StringBuilder svg, double x1, double y1, double x2, double y2, string cssClass, string? stroke = null, string? dash = null)
    {
        svg.Append($"<line x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\" class=\"{cssClass}\"");
        if (stroke is not null)
        {
            svg.Append($" stroke=\"{stroke}\"");
        }

        if (dash is not null)
        {
            svg.Append($" stroke-dasharray=\"{dash}\"");
        }

        svg.Append("/>");
    }

    /// <summary>A tooltip: browsers show an element's first &lt;title&gt; child on hover.</summary>
    public static string Title(string text) => $"<title>{Escape(text)}</title>";

    /// <summary>Opens a chart: a scalable SVG with a text alternative for screen readers.</summary>
    public static void Open(StringBuilder svg, double width, double height, string label) =>
        svg.Append($"<svg class=\"chart\" viewBox=\"0 0 {N(width)} {N(height)}\" role=\"img\" aria-label=\"{Escape(label)}\">");
}
