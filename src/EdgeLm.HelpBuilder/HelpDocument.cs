using System.Text.RegularExpressions;

namespace EdgeLm.HelpBuilder;

/// <summary>
/// One cmdlet's help as written in docs/help/&lt;Name&gt;.md (the format is described in docs/help/README.md).
/// Paragraphs keep their Markdown; <see cref="MarkdownText"/> turns them into plain text for MAML.
/// </summary>
public sealed class HelpDocument
{
    public string File { get; init; } = string.Empty;
    public string Name { get; set; } = string.Empty;
    public List<string> Synopsis { get; } = new();
    public List<string> Description { get; } = new();
    /// <summary>Parameter name (without the dash) to its section, in the order written.</summary>
    public List<ParameterHelp> Parameters { get; } = new();
    /// <summary>Extra text for a pipeline input, keyed by the parameter it binds to.</summary>
    public List<ParameterHelp> Inputs { get; } = new();
    public List<string> Outputs { get; } = new();
    /// <summary>Text for one output type when a cmdlet has several, keyed by the type's full or short name.</summary>
    public List<(string Type, List<string> Paragraphs, int Line)> OutputsByType { get; } = new();
    public List<ExampleHelp> Examples { get; } = new();
    public List<string> Notes { get; } = new();
    public List<RelatedLink> Links { get; } = new();
    /// <summary>Problems with the file's structure, with line numbers.</summary>
    public List<string> Problems { get; } = new();

    public ParameterHelp? Parameter(string name) =>
        Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}

public sealed class ParameterHelp
{
    public string Name { get; init; } = string.Empty;
    public int Line { get; init; }
    public List<string> Paragraphs { get; } = new();
    /// <summary>A closing "Default: ..." paragraph: the default when the cmdlet class does not set one itself.</summary>
    public string? Default { get; set; }
}

public sealed class ExampleHelp
{
    public int Number { get; init; }
    public string Title { get; init; } = string.Empty;
    public int Line { get; init; }
    public string? Code { get; set; }
    public List<string> Remarks { get; } = new();
    /// <summary>Why the test suite does not run this example (an HTML comment <c>&lt;!-- not-run: reason --&gt;</c>).</summary>
    public string? NotRunReason { get; set; }
}

/// <summary>A related link: text, and a URI for web addresses (links to other Markdown files become plain names).</summary>
public sealed record RelatedLink(string Text, string? Uri);

/// <summary>Reads the fixed Markdown structure of docs/help/*.md: a line-oriented reader, not a general Markdown parser.</summary>
public static partial class HelpDocumentParser
{
    /// <summary>The sections, in the only order they may appear. Inputs and Notes may be left out.</summary>
    public static readonly IReadOnlyList<string> Sections = new[]
    {
        "Synopsis", "Description", "Parameters", "Inputs", "Outputs", "Examples", "Notes", "Related links",
    };

    private static readonly HashSet<string> Required = new(StringComparer.Ordinal) { "Synopsis", "Description", "Parameters", "Outputs", "Examples", "Related links" };

    public static HelpDocument ParseFile(string path) => Parse(System.IO.File.ReadAllText(path), path);

    public static HelpDocument Parse(string text, string file)
    {
        var doc = new HelpDocument { File = file };
        string[] lines = text.Replace("\r\n", "\n").Split('\n');
        string? section = null;
        int sectionIndex = -1;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        ParameterHelp? parameter = null;
        ParameterHelp? input = null;
        ExampleHelp? example = null;
        List<string>? outputType = null;
        var paragraph = new List<string>();
        bool inList = false;

        void Problem(int line, string message) => doc.Problems.Add($"{Path.GetFileName(file)}:{line}: {message}");

        List<string>? Target() => section switch
        {
            "Synopsis" => doc.Synopsis,
            "Description" => doc.Description,
            "Parameters" => parameter?.Paragraphs,
            "Inputs" => input?.Paragraphs,
            "Outputs" => outputType ?? doc.Outputs,
            "Examples" => example?.Remarks,
            "Notes" => doc.Notes,
            _ => null,
        };

        void Flush(int line)
        {
            if (paragraph.Count == 0)
            {
                return;
            }

            string text = string.Join(" ", paragraph.Select(l => l.Trim()));
            paragraph.Clear();
            inList = false;
            if (section == "Related links")
            {
                return; // links are read line by line
            }

            if (section == "Parameters" && parameter is not null && text.StartsWith("Default: ", StringComparison.Ordinal))
            {
                parameter.Default = text["Default: ".Length..].Trim().TrimEnd('.');
                return;
            }

            List<string>? target = Target();
            if (target is null)
            {
                Problem(line, section is null ? "text before the first section" : $"text in {section} outside a ### subsection");
                return;
            }

            target.Add(text);
        }

        for (int index = 0; index < lines.Length; index++)
        {
            int lineNumber = index + 1;
            string line = lines[index];

            // HTML comments: editorial notes, and <!-- not-run: reason --> in an example.
            if (line.TrimStart().StartsWith("<!--", StringComparison.Ordinal))
            {
                int start = index;
                var comment = new List<string> { line };
                while (!lines[index].Contains("-->", StringComparison.Ordinal) && index + 1 < lines.Length)
                {
                    index++;
                    comment.Add(lines[index]);
                }

                string body = string.Join(" ", comment).Trim();
                body = body[4..].Trim();
                body = body.EndsWith("-->", StringComparison.Ordinal) ? body[..^3].Trim() : body;
                if (body.StartsWith("not-run:", StringComparison.Ordinal))
                {
                    string reason = body["not-run:".Length..].Trim();
                    if (section != "Examples" || example is null)
                    {
                        Problem(start + 1, "a not-run marker belongs inside an example");
                    }
                    else if (reason.Length == 0)
                    {
                        Problem(start + 1, "a not-run marker needs a reason");
                    }
                    else
                    {
                        example.NotRunReason = reason;
                    }
                }

                continue;
            }

            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                Flush(lineNumber);
                int start = lineNumber;
                var code = new List<string>();
                index++;
                while (index < lines.Length && !lines[index].StartsWith("```", StringComparison.Ordinal))
                {
                    code.Add(lines[index]);
                    index++;
                }

                if (index >= lines.Length)
                {
                    Problem(start, "a code block is not closed");
                }

                if (section != "Examples" || example is null)
                {
                    Problem(start, "code blocks belong in examples only");
                }
                else if (example.Code is not null)
                {
                    Problem(start, $"example {example.Number} has more than one code block");
                }
                else
                {
                    example.Code = string.Join("\n", code).Trim('\n');
                }

                continue;
            }

            Match heading = HeadingPattern().Match(line);
            if (heading.Success)
            {
                Flush(lineNumber);
                int level = heading.Groups[1].Value.Length;
                string title = heading.Groups[2].Value.Trim();
                switch (level)
                {
                    case 1:
                        if (doc.Name.Length > 0)
                        {
                            Problem(lineNumber, "a second # heading");
                        }

                        doc.Name = title;
                        break;
                    case 2:
                        int at = Sections.ToList().IndexOf(title);
                        if (at < 0)
                        {
                            Problem(lineNumber, $"unknown section '## {title}'; the sections are {string.Join(", ", Sections)}");
                            section = null;
                        }
                        else if (at <= sectionIndex)
                        {
                            Problem(lineNumber, $"section '## {title}' is out of order or repeated; the order is {string.Join(", ", Sections)}");
                            section = null;
                        }
                        else
                        {
                            section = title;
                            sectionIndex = at;
                            seen.Add(title);
                        }

                        parameter = null;
                        input = null;
                        example = null;
                        outputType = null;
                        break;
                    case 3:
                        switch (section)
                        {
                            case "Parameters":
                            case "Inputs":
                                if (!title.StartsWith('-') || title.Length < 2 || title.Contains(' '))
                                {
                                    Problem(lineNumber, $"a {section} subsection is '### -Name', not '### {title}'");
                                    break;
                                }

                                var help = new ParameterHelp { Name = title[1..], Line = lineNumber };
                                List<ParameterHelp> list = section == "Parameters" ? doc.Parameters : doc.Inputs;
                                if (list.Any(p => string.Equals(p.Name, help.Name, StringComparison.OrdinalIgnoreCase)))
                                {
                                    Problem(lineNumber, $"-{help.Name} is described twice in {section}");
                                }

                                list.Add(help);
                                if (section == "Parameters") parameter = help; else input = help;
                                break;
                            case "Outputs":
                                outputType = new List<string>();
                                doc.OutputsByType.Add((title, outputType, lineNumber));
                                break;
                            case "Examples":
                                Match ex = ExamplePattern().Match(title);
                                if (!ex.Success)
                                {
                                    Problem(lineNumber, $"an example heading is '### Example N: Title', not '### {title}'");
                                    example = null;
                                    break;
                                }

                                int number = int.Parse(ex.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                                if (number != doc.Examples.Count + 1)
                                {
                                    Problem(lineNumber, $"example {number} should be numbered {doc.Examples.Count + 1}");
                                }

                                example = new ExampleHelp { Number = number, Title = ex.Groups[2].Value.Trim(), Line = lineNumber };
                                doc.Examples.Add(example);
                                break;
                            default:
                                Problem(lineNumber, $"'### {title}' has no place in {section ?? "the preamble"}");
                                break;
                        }

                        break;
                    default:
                        Problem(lineNumber, $"heading level {level} is not used");
                        break;
                }

                continue;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                Flush(lineNumber);
                continue;
            }

            if (section == "Related links")
            {
                ReadLink(line, lineNumber);
                continue;
            }

            // A list item starts its own paragraph; an indented line continues it.
            bool item = ListItemPattern().IsMatch(line);
            if (item || (inList && !char.IsWhiteSpace(line[0])))
            {
                Flush(lineNumber);
                inList = item;
            }

            paragraph.Add(line);
            if (item)
            {
                inList = true;
            }
        }

        Flush(lines.Length);

        string expected = Path.GetFileNameWithoutExtension(file);
        if (doc.Name.Length == 0)
        {
            Problem(1, "no '# Cmdlet-Name' heading");
        }
        else if (!string.Equals(doc.Name, expected, StringComparison.Ordinal))
        {
            Problem(1, $"the heading '# {doc.Name}' does not match the file name {expected}.md");
        }

        foreach (string missing in Required.Where(s => !seen.Contains(s)).OrderBy(s => Sections.ToList().IndexOf(s)))
        {
            Problem(lines.Length, $"no '## {missing}' section");
        }

        return doc;

        void ReadLink(string text, int lineNumber)
        {
            Match link = LinkLinePattern().Match(text);
            if (!link.Success)
            {
                Problem(lineNumber, "a related link is '- [Text](target)' or '- Text'");
                return;
            }

            string label = link.Groups["text"].Success ? link.Groups["text"].Value.Trim() : link.Groups["plain"].Value.Trim();
            string? target = link.Groups["target"].Success ? link.Groups["target"].Value.Trim() : null;
            string? uri = target is not null && (target.StartsWith("http://", StringComparison.Ordinal) || target.StartsWith("https://", StringComparison.Ordinal)) ? target : null;
            doc.Links.Add(new RelatedLink(label, uri));
        }
    }

    [GeneratedRegex(@"^(#{1,6})\s+(.*)$")]
    private static partial Regex HeadingPattern();

    [GeneratedRegex(@"^Example\s+(\d+):\s*(.+)$")]
    private static partial Regex ExamplePattern();

    [GeneratedRegex(@"^\s*([-*]|\d+\.)\s+")]
    private static partial Regex ListItemPattern();

    [GeneratedRegex(@"^\s*[-*]\s+(?:\[(?<text>[^\]]+)\]\((?<target>[^)]+)\)|(?<plain>[^\[].*))\s*$")]
    private static partial Regex LinkLinePattern();
}
