using System.Text;
using System.Xml;

namespace EdgeLm.HelpBuilder;

/// <summary>
/// Writes the MAML file Get-Help reads for a binary module's cmdlets (&lt;assembly&gt;-Help.xml): the written help from
/// docs/help joined with what the compiled cmdlet declares (syntax, types, positions, pipeline input, aliases, defaults,
/// output types). A cmdlet without a help file still gets its syntax and parameters.
/// </summary>
public static class MamlWriter
{
    private const string Maml = "http://schemas.microsoft.com/maml/2004/10";
    private const string Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private const string Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    private const string MSHelp = "http://msdn.microsoft.com/mshelp";

    /// <summary>Columns the example title lines are padded to (Get-Help indents them by four: 80 in all).</summary>
    public const int TitleWidth = 76;

    /// <summary>
    /// Get-Help keeps a paragraph's line breaks but breaks longer lines wherever the console ends, mid-word. So text
    /// is wrapped here to fit 80 columns: 4 columns of indent for the synopsis, description and example remarks,
    /// 8 under parameters, inputs, outputs and notes.
    /// </summary>
    public const int ConsoleWidth = 79;
    public const int WideText = ConsoleWidth - 4;
    public const int IndentedText = ConsoleWidth - 8;

    private static readonly Dictionary<string, string> ShouldProcessText = new(StringComparer.OrdinalIgnoreCase)
    {
        ["WhatIf"] = "Shows what would happen if the cmdlet runs. The cmdlet is not run.",
        ["Confirm"] = "Prompts you for confirmation before running the cmdlet.",
    };

    private static readonly Dictionary<string, string> ShouldProcessAlias = new(StringComparer.OrdinalIgnoreCase)
    {
        ["WhatIf"] = "wi",
        ["Confirm"] = "cf",
    };

    public static string Write(IReadOnlyList<CmdletDescription> cmdlets, IReadOnlyList<HelpDocument> documents)
    {
        var builder = new StringBuilder();
        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", Encoding = new UTF8Encoding(false), OmitXmlDeclaration = false };
        using (var stringWriter = new Utf8StringWriter(builder))
        using (XmlWriter xml = XmlWriter.Create(stringWriter, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("helpItems", "http://msh");
            xml.WriteAttributeString("schema", "maml");
            foreach (CmdletDescription cmdlet in cmdlets)
            {
                HelpDocument doc = documents.FirstOrDefault(d => string.Equals(Path.GetFileNameWithoutExtension(d.File), cmdlet.Name, StringComparison.OrdinalIgnoreCase))
                    ?? new HelpDocument { Name = cmdlet.Name };
                WriteCommand(xml, cmdlet, doc);
            }

            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return builder.ToString();
    }

    private static void WriteCommand(XmlWriter xml, CmdletDescription cmdlet, HelpDocument doc)
    {
        xml.WriteStartElement("command", "command", Command);
        xml.WriteAttributeString("xmlns", "maml", null, Maml);
        xml.WriteAttributeString("xmlns", "command", null, Command);
        xml.WriteAttributeString("xmlns", "dev", null, Dev);
        xml.WriteAttributeString("xmlns", "MSHelp", null, MSHelp);

        xml.WriteStartElement("command", "details", Command);
        xml.WriteElementString("command", "name", Command, cmdlet.Name);
        xml.WriteElementString("command", "verb", Command, cmdlet.Verb);
        xml.WriteElementString("command", "noun", Command, cmdlet.Noun);
        WriteDescription(xml, doc.Synopsis, WideText);
        xml.WriteEndElement();

        WriteDescription(xml, doc.Description, WideText);

        List<Parameter> parameters = cmdlet.Parameters.Select(p => Parameter.From(p, doc)).ToList();
        if (cmdlet.SupportsShouldProcess)
        {
            parameters.AddRange(HelpValidator.ShouldProcessParameters.Select(name => Parameter.ShouldProcess(name, doc)));
        }

        xml.WriteStartElement("command", "syntax", Command);
        foreach (string set in cmdlet.ParameterSets)
        {
            xml.WriteStartElement("command", "syntaxItem", Command);
            xml.WriteElementString("maml", "name", Maml, cmdlet.Name);
            foreach ((ParameterDescription description, ParameterSetEntry entry) in cmdlet.ParametersOf(set))
            {
                Parameter parameter = parameters.First(p => p.Name == description.Name);
                WriteParameter(xml, parameter, entry.Mandatory, entry.Position, PipelineInput(entry), inSyntax: true);
            }

            foreach (Parameter extra in parameters.Where(p => p.Description is null))
            {
                WriteParameter(xml, extra, false, null, "False", inSyntax: true);
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();

        xml.WriteStartElement("command", "parameters", Command);
        foreach (Parameter parameter in parameters)
        {
            ParameterDescription? d = parameter.Description;
            WriteParameter(xml, parameter, d?.AlwaysMandatory ?? false, d?.Position, d?.PipelineInput ?? "False", inSyntax: false);
        }

        xml.WriteEndElement();

        xml.WriteStartElement("command", "inputTypes", Command);
        IReadOnlyList<(string Type, List<string> Text)> inputs = InputTypes(cmdlet, doc);
        foreach ((string type, List<string> text) in inputs)
        {
            xml.WriteStartElement("command", "inputType", Command);
            WriteType(xml, type);
            WriteDescription(xml, text, IndentedText);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();

        xml.WriteStartElement("command", "returnValues", Command);
        foreach (TypeName output in cmdlet.OutputTypes)
        {
            xml.WriteStartElement("command", "returnValue", Command);
            WriteType(xml, output.Full);
            List<string> text = doc.OutputsByType.FirstOrDefault(o => o.Type == output.Full || o.Type == output.Short).Paragraphs ?? doc.Outputs;
            WriteDescription(xml, text, IndentedText);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();

        if (doc.Notes.Count > 0)
        {
            xml.WriteStartElement("maml", "alertSet", Maml);
            xml.WriteStartElement("maml", "alert", Maml);
            WriteParagraphs(xml, doc.Notes, IndentedText);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        xml.WriteStartElement("command", "examples", Command);
        foreach (ExampleHelp example in doc.Examples)
        {
            xml.WriteStartElement("command", "example", Command);
            xml.WriteElementString("maml", "title", Maml, ExampleTitle(example));
            xml.WriteElementString("dev", "code", Dev, example.Code ?? string.Empty);
            xml.WriteStartElement("dev", "remarks", Dev);
            WriteParagraphs(xml, example.Remarks, WideText);
            // An empty paragraph: Get-Help otherwise prints the next example's title right under these remarks.
            xml.WriteElementString("maml", "para", Maml, string.Empty);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        xml.WriteEndElement();

        xml.WriteStartElement("command", "relatedLinks", Command);
        foreach (RelatedLink link in doc.Links)
        {
            xml.WriteStartElement("maml", "navigationLink", Maml);
            xml.WriteElementString("maml", "linkText", Maml, link.Text);
            xml.WriteElementString("maml", "uri", Maml, link.Uri ?? string.Empty);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();

        xml.WriteEndElement();
    }

    /// <summary>"---- Example 1: Title ----", centred in the width Get-Help prints at 80 columns.</summary>
    public static string ExampleTitle(ExampleHelp example)
    {
        string title = $" Example {example.Number}: {MarkdownText.Plain(example.Title)} ";
        int dashes = Math.Max(2, (TitleWidth - title.Length) / 2);
        return new string('-', dashes) + title + new string('-', dashes);
    }

    /// <summary>What can be piped in, from the parameters that take pipeline input, with the written text for each.</summary>
    public static IReadOnlyList<(string Type, List<string> Text)> InputTypes(CmdletDescription cmdlet, HelpDocument doc)
    {
        var inputs = new List<(string, List<string>)>();
        foreach (ParameterDescription p in cmdlet.Parameters.Where(p => p.FromPipelineByValue || p.FromPipelineByPropertyName))
        {
            TypeName type = p.ElementType ?? p.Type;
            string properties = Or(new[] { p.Name }.Concat(p.Aliases).ToArray());
            var text = new List<string>
            {
                p.FromPipelineByValue && p.FromPipelineByPropertyName
                    ? $"-{p.Name} takes each {type.Short} piped in, or the {properties} property of an object piped in."
                    : p.FromPipelineByValue
                        ? $"-{p.Name} takes each {type.Short} piped in."
                        : $"-{p.Name} takes the {properties} property of each object piped in.",
            };
            ParameterHelp? written = doc.Inputs.FirstOrDefault(i => string.Equals(i.Name, p.Name, StringComparison.OrdinalIgnoreCase));
            if (written is not null)
            {
                text.AddRange(written.Paragraphs);
            }

            string name = p.FromPipelineByValue ? type.Full : $"Objects with a {properties} property";
            inputs.Add((name, text));
        }

        if (inputs.Count == 0)
        {
            inputs.Add(("None", new List<string> { $"You cannot pipe objects to {cmdlet.Name}." }));
        }

        return inputs;
    }

    private static string Or(IReadOnlyList<string> names) => names.Count switch
    {
        1 => names[0],
        _ => string.Join(", ", names.Take(names.Count - 1)) + " or " + names[^1],
    };

    private static string PipelineInput(ParameterSetEntry entry) => (entry.ValueFromPipeline, entry.ValueFromPipelineByPropertyName) switch
    {
        (true, true) => "True (ByValue, ByPropertyName)",
        (true, false) => "True (ByValue)",
        (false, true) => "True (ByPropertyName)",
        _ => "False",
    };

    private static void WriteParameter(XmlWriter xml, Parameter parameter, bool required, int? position, string pipelineInput, bool inSyntax)
    {
        xml.WriteStartElement("command", "parameter", Command);
        xml.WriteAttributeString("required", required ? "true" : "false");
        xml.WriteAttributeString("variableLength", parameter.IsArray ? "true" : "false");
        xml.WriteAttributeString("globbing", parameter.Wildcards ? "true" : "false");
        xml.WriteAttributeString("pipelineInput", pipelineInput);
        xml.WriteAttributeString("position", position is int p ? p.ToString(System.Globalization.CultureInfo.InvariantCulture) : "named");
        xml.WriteAttributeString("aliases", parameter.Aliases.Count > 0 ? string.Join(", ", parameter.Aliases) : "none");
        xml.WriteElementString("maml", "name", Maml, parameter.Name);
        WriteDescription(xml, parameter.Text, IndentedText);
        if (parameter.ValidValues.Count > 0)
        {
            xml.WriteStartElement("command", "parameterValueGroup", Command);
            foreach (string value in parameter.ValidValues)
            {
                xml.WriteStartElement("command", "parameterValue", Command);
                xml.WriteAttributeString("required", "false");
                xml.WriteAttributeString("command", "variableLength", Command, "false");
                xml.WriteString(value);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        // A switch has no value in the syntax ([-Force]); under PARAMETERS it reads -Force [<SwitchParameter>].
        if (!(inSyntax && parameter.IsSwitch))
        {
            xml.WriteStartElement("command", "parameterValue", Command);
            xml.WriteAttributeString("required", parameter.IsSwitch ? "false" : "true");
            xml.WriteAttributeString("variableLength", parameter.IsArray ? "true" : "false");
            xml.WriteString(parameter.Type.Short);
            xml.WriteEndElement();
        }

        WriteType(xml, parameter.Type.Full);
        xml.WriteElementString("dev", "defaultValue", Dev, parameter.Default);
        xml.WriteEndElement();
    }

    private static void WriteType(XmlWriter xml, string name)
    {
        xml.WriteStartElement("dev", "type", Dev);
        xml.WriteElementString("maml", "name", Maml, name);
        xml.WriteElementString("maml", "uri", Maml, string.Empty);
        xml.WriteEndElement();
    }

    private static void WriteDescription(XmlWriter xml, IEnumerable<string> paragraphs, int width)
    {
        xml.WriteStartElement("maml", "description", Maml);
        WriteParagraphs(xml, paragraphs, width);
        xml.WriteEndElement();
    }

    private static void WriteParagraphs(XmlWriter xml, IEnumerable<string> paragraphs, int width)
    {
        foreach (string paragraph in paragraphs)
        {
            xml.WriteElementString("maml", "para", Maml, Wrap(MarkdownText.Plain(paragraph), width));
        }
    }

    /// <summary>Greedy word wrap; a list item ("- text", "1. text") continues under its text.</summary>
    public static string Wrap(string text, int width)
    {
        string[] words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return string.Empty;
        }

        bool item = words[0] == "-" || words[0] == "*" || (words[0].EndsWith('.') && words[0][..^1].All(char.IsDigit) && words[0].Length > 1);
        string hanging = item ? new string(' ', words[0].Length + 1) : string.Empty;
        var lines = new List<string>();
        var line = new StringBuilder(words[0]);
        foreach (string word in words.Skip(1))
        {
            if (line.Length + 1 + word.Length > width && line.ToString().Trim().Length > 0 && !(item && line.ToString() == words[0]))
            {
                lines.Add(line.ToString());
                line.Clear().Append(hanging).Append(word);
            }
            else
            {
                line.Append(' ').Append(word);
            }
        }

        lines.Add(line.ToString());
        return string.Join("\n", lines);
    }

    /// <summary>A parameter as written into MAML: its compiled description (null for WhatIf/Confirm) and its text.</summary>
    private sealed record Parameter(string Name, ParameterDescription? Description, TypeName Type, bool IsSwitch, bool IsArray, bool Wildcards,
        IReadOnlyList<string> Aliases, IReadOnlyList<string> ValidValues, string Default, IReadOnlyList<string> Text)
    {
        public static Parameter From(ParameterDescription p, HelpDocument doc)
        {
            ParameterHelp? help = doc.Parameter(p.Name);
            return new Parameter(p.Name, p, p.Type, p.IsSwitch, p.IsArray, p.SupportsWildcards, p.Aliases, p.ValidValues,
                p.DefaultValue ?? (help?.Default is string text ? MarkdownText.Plain(text) : null) ?? "None", help?.Paragraphs ?? new List<string>());
        }

        public static Parameter ShouldProcess(string name, HelpDocument doc)
        {
            ParameterHelp? help = doc.Parameter(name);
            IReadOnlyList<string> text = help is { Paragraphs.Count: > 0 } ? help.Paragraphs : new[] { ShouldProcessText[name] };
            return new Parameter(name, null, new TypeName("SwitchParameter", "System.Management.Automation.SwitchParameter"), true, false, false,
                new[] { ShouldProcessAlias[name] }, Array.Empty<string>(), "False", text);
        }
    }

    private sealed class Utf8StringWriter(StringBuilder builder) : StringWriter(builder)
    {
        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
