namespace EdgeLm.HelpBuilder;

/// <summary>One way the written help and the compiled cmdlets disagree.</summary>
public sealed record HelpProblem(string Cmdlet, string Message)
{
    public override string ToString() => $"{Cmdlet}: {Message}";
}

/// <summary>
/// Checks docs/help against the compiled cmdlets: every cmdlet has a file, every parameter a description and nothing
/// else is described, at least two examples of which two run, an output description, and a link to about_EdgeLm.
/// </summary>
public static class HelpValidator
{
    public const int MinimumExamples = 2;
    public const int MinimumRunnableExamples = 2;
    public const string AboutTopic = "about_EdgeLm";

    /// <summary>Get-Help prints code indented by four and does not wrap it for us: longer lines break at 80 columns.</summary>
    public const int MaxCodeColumns = MamlWriter.WideText;

    /// <summary>Get-Help prints "Default value" from column 37: a longer default breaks mid-word at 80 columns.</summary>
    public const int MaxDefaultLength = MamlWriter.ConsoleWidth - 37;

    /// <summary>Parameters PowerShell adds to a cmdlet that supports ShouldProcess; the help builder describes them itself.</summary>
    public static readonly IReadOnlyList<string> ShouldProcessParameters = new[] { "WhatIf", "Confirm" };

    public static IReadOnlyList<HelpProblem> Validate(IReadOnlyList<CmdletDescription> cmdlets, IReadOnlyList<HelpDocument> documents)
    {
        var problems = new List<HelpProblem>();
        var byName = documents.ToLookup(d => Path.GetFileNameWithoutExtension(d.File), StringComparer.OrdinalIgnoreCase);
        foreach (CmdletDescription cmdlet in cmdlets)
        {
            HelpDocument? doc = byName[cmdlet.Name].FirstOrDefault();
            if (doc is null)
            {
                problems.Add(new(cmdlet.Name, $"no help file; write docs/help/{cmdlet.Name}.md (see docs/help/README.md)"));
                continue;
            }

            problems.AddRange(Validate(cmdlet, doc));
        }

        var names = new HashSet<string>(cmdlets.Select(c => c.Name), StringComparer.OrdinalIgnoreCase);
        foreach (HelpDocument doc in documents.Where(d => !names.Contains(Path.GetFileNameWithoutExtension(d.File))))
        {
            problems.Add(new(Path.GetFileNameWithoutExtension(doc.File), $"{Path.GetFileName(doc.File)} describes a cmdlet the assembly does not have"));
        }

        return problems;
    }

    public static IReadOnlyList<HelpProblem> Validate(CmdletDescription cmdlet, HelpDocument doc)
    {
        var problems = new List<HelpProblem>();
        void Add(string message) => problems.Add(new(cmdlet.Name, message));

        foreach (string problem in doc.Problems)
        {
            Add(problem);
        }

        if (doc.Synopsis.Count != 1)
        {
            Add(doc.Synopsis.Count == 0 ? "the synopsis is empty" : "the synopsis is one paragraph");
        }

        if (doc.Description.Count == 0)
        {
            Add("the description is empty");
        }

        foreach (ParameterDescription parameter in cmdlet.Parameters)
        {
            ParameterHelp? help = doc.Parameter(parameter.Name);
            if (help is null)
            {
                Add($"-{parameter.Name} is not described (add '### -{parameter.Name}' under '## Parameters')");
                continue;
            }

            if (help.Paragraphs.Count == 0)
            {
                Add($"-{parameter.Name} has a heading but no description");
            }

            if (help.Default is not null && MarkdownText.Plain(help.Default).Length > MaxDefaultLength)
            {
                Add($"-{parameter.Name}: 'Default: {help.Default}' is longer than {MaxDefaultLength} characters; say more in the description");
            }

            if (help.Default is not null && parameter.DefaultValue is not null)
            {
                Add($"-{parameter.Name}: 'Default: {help.Default}' is written, but the cmdlet sets {parameter.DefaultValue} itself; remove the line (the help shows the compiled default)");
            }

            if (!string.Equals(help.Name, parameter.Name, StringComparison.Ordinal))
            {
                Add($"-{help.Name} is spelled -{parameter.Name} in the cmdlet");
            }
        }

        foreach (ParameterHelp help in doc.Parameters)
        {
            bool exists = cmdlet.Parameters.Any(p => string.Equals(p.Name, help.Name, StringComparison.OrdinalIgnoreCase));
            bool shouldProcess = cmdlet.SupportsShouldProcess && ShouldProcessParameters.Contains(help.Name, StringComparer.OrdinalIgnoreCase);
            if (!exists && !shouldProcess)
            {
                Add($"-{help.Name} is described but the cmdlet has no such parameter (line {help.Line})");
            }
        }

        foreach (ParameterHelp input in doc.Inputs)
        {
            ParameterDescription? parameter = cmdlet.Parameters.FirstOrDefault(p => string.Equals(p.Name, input.Name, StringComparison.OrdinalIgnoreCase));
            if (parameter is null || !(parameter.FromPipelineByValue || parameter.FromPipelineByPropertyName))
            {
                Add($"Inputs describes -{input.Name} (line {input.Line}), which takes no pipeline input");
            }
        }

        if (doc.Outputs.Count == 0 && doc.OutputsByType.Count == 0)
        {
            Add("the outputs are not described");
        }

        foreach ((string type, List<string> paragraphs, int line) in doc.OutputsByType)
        {
            if (!cmdlet.OutputTypes.Any(t => t.Full == type || t.Short == type))
            {
                Add($"Outputs describes {type} (line {line}), which is not in the cmdlet's [OutputType]");
            }
            else if (paragraphs.Count == 0)
            {
                Add($"Outputs names {type} (line {line}) without describing it");
            }
        }

        if (doc.Examples.Count < MinimumExamples)
        {
            Add($"{doc.Examples.Count} example(s); at least {MinimumExamples} are needed");
        }

        int runnable = doc.Examples.Count(e => e.NotRunReason is null);
        if (runnable < MinimumRunnableExamples)
        {
            Add($"{runnable} example(s) run in the tests; at least {MinimumRunnableExamples} must (the others are marked not-run)");
        }

        foreach (ExampleHelp example in doc.Examples)
        {
            if (MamlWriter.ExampleTitle(example).Length > MamlWriter.TitleWidth)
            {
                Add($"example {example.Number} (line {example.Line}): the title is too long for Get-Help's title line at 80 columns; shorten it");
            }

            if (string.IsNullOrWhiteSpace(example.Code))
            {
                Add($"example {example.Number} (line {example.Line}) has no code block");
            }

            foreach ((string codeLine, int index) in (example.Code ?? string.Empty).Split('\n').Select((l, i) => (l, i)))
            {
                if (codeLine.Length > MaxCodeColumns)
                {
                    Add($"example {example.Number}, code line {index + 1} is {codeLine.Length} characters; keep code within {MaxCodeColumns} so Get-Help fits 80 columns");
                }
            }

            if (example.Remarks.Count == 0)
            {
                Add($"example {example.Number} (line {example.Line}) has no sentence saying what it does");
            }
        }

        foreach (RelatedLink link in doc.Links.Where(l => 4 + l.Text.Length + 1 + (l.Uri?.Length ?? 0) > MamlWriter.ConsoleWidth + 1))
        {
            Add($"the related link '{link.Text}' ({link.Uri}) is too long for one line of Get-Help at 80 columns");
        }

        if (!doc.Links.Any(l => string.Equals(l.Text, AboutTopic, StringComparison.OrdinalIgnoreCase)))
        {
            Add($"no related link to {AboutTopic}");
        }

        return problems;
    }
}
