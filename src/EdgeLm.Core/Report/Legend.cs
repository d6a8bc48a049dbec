using System.Text;

namespace EdgeLm.Core.Report;

/// <summary>A one-line legend across the top of a chart: each series' marker (or hatch) and name, wrapped to the width.</summary>
internal static class Legend
{
    public const double LineHeight = 18;

    /// <summary>Draws the legend from (left, top) within <paramref name="width"/>; returns the height it took (0 for a single series).</summary>
    public static double Draw(StringBuilder svg, IReadOnlyList<string> names, double left, double top, double width, Func<int, double, double, string> swatch)
    {
        if (names.Count <= 1)
        {
            // One series (one device) needs no key: the caption names it.
            return 0;
        }

        double x = left, y = top + 12;
        for (int i = 0; i < names.Count; i++)
        {
            double itemWidth = 18 + Svg.TextWidth(names[i]) + 14;
            if (x + itemWidth > left + width && x > left)
            {
                x = left;
                y += LineHeight;
            }

            svg.Append("<g class=\"legend\">").Append(swatch(i, x + 6, y - 4));
            Svg.Text(svg, x + 16, y, names[i]);
            svg.Append("</g>");
            x += itemWidth;
        }

        return y - top + 8;
    }
}
