using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace EdgeLm.Cli;

/// <summary>
/// Prints records to stdout as they arrive: a table, CSV (header once) or JSON Lines. The table is the record type's
/// default table view in the module's format file (module/EdgeLm.Format.ps1xml, embedded in this assembly): the
/// columns, labels, widths, alignment, wrapping and grouping Format-Table shows in PowerShell, one definition for both.
/// </summary>
internal sealed class RecordPrinter
{
    private readonly TextWriter _out;
    private readonly OutputFormat _format;
    private readonly HashSet<Type> _headerWritten = new();

    // Per table type: the group (GroupBy value) whose header was printed last.
    private readonly Dictionary<string, string?> _tables = new(StringComparer.Ordinal);

    public RecordPrinter(TextWriter output, OutputFormat format)
    {
        _out = output;
        _format = format;
    }

    public void Print(object record)
    {
        switch (_format)
        {
            case OutputFormat.Json:
                _out.WriteLine(RecordText.ToJsonLine(record));
                break;
            case OutputFormat.Csv:
                if (_headerWritten.Add(record.GetType()))
                {
                    _out.WriteLine(RecordText.CsvHeader(record));
                }

                _out.WriteLine(RecordText.ToCsvLine(record));
                break;
            default:
                foreach (string line in TableLines(record))
                {
                    _out.WriteLine(line);
                }

                break;
        }

        _out.Flush();
    }

    // Rows are printed as they complete: the header once per type, and again under each new group as PowerShell does.
    private List<string> TableLines(object record)
    {
        string typeName = record is IFlatRecord flat ? flat.GetTypeName() : record.GetType().FullName!;
        TableView view = TableView.For(typeName);
        var fields = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach ((string name, object? value) in RecordText.FieldsOf(record))
        {
            fields.TryAdd(name, value);
        }

        Func<string, object?> get = name => fields.GetValueOrDefault(name);
        var lines = new List<string>();
        string? group = view.GroupBy is { } grouping ? TableView.Text(get(grouping.Property)) : null;
        bool first = !_tables.TryGetValue(typeName, out string? shown);
        if (first || (view.GroupBy is not null && shown != group))
        {
            if (view.GroupBy is { } groupBy)
            {
                if (!first)
                {
                    lines.Add(string.Empty);
                }

                lines.Add($"   {groupBy.Label}: {group}");
                lines.Add(string.Empty);
            }

            lines.AddRange(view.Header());
            _tables[typeName] = group;
        }

        lines.AddRange(view.Row(get));
        return lines;
    }
}

/// <summary>
/// A type's default table view (the first TableControl view that selects its type name, as Format-Table picks it),
/// read from the format file embedded as <see cref="ResourceName"/>.
/// </summary>
internal sealed class TableView
{
    public const string ResourceName = "EdgeLm.Format.ps1xml";

    private static readonly Lazy<IReadOnlyDictionary<string, XElement>> Tables = new(() => DefaultTables(LoadFormatFile()));
    private static readonly ConcurrentDictionary<string, TableView> Views = new(StringComparer.Ordinal);

    private readonly bool _wrap;

    public TableView(XElement view)
    {
        XElement table = view.Element("TableControl") ?? throw new InvalidOperationException($"the view {(string?)view.Element("Name")} is not a table");
        XElement[] headers = table.Element("TableHeaders")?.Elements("TableColumnHeader").ToArray() ?? Array.Empty<XElement>();
        XElement entry = table.Element("TableRowEntries")?.Elements("TableRowEntry").Single()
            ?? throw new InvalidOperationException("a table view without a row entry");
        XElement[] items = entry.Element("TableColumnItems")?.Elements("TableColumnItem").ToArray() ?? Array.Empty<XElement>();
        if (headers.Length != items.Length)
        {
            throw new InvalidOperationException($"{headers.Length} column headers but {items.Length} column items");
        }

        _wrap = entry.Element("Wrap") is not null;
        Columns = headers.Zip(items, (header, item) => new TableColumn(
            (string?)header.Element("Label") ?? (string?)item.Element("PropertyName") ?? throw new InvalidOperationException("a column with neither Label nor PropertyName"),
            (int?)header.Element("Width") ?? throw new InvalidOperationException($"the column {(string?)header.Element("Label")} has no Width"),
            (string?)header.Element("Alignment") == "Right",
            Value(item))).ToArray();
        if (view.Element("GroupBy") is { } groupBy)
        {
            string property = (string?)groupBy.Element("PropertyName") ?? throw new InvalidOperationException("GroupBy without a PropertyName");
            GroupBy = (property, (string?)groupBy.Element("Label") ?? property);
        }
    }

    public IReadOnlyList<TableColumn> Columns { get; }

    /// <summary>The property rows are grouped by and the label of a group's heading; null when not grouped.</summary>
    public (string Property, string Label)? GroupBy { get; }

    public static TableView For(string typeName) =>
        Views.GetOrAdd(typeName, name => Tables.Value.TryGetValue(name, out XElement? view)
            ? new TableView(view)
            : throw new InvalidOperationException($"{ResourceName} has no table view for {name}"));

    public static XDocument LoadFormatFile()
    {
        using Stream stream = typeof(TableView).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded in {typeof(TableView).Assembly.GetName().Name}");
        return XDocument.Load(stream);
    }

    /// <summary>Each type name's first table view.</summary>
    public static IReadOnlyDictionary<string, XElement> DefaultTables(XDocument format)
    {
        var tables = new Dictionary<string, XElement>(StringComparer.Ordinal);
        foreach (XElement view in format.Root?.Element("ViewDefinitions")?.Elements("View") ?? Enumerable.Empty<XElement>())
        {
            if (view.Element("TableControl") is not null)
            {
                foreach (XElement typeName in view.Element("ViewSelectedBy")?.Elements("TypeName") ?? Enumerable.Empty<XElement>())
                {
                    tables.TryAdd(typeName.Value.Trim(), view);
                }
            }
        }

        return tables;
    }

    /// <summary>A value as PowerShell shows it in a table: blank for null, True/False, numbers invariant.</summary>
    public static string Text(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        _ => RecordText.Invariant(value),
    };

    /// <summary>The label line and the line underlining each label.</summary>
    public IEnumerable<string> Header()
    {
        yield return Line(Columns.Select(c => c.Label));
        yield return Line(Columns.Select(c => new string('-', c.Label.Length)));
    }

    /// <summary>A record's row: one line, or more where a value wraps in its column.</summary>
    public IEnumerable<string> Row(Func<string, object?> get)
    {
        string[][] cells = Columns.Select(c => Fit(Text(c.Value(get)), c.Width)).ToArray();
        int height = cells.Max(c => c.Length);
        for (int line = 0; line < height; line++)
        {
            yield return Line(cells.Select(c => line < c.Length ? c[line] : string.Empty));
        }
    }

    private string Line(IEnumerable<string> cells) =>
        string.Join(" ", cells.Select((text, i) => Columns[i].AlignRight ? text.PadLeft(Columns[i].Width) : text.PadRight(Columns[i].Width))).TrimEnd();

    // With <Wrap/>, as Format-Table wraps: each line of the text cut into pieces of the column's width, mid-word too.
    // Without, the text is cut with '…'.
    private string[] Fit(string text, int width)
    {
        string[] paragraphs = text.ReplaceLineEndings("\n").Split('\n');
        if (!_wrap)
        {
            string first = paragraphs[0];
            return new[] { first.Length <= width ? first : first[..(width - 1)] + "…" };
        }

        return paragraphs.SelectMany(p => p.Length == 0 ? new[] { p } : p.Chunk(width).Select(piece => new string(piece))).ToArray();
    }

    private static Func<Func<string, object?>, object?> Value(XElement item)
    {
        if ((string?)item.Element("PropertyName") is { } property)
        {
            return get => get(property.Trim());
        }

        string script = (string?)item.Element("ScriptBlock") ?? throw new InvalidOperationException("a column item with neither PropertyName nor ScriptBlock");
        return ScriptColumns.Compile(script)
            ?? throw new NotSupportedException($"edgelm cannot show the format view's script block {{ {script} }}: a new form needs a renderer in ScriptColumns");
    }
}

/// <summary>A table column: its header and how its value is read from a record's fields.</summary>
internal sealed record TableColumn(string Label, int Width, bool AlignRight, Func<Func<string, object?>, object?> Value);

/// <summary>
/// The script blocks of the format views, rendered in C# by their form: each form below is a script's text with
/// placeholders for what varies (property names «P» «Q» «R», format strings «T» «S» «V» «W», a unit list «U», switch
/// cases «C»); white space is compared as single spaces. A script of any other form gets no renderer, and
/// TableViewTests fails for every default table view that has one.
/// </summary>
internal static class ScriptColumns
{
    // Format-Table's SI scaling, as the format file writes it for «X» (sizes in B/kB/MB/GB/TB, counts in K/M/B/T).
    private const string Scaled = "$v = [double]«X»; $i = 0; while ([math]::Abs($v) -ge 999.95 -and $i -lt 4) { $v /= 1000; $i++ }; '«W»' -f $v, («U»)[$i]";

    private static readonly (Regex Form, Func<Match, Func<Func<string, object?>, object?>> Renderer)[] Forms =
    {
        // A property through a format string: '{0:0.0}' -f $_.P.
        (Form("if ($null -ne $_.«P») { '«T»' -f $_.«P» }"),
            m => get => get(m.Groups["P"].Value) is { } v ? Format(m.Groups["T"].Value, v) : null),
        // A size or count with an SI prefix.
        (Form("if ($null -ne $_.«P») { " + Scaled.Replace("«X»", "$_.«P»") + " }"),
            m => get => get(m.Groups["P"].Value) is { } v ? Scale(Number(v), m) : null),
        // Two precisions: the first from 100 up.
        (Form("if ($null -ne ($x = $_.«P»)) { if ([math]::Abs($x) -ge 100) { '«T»' -f $x } else { '«S»' -f $x } }"),
            m => get => get(m.Groups["P"].Value) is { } v ? ByMagnitude(Number(v), m) : null),
        // A property through a format string, else a word when a second property has a value ('never').
        (Form("if ($null -ne $_.«P») { '«T»' -f $_.«P» } elseif ($null -ne $_.«Q») { '«S»' }"),
            m => get => get(m.Groups["P"].Value) is { } v ? Format(m.Groups["T"].Value, v) : get(m.Groups["Q"].Value) is not null ? m.Groups["S"].Value : null),
        // The first property when it has a value, else the second.
        (Form("if ($_.«P») { $_.«P» } else { $_.«Q» }"),
            m => get => IsTrue(get(m.Groups["P"].Value)) ? get(m.Groups["P"].Value) : get(m.Groups["Q"].Value)),
        // Two properties in one format string when either has a value.
        (Form("if ($null -ne $_.«P» -or $null -ne $_.«Q») { '«T»' -f $_.«P», $_.«Q» }"),
            m => get => get(m.Groups["P"].Value) is var p && get(m.Groups["Q"].Value) is var q && (p is not null || q is not null) ? Format(m.Groups["T"].Value, p, q) : null),
        // Half a confidence interval (high P, low Q) as percent of the mean R.
        (Form("if ($null -ne $_.«P» -and $null -ne $_.«Q» -and $_.«R») { $c = 50 * ($_.«P» - $_.«Q») / $_.«R»; if ([math]::Abs($c) -ge 100) { '«T»' -f $c } else { '«S»' -f $c } }"),
            m => get => get(m.Groups["P"].Value) is { } high && get(m.Groups["Q"].Value) is { } low && get(m.Groups["R"].Value) is { } mean && IsTrue(mean)
                ? ByMagnitude(50 * (Number(high) - Number(low)) / Number(mean), m) : null),
        // A ratio as percent change.
        (Form("if ($null -ne $_.«P») { $c = 100 * ($_.«P» - 1); if ([math]::Abs($c) -ge 100) { '«T»' -f $c } else { '«S»' -f $c } }"),
            m => get => get(m.Groups["P"].Value) is { } v ? ByMagnitude(100 * (Number(v) - 1), m) : null),
        // Names replaced by abbreviations, case-insensitively as switch compares; others as they are.
        (Form("switch ($_.«P») { «C»default { $_ } }"),
            m => get => get(m.Groups["P"].Value) is { } v
                ? Regex.Matches(m.Groups["C"].Value, "'([^']*)' \\{ '([^']*)' \\}").FirstOrDefault(c => string.Equals(c.Groups[1].Value, TableView.Text(v), StringComparison.OrdinalIgnoreCase))?.Groups[2].Value ?? v
                : null),
        // A budget figure's value: a size for byte figures (named by Q), percent for bandwidth, else two precisions.
        (Form("if ($null -ne ($x = $_.«P»)) { if ($_.«Q» -like '*Bytes*') { " + Scaled.Replace("«X»", "$x") + " } elseif ($_.«Q» -eq 'BandwidthUtilization') { '«V»' -f (100 * $x) } elseif ([math]::Abs($x) -ge 100) { '«T»' -f $x } else { '«S»' -f $x } }"),
            m => get => get(m.Groups["P"].Value) is not { } v ? null
                : TableView.Text(get(m.Groups["Q"].Value)) is var figure && figure.Contains("Bytes", StringComparison.OrdinalIgnoreCase) ? Scale(Number(v), m)
                : string.Equals(figure, "BandwidthUtilization", StringComparison.OrdinalIgnoreCase) ? Format(m.Groups["V"].Value, 100 * Number(v))
                : ByMagnitude(Number(v), m)),
    };

    /// <summary>How to render <paramref name="script"/>, or null when it is of no known form.</summary>
    public static Func<Func<string, object?>, object?>? Compile(string script)
    {
        string text = Regex.Replace(script.Trim(), @"\s+", " ");
        foreach ((Regex form, Func<Match, Func<Func<string, object?>, object?>> renderer) in Forms)
        {
            if (form.Match(text) is { Success: true } match)
            {
                return renderer(match);
            }
        }

        return null;
    }

    private static Regex Form(string template)
    {
        var pattern = new StringBuilder("^");
        var seen = new HashSet<char>();
        foreach (string part in Regex.Split(template, "(«.»)"))
        {
            if (part is ['«', char name, '»'])
            {
                pattern.Append(!seen.Add(name) ? $@"\k<{name}>" : name switch
                {
                    'P' or 'Q' or 'R' => $@"(?<{name}>\w+)",
                    'U' => @"(?<U>'[^']*'(?:, '[^']*')*)",
                    'C' => @"(?<C>(?:'[^']*' \{ '[^']*' \} )+)",
                    _ => $"(?<{name}>[^']*)",
                });
            }
            else
            {
                pattern.Append(Regex.Escape(part));
            }
        }

        return new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant);
    }

    private static string Format(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);

    private static double Number(object value) => Convert.ToDouble(value, CultureInfo.InvariantCulture);

    private static string ByMagnitude(double x, Match m) => Format(m.Groups[Math.Abs(x) >= 100 ? "T" : "S"].Value, x);

    private static string Scale(double v, Match m)
    {
        string[] units = Regex.Matches(m.Groups["U"].Value, "'([^']*)'").Select(u => u.Groups[1].Value).ToArray();
        int i = 0;
        for (; Math.Abs(v) >= 999.95 && i < 4; i++)
        {
            v /= 1000;
        }

        return Format(m.Groups["W"].Value, v, units[i]);
    }

    // PowerShell's truth: null, false, zero and empty text are false.
    private static bool IsTrue(object? value) => value switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0,
        IConvertible c when c.GetTypeCode() is >= TypeCode.SByte and <= TypeCode.Decimal => Number(value) != 0,
        _ => true,
    };
}
