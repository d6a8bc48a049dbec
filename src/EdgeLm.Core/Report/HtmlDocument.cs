using System.Net;
using System.Text;

namespace EdgeLm.Core.Report;

/// <summary>
/// The report page: one HTML file with its style inline and no script, link or address of any kind, so it opens from
/// a USB stick on an air-gapped laptop, reads on a phone (the charts scale to the width) and prints (a figure is never
/// split across pages, and colours print as they show).
/// </summary>
internal sealed class HtmlDocument
{
    /// <summary>The generator mark: a report may be overwritten by the next one; any other file is refused.</summary>
    public const string Generator = "EdgeLm report";

    private const string Style = """
        :root { color-scheme: light; }
        body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1a1a1a; margin: 0 auto; max-width: 60rem; padding: 0 1rem 3rem; }
        h1 { font-size: 1.6rem; margin: 1.5rem 0 0.25rem; }
        h2 { font-size: 1.25rem; margin: 2.2rem 0 0.5rem; border-bottom: 2px solid #0072B2; padding-bottom: 0.2rem; }
        h3 { font-size: 1.05rem; margin: 1.2rem 0 0.3rem; }
        p.lead { color: #444; margin-top: 0; }
        figure { margin: 1rem 0 1.6rem; break-inside: avoid; page-break-inside: avoid; }
        figcaption { font-size: 0.9rem; color: #333; margin-top: 0.3rem; }
        svg.chart { width: 100%; height: auto; display: block; font: 11px system-ui, "DejaVu Sans", sans-serif; }
        svg .grid { stroke: #e3e3e3; stroke-width: 1; }
        svg .axis { stroke: #555; stroke-width: 1; }
        svg .tick, svg .row-label { fill: #333; }
        svg .axis-label { fill: #222; font-weight: 600; }
        svg .whisker { stroke: #111; stroke-width: 1.3; }
        svg .reference { stroke: #444; stroke-width: 1.3; }
        svg .reference-label { fill: #333; font-style: italic; paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
        svg .range { stroke-width: 2; }
        svg .median { stroke-width: 3; }
        svg .tick-mark { stroke-width: 1.5; }
        svg .tick-name { font-size: 9px; fill: #444; }
        svg .series-line { stroke-width: 2; }
        table { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0 1rem; }
        caption { caption-side: bottom; text-align: left; font-size: 0.85rem; color: #333; padding-top: 0.3rem; }
        th, td { border: 1px solid #ccc; padding: 0.2rem 0.45rem; text-align: left; vertical-align: top; }
        td.number { text-align: right; font-variant-numeric: tabular-nums; }
        th { background: #f0f4f8; }
        .scroll { overflow-x: auto; }
        .note { background: #fff8e1; border-left: 4px solid #E69F00; padding: 0.4rem 0.7rem; margin: 0.6rem 0; }
        .missing { color: #555; font-style: italic; }
        dl.environment { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; margin: 0.4rem 0 1rem; }
        dl.environment dt { font-weight: 600; }
        dl.environment dd { margin: 0; }
        @media print { body { max-width: none; font-size: 11pt; } h2 { break-after: avoid; } .scroll { overflow: visible; } * { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
        """;

    private readonly StringBuilder _body = new();
    private int _figures;

    public int Figures => _figures;

    public void Heading(int level, string text, string? id = null) =>
        _body.Append($"<h{level}{(id is null ? string.Empty : $" id=\"{id}\"")}>{Encode(text)}</h{level}>\n");

    public void Paragraph(string text, string? cssClass = null) =>
        _body.Append($"<p{(cssClass is null ? string.Empty : $" class=\"{cssClass}\"")}>{Encode(text)}</p>\n");

    public void Note(string text) => Paragraph(text, "note");

    /// <summary>A numbered figure: a chart and a caption that says what it shows and how it was measured.</summary>
    public void Figure(string svg, string caption)
    {
        _figures++;
        _body.Append($"<figure>{svg}<figcaption><strong>Figure {_figures}.</strong> {Encode(caption)}</figcaption></figure>\n");
    }

    /// <summary>Terms and their values (the environment header).</summary>
    public void Definitions(IEnumerable<(string Term, string Value)> items)
    {
        _body.Append("<dl class=\"environment\">");
        foreach ((string term, string value) in items)
        {
            _body.Append($"<dt>{Encode(term)}</dt><dd>{Encode(value)}</dd>");
        }

        _body.Append("</dl>\n");
    }

    /// <summary>A table; cells whose column is numeric are right-aligned.</summary>
    public void Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, IReadOnlySet<int>? numeric = null, string? caption = null)
    {
        _body.Append("<div class=\"scroll\"><table>");
        if (caption is not null)
        {
            _body.Append($"<caption>{Encode(caption)}</caption>");
        }

        _body.Append("<thead><tr>").Append(string.Concat(header.Select(h => $"<th>{Encode(h)}</th>"))).Append("</tr></thead><tbody>");
        foreach (IReadOnlyList<string> row in rows)
        {
            _body.Append("<tr>");
            for (int i = 0; i < row.Count; i++)
            {
                _body.Append(numeric?.Contains(i) == true ? $"<td class=\"number\">{Encode(row[i])}</td>" : $"<td>{Encode(row[i])}</td>");
            }

            _body.Append("</tr>");
        }

        _body.Append("</tbody></table></div>\n");
    }

    public string Render(string title, string generatorVersion) =>
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n" +
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n" +
        $"<meta name=\"generator\" content=\"{Generator} {Encode(generatorVersion)}\">\n" +
        // No request may leave the page, whatever a value in it says: the browser enforces what the report promises.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n" +
        $"<title>{Encode(title)}</title>\n<style>\n{Style}\n</style>\n</head>\n<body>\n{_body}</body>\n</html>\n";

    public static string Encode(string text) => WebUtility.HtmlEncode(text);
}
