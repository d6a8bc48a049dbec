using EdgeLm.Core.Settings;
using System.Xml.Linq;
using EdgeLm.HelpBuilder;
using Xunit;

namespace EdgeLm.Tests.Module;

/// <summary>
/// docs/help/*.md, the one place cmdlet help is written, against the shipped EdgeLm.Cmdlets.dll (read as metadata):
/// every parameter described and nothing else, two runnable examples, the about_EdgeLm link; and the MAML the
/// help builder writes from both. Get-Help itself is checked by tests/Pester/Help.Tests.ps1.
/// </summary>
public sealed class HelpSourceTests
{
    private static readonly Lazy<IReadOnlyList<CmdletDescription>> Shipped = new(() =>
    {
        string assembly = Path.Combine(ModuleLayout.BinDir, "EdgeLm.Cmdlets.dll");
        using var metadata = CmdletReflector.OpenMetadata(assembly, ModuleLayout.SmaReferencePath);
        return CmdletReflector.Read(metadata, assembly);
    });

    private static readonly Lazy<IReadOnlyList<HelpDocument>> Written = new(() => HelpBuild.ReadDocuments(DocsDir));

    private static string DocsDir => Path.Combine(ModuleLayout.RepoRoot, "docs", "help");

    private static IReadOnlyList<CmdletDescription> Cmdlets => Shipped.Value;

    private static IReadOnlyList<HelpDocument> Documents => Written.Value;

    private static HelpDocument? DocumentFor(string cmdlet) =>
        Documents.FirstOrDefault(d => Path.GetFileNameWithoutExtension(d.File) == cmdlet);

    [Fact]
    public void TheShippedAssemblyHasTheCmdletsTheManifestExports()
    {
        // The reader must see every cmdlet, or the checks below would pass on nothing.
        var manifest = PsDataFile.Read(Path.Combine(ModuleLayout.SourceModuleDir, "EdgeLm.psd1"));
        var exported = ((IEnumerable<object?>)manifest["CmdletsToExport"]!).Cast<string>().Order(StringComparer.Ordinal);
        Assert.Equal(exported, Cmdlets.Select(c => c.Name));
    }

    [Fact]
    public void EveryCmdletHasAHelpFile()
    {
        string[] missing = Cmdlets.Where(c => DocumentFor(c.Name) is null).Select(c => $"docs/help/{c.Name}.md").ToArray();
        Assert.True(missing.Length == 0, "no help file: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryHelpFileIsForACmdletAndFollowsTheFormat()
    {
        var names = Cmdlets.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var problems = Documents.Where(d => !names.Contains(Path.GetFileNameWithoutExtension(d.File)))
            .Select(d => $"{Path.GetFileName(d.File)} is for no cmdlet")
            .Concat(Documents.SelectMany(d => d.Problems))
            .ToArray();
        Assert.True(problems.Length == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void EveryParameterOfEveryCmdletIsDescribed()
    {
        var undescribed = new List<string>();
        foreach (CmdletDescription cmdlet in Cmdlets)
        {
            HelpDocument? doc = DocumentFor(cmdlet.Name);
            foreach (ParameterDescription parameter in cmdlet.Parameters)
            {
                ParameterHelp? help = doc?.Parameter(parameter.Name);
                if (help is null || help.Paragraphs.Count == 0 || help.Paragraphs.All(string.IsNullOrWhiteSpace))
                {
                    undescribed.Add($"{cmdlet.Name} -{parameter.Name}");
                }
            }
        }

        Assert.True(undescribed.Count == 0,
            "parameters without a description in docs/help (add '### -Name' and a paragraph under '## Parameters'): " + string.Join(", ", undescribed));
    }

    [Fact]
    public void NoHelpFileDescribesAParameterTheCmdletLacks()
    {
        var stale = new List<string>();
        foreach (CmdletDescription cmdlet in Cmdlets)
        {
            HelpDocument? doc = DocumentFor(cmdlet.Name);
            foreach (ParameterHelp help in doc?.Parameters ?? new List<ParameterHelp>())
            {
                bool exists = cmdlet.Parameters.Any(p => p.Name == help.Name)
                    || (cmdlet.SupportsShouldProcess && HelpValidator.ShouldProcessParameters.Contains(help.Name));
                if (!exists)
                {
                    stale.Add($"{cmdlet.Name} -{help.Name} ({Path.GetFileName(doc!.File)}:{help.Line})");
                }
            }

            foreach (ParameterHelp input in doc?.Inputs ?? new List<ParameterHelp>())
            {
                if (!cmdlet.Parameters.Any(p => p.Name == input.Name && (p.FromPipelineByValue || p.FromPipelineByPropertyName)))
                {
                    stale.Add($"{cmdlet.Name} Inputs -{input.Name} ({Path.GetFileName(doc!.File)}:{input.Line})");
                }
            }
        }

        Assert.True(stale.Count == 0, "described, but the cmdlet has no such (pipeline) parameter: " + string.Join(", ", stale));
    }

    [Fact]
    public void EveryCmdletHasAtLeastTwoExamplesThatRun()
    {
        var short_ = new List<string>();
        foreach (CmdletDescription cmdlet in Cmdlets)
        {
            IReadOnlyList<ExampleHelp> examples = DocumentFor(cmdlet.Name)?.Examples ?? new List<ExampleHelp>();
            int run = examples.Count(e => e.NotRunReason is null && !string.IsNullOrWhiteSpace(e.Code));
            if (examples.Count < 2 || run < 2)
            {
                short_.Add($"{cmdlet.Name}: {examples.Count} example(s), {run} run by the tests");
            }
        }

        Assert.True(short_.Count == 0, "each cmdlet needs two examples or more, two of them run: " + string.Join("; ", short_));
    }

    [Fact]
    public void EveryCmdletHasASynopsisDescriptionOutputsAndALinkToAboutEdgeLm()
    {
        var gaps = new List<string>();
        foreach (CmdletDescription cmdlet in Cmdlets)
        {
            HelpDocument? doc = DocumentFor(cmdlet.Name);
            if (doc is null)
            {
                continue; // EveryCmdletHasAHelpFile says so
            }

            if (doc.Synopsis.Count != 1) gaps.Add($"{cmdlet.Name}: synopsis");
            if (doc.Description.Count == 0) gaps.Add($"{cmdlet.Name}: description");
            if (doc.Outputs.Count == 0 && doc.OutputsByType.Count == 0) gaps.Add($"{cmdlet.Name}: outputs");
            if (!doc.Links.Any(l => l.Text == "about_EdgeLm")) gaps.Add($"{cmdlet.Name}: related link to about_EdgeLm");
        }

        Assert.True(gaps.Count == 0, "missing: " + string.Join(", ", gaps));
    }

    [Fact]
    public void TheHelpBuilderFindsNoProblem()
    {
        // Everything above and the rest the builder checks: code and defaults that fit 80 columns, a default
        // written in Markdown only where the class sets none, outputs that name a declared type.
        IReadOnlyList<HelpProblem> problems = HelpValidator.Validate(Cmdlets, Documents);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void TheAboutTopicTheLinksNameShipsWithTheModule()
    {
        Assert.True(File.Exists(Path.Combine(ModuleLayout.SourceModuleDir, "en-US", "about_EdgeLm.help.txt")));
    }

    // --- The checks fail when they should: the validator against altered copies of a real help file. ---

    [Fact]
    public void AnUndescribedParameterIsAProblem()
    {
        (CmdletDescription cmdlet, string text) = Real("Get-EdgeModel");
        string without = RemoveSection(text, "### -LiteralPath");

        IReadOnlyList<HelpProblem> problems = HelpValidator.Validate(cmdlet, HelpDocumentParser.Parse(without, "Get-EdgeModel.md"));

        Assert.Contains(problems, p => p.Message.StartsWith("-LiteralPath is not described", StringComparison.Ordinal));
    }

    [Fact]
    public void AParameterHeadingWithoutTextIsAProblem()
    {
        (CmdletDescription cmdlet, string text) = Real("Get-EdgeModel");
        string empty = RemoveSection(text, "### -LiteralPath").Replace("## Outputs", "### -LiteralPath\n\n## Outputs", StringComparison.Ordinal);

        IReadOnlyList<HelpProblem> problems = HelpValidator.Validate(cmdlet, HelpDocumentParser.Parse(empty, "Get-EdgeModel.md"));

        Assert.Contains(problems, p => p.Message.Contains("-LiteralPath has a heading but no description", StringComparison.Ordinal));
    }

    [Fact]
    public void DescribingAParameterTheCmdletLacksIsAProblem()
    {
        (CmdletDescription cmdlet, string text) = Real("Get-EdgeModel");
        string extra = text.Replace("## Outputs", "### -Recurse\n\nLooks in subfolders too.\n\n## Outputs", StringComparison.Ordinal);

        IReadOnlyList<HelpProblem> problems = HelpValidator.Validate(cmdlet, HelpDocumentParser.Parse(extra, "Get-EdgeModel.md"));

        Assert.Contains(problems, p => p.Message.StartsWith("-Recurse is described but the cmdlet has no such parameter", StringComparison.Ordinal));
    }

    [Fact]
    public void OneExampleIsAProblem()
    {
        (CmdletDescription cmdlet, string text) = Real("Get-EdgeModel");
        string one = RemoveSection(RemoveSection(text, "### Example 3:"), "### Example 2:");

        IReadOnlyList<HelpProblem> problems = HelpValidator.Validate(cmdlet, HelpDocumentParser.Parse(one, "Get-EdgeModel.md"));

        Assert.Contains(problems, p => p.Message.StartsWith("1 example(s); at least 2", StringComparison.Ordinal));
    }

    [Fact]
    public void ExamplesMarkedNotRunDoNotCountAsRunnable()
    {
        (CmdletDescription cmdlet, string text) = Real("Get-EdgeModel");
        string marked = text.Replace("### Example 2: List every model in a folder, smallest first\n",
            "### Example 2: List every model in a folder, smallest first\n\n<!-- not-run: for the test -->\n", StringComparison.Ordinal)
            .Replace("### Example 3: Find the models of one quantization with a wildcard\n",
            "### Example 3: Find the models of one quantization with a wildcard\n\n<!-- not-run: for the test -->\n", StringComparison.Ordinal);

        HelpDocument doc = HelpDocumentParser.Parse(marked, "Get-EdgeModel.md");
        IReadOnlyList<HelpProblem> problems = HelpValidator.Validate(cmdlet, doc);

        Assert.Equal(new string?[] { null, "for the test", "for the test" }, doc.Examples.Select(e => e.NotRunReason));
        Assert.Contains(problems, p => p.Message.StartsWith("1 example(s) run in the tests", StringComparison.Ordinal));
    }

    [Fact]
    public void AMissingAboutLinkIsAProblem()
    {
        (CmdletDescription cmdlet, string text) = Real("Get-EdgeModel");
        string unlinked = text.Replace("- [about_EdgeLm](../../module/en-US/about_EdgeLm.help.txt)\n", string.Empty, StringComparison.Ordinal);

        IReadOnlyList<HelpProblem> problems = HelpValidator.Validate(cmdlet, HelpDocumentParser.Parse(unlinked, "Get-EdgeModel.md"));

        Assert.Contains(problems, p => p.Message == "no related link to about_EdgeLm");
    }

    [Fact]
    public void AWrittenDefaultForAParameterTheClassInitializesIsAProblem()
    {
        // -MaxTokens is '= 128' in the class: the help shows that, so writing it again could only drift.
        (CmdletDescription cmdlet, string text) = Real("Invoke-EdgeInference");
        string twice = text.Replace("unless `-StopAtEos` is given.\n", "unless `-StopAtEos` is given.\n\nDefault: 128\n", StringComparison.Ordinal);

        IReadOnlyList<HelpProblem> problems = HelpValidator.Validate(cmdlet, HelpDocumentParser.Parse(twice, "Invoke-EdgeInference.md"));

        Assert.Contains(problems, p => p.Message.StartsWith("-MaxTokens: 'Default: 128' is written, but the cmdlet sets 128 itself", StringComparison.Ordinal));
    }

    [Fact]
    public void AMissingFileIsAProblemAndAFileForNoCmdletToo()
    {
        var documents = Documents.Where(d => !d.File.EndsWith("Get-EdgeModel.md", StringComparison.Ordinal))
            .Append(HelpDocumentParser.Parse("# Get-Nothing\n", "Get-Nothing.md")).ToArray();

        IReadOnlyList<HelpProblem> problems = HelpValidator.Validate(Cmdlets, documents);

        Assert.Contains(problems, p => p.Cmdlet == "Get-EdgeModel" && p.Message.StartsWith("no help file", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Cmdlet == "Get-Nothing" && p.Message.Contains("describes a cmdlet the assembly does not have", StringComparison.Ordinal));
    }

    [Fact]
    public void TheBuilderWritesTheHelpAndFailsOnProblemsOnlyWhenStrict()
    {
        using var folder = new Support.TempFolder();
        string docs = Path.Combine(folder.Path, "docs");
        Directory.CreateDirectory(docs);
        foreach (string file in Directory.EnumerateFiles(DocsDir, "*-*.md").Where(f => !f.EndsWith("Get-EdgeModel.md", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(docs, Path.GetFileName(file)));
        }

        string output = Path.Combine(folder.Path, "en-US", "EdgeLm.Cmdlets.dll-Help.xml");
        string[] args = { "--assembly", Path.Combine(ModuleLayout.BinDir, "EdgeLm.Cmdlets.dll"), "--docs", docs, "--out", output, "--sma", ModuleLayout.SmaReferencePath };

        Assert.Equal(0, EdgeLm.HelpBuilder.Program.Main(args));
        // The cmdlet without a help file still gets its syntax and parameters.
        Assert.Contains("<command:name>Get-EdgeModel</command:name>", File.ReadAllText(output), StringComparison.Ordinal);
        Assert.Equal(1, EdgeLm.HelpBuilder.Program.Main(args.Append("--strict").ToArray()));
    }

    // --- The reader of the Markdown format. ---

    [Fact]
    public void TheParserReadsEverySectionOfTheFormat()
    {
        const string text = """
            # Get-Thing

            ## Synopsis

            Gets a `thing`.

            ## Description

            First paragraph
            continues here.

            - an item
              continued
            - another item

            ## Parameters

            ### -Name

            The name.

            Default: all of them.

            ## Inputs

            ### -Name

            Names from the pipeline.

            ## Outputs

            Things.

            ## Examples

            ### Example 1: One

            ```powershell
            Get-Thing -Name a
            ```

            Gets a.

            <!-- not-run: needs a thing -->

            <!-- an editorial comment -->

            ### Example 2: Two

            ```powershell
            Get-Thing |
                Format-List
            ```

            Gets all.

            ## Notes

            A note.

            ## Related links

            - [about_EdgeLm](../../module/en-US/about_EdgeLm.help.txt)
            - [llama.cpp](https://github.com/ggml-org/llama.cpp)
            - Get-Other
            """;

        HelpDocument doc = HelpDocumentParser.Parse(text, "Get-Thing.md");

        Assert.Empty(doc.Problems);
        Assert.Equal("Get-Thing", doc.Name);
        Assert.Equal(new[] { "Gets a `thing`." }, doc.Synopsis);
        Assert.Equal(new[] { "First paragraph continues here.", "- an item continued", "- another item" }, doc.Description);
        ParameterHelp name = Assert.Single(doc.Parameters);
        Assert.Equal(("Name", "The name.", "all of them"), (name.Name, Assert.Single(name.Paragraphs), name.Default));
        Assert.Equal("Names from the pipeline.", Assert.Single(Assert.Single(doc.Inputs).Paragraphs));
        Assert.Equal(new[] { "Things." }, doc.Outputs);
        Assert.Equal(2, doc.Examples.Count);
        Assert.Equal(("One", "Get-Thing -Name a", "needs a thing"), (doc.Examples[0].Title, doc.Examples[0].Code, doc.Examples[0].NotRunReason));
        Assert.Equal("Get-Thing |\n    Format-List", doc.Examples[1].Code);
        Assert.Null(doc.Examples[1].NotRunReason);
        Assert.Equal(new[] { "A note." }, doc.Notes);
        Assert.Equal(new RelatedLink[] { new("about_EdgeLm", null), new("llama.cpp", "https://github.com/ggml-org/llama.cpp"), new("Get-Other", null) }, doc.Links);
    }

    [Theory]
    [InlineData("# Get-Thing\n\n## Description\n\nx\n\n## Synopsis\n\ny\n", "out of order")]
    [InlineData("# Get-Thing\n\n## Synopsis\n\ny\n\n## Usage\n\nx\n", "unknown section '## Usage'")]
    [InlineData("# Get-Thing\n\n## Synopsis\n\ny\n\n```powershell\nx\n```\n", "code blocks belong in examples only")]
    [InlineData("# Get-Thing\n\n## Examples\n\n### Example 2: Two\n", "should be numbered 1")]
    [InlineData("# Get-Thing\n\n## Parameters\n\n### Name\n", "'### -Name', not '### Name'")]
    [InlineData("# Get-Other\n", "does not match the file name Get-Thing.md")]
    [InlineData("# Get-Thing\n\n## Synopsis\n\ny\n", "no '## Examples' section")]
    public void TheParserReportsStructuralMistakes(string text, string expected)
    {
        HelpDocument doc = HelpDocumentParser.Parse(text, "Get-Thing.md");

        Assert.Contains(doc.Problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void MarkdownInlineSyntaxBecomesPlainText()
    {
        Assert.Equal("Use -Path with *.gguf; see Get-EdgeModel and llama.cpp (https://github.com/ggml-org/llama.cpp).",
            MarkdownText.Plain("Use `-Path` with `*.gguf`; see [Get-EdgeModel](Get-EdgeModel.md) and [llama.cpp](https://github.com/ggml-org/llama.cpp)."));
    }

    [Fact]
    public void ParagraphsAreWrappedToTheirWidthWithListItemsHanging()
    {
        string wrapped = MamlWriter.Wrap("- " + string.Join(" ", Enumerable.Repeat("word", 30)), 40);

        string[] lines = wrapped.Split('\n');
        Assert.True(lines.Length > 1);
        Assert.All(lines, l => Assert.True(l.Length <= 40, l));
        Assert.All(lines.Skip(1), l => Assert.StartsWith("  word", l, StringComparison.Ordinal));
    }

    // --- What the reflection gives the MAML. ---

    [Fact]
    public void ReflectionReadsParameterMetadataAndInitializedDefaults()
    {
        CmdletDescription inference = Cmdlets.Single(c => c.Name == "Invoke-EdgeInference");
        ParameterDescription model = inference.Parameters.Single(p => p.Name == "Model");
        ParameterDescription prompt = inference.Parameters.Single(p => p.Name == "Prompt");

        Assert.Equal(new[] { "Prompt", "PromptTokens" }, inference.ParameterSets);
        Assert.Equal((0, true, "True (ByPropertyName)"), (model.Position, model.AlwaysMandatory, model.PipelineInput));
        Assert.Equal(new[] { "FullName", "ModelPath" }, model.Aliases);
        Assert.Equal((1, "True (ByValue)"), (prompt.Position, prompt.PipelineInput));
        Assert.Equal("128", inference.Parameters.Single(p => p.Name == "MaxTokens").DefaultValue);
        Assert.Equal("1", inference.Parameters.Single(p => p.Name == "Repeat").DefaultValue);
        Assert.Null(inference.Parameters.Single(p => p.Name == "Threads").DefaultValue);
        Assert.Equal("False", inference.Parameters.Single(p => p.Name == "StopAtEos").DefaultValue);
        ParameterDescription flash = inference.Parameters.Single(p => p.Name == "FlashAttention");
        Assert.Equal("Auto", flash.DefaultValue);
        Assert.Equal(new[] { "Auto", "Off", "On" }, flash.ValidValues);
        Assert.Equal("EdgeLm.InferenceResult", Assert.Single(inference.OutputTypes).Full);

        CmdletDescription synthetic = Cmdlets.Single(c => c.Name == "New-EdgeSyntheticModel");
        Assert.Equal(("tiny", "F16", "42"), (Default(synthetic, "Shape"), Default(synthetic, "Quantization"), Default(synthetic, "Seed")));
        Assert.True(synthetic.SupportsShouldProcess);

        CmdletDescription export = Cmdlets.Single(c => c.Name == "Export-EdgeResult");
        Assert.Equal(new[] { "Jsonl", "Csv", "Markdown" }, export.Parameters.Single(p => p.Name == "Format").ValidValues);
        Assert.True(Cmdlets.Single(c => c.Name == "Get-EdgeModel").Parameters.Single(p => p.Name == "Path").SupportsWildcards);
    }

    [Fact]
    public void TheMamlCarriesTheWrittenHelpAndTheCompiledMetadata()
    {
        XDocument maml = XDocument.Parse(MamlWriter.Write(Cmdlets, Documents));
        XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        XNamespace mamlNs = "http://schemas.microsoft.com/maml/2004/10";
        XNamespace dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        XElement[] commands = maml.Root!.Elements(command + "command").ToArray();
        Assert.Equal(Cmdlets.Select(c => c.Name), commands.Select(c => (string)c.Element(command + "details")!.Element(command + "name")!));

        XElement inference = commands.Single(c => (string)c.Element(command + "details")!.Element(command + "name")! == "Invoke-EdgeInference");
        Assert.Equal(2, inference.Element(command + "syntax")!.Elements(command + "syntaxItem").Count());
        XElement[] parameters = inference.Element(command + "parameters")!.Elements(command + "parameter").ToArray();
        XElement maxTokens = parameters.Single(p => (string)p.Element(mamlNs + "name")! == "MaxTokens");
        Assert.Equal("128", (string)maxTokens.Element(dev + "defaultValue")!);
        XElement model = parameters.Single(p => (string)p.Element(mamlNs + "name")! == "Model");
        Assert.Equal(("true", "0", "True (ByPropertyName)", "FullName, ModelPath"),
            ((string)model.Attribute("required")!, (string)model.Attribute("position")!, (string)model.Attribute("pipelineInput")!, (string)model.Attribute("aliases")!));
        Assert.Equal("physical cores", (string)parameters.Single(p => (string)p.Element(mamlNs + "name")! == "Threads").Element(dev + "defaultValue")!);
        Assert.Equal("EdgeLm.InferenceResult", (string)inference.Descendants(command + "returnValue").Single().Element(dev + "type")!.Element(mamlNs + "name")!);
        Assert.Equal(new[] { "Objects with a Model, FullName or ModelPath property", "System.String" },
            inference.Descendants(command + "inputType").Select(i => (string)i.Element(dev + "type")!.Element(mamlNs + "name")!));
        Assert.Contains("about_EdgeLm", inference.Descendants(mamlNs + "linkText").Select(l => (string)l));

        XElement convert = commands.Single(c => (string)c.Element(command + "details")!.Element(command + "name")! == "Convert-EdgeModel");
        Assert.Contains("WhatIf", convert.Element(command + "parameters")!.Elements(command + "parameter").Select(p => (string)p.Element(mamlNs + "name")!));

        // Text fits 80 columns once Get-Help indents it (4 for descriptions and remarks, 8 under parameters).
        Assert.All(maml.Descendants(mamlNs + "para").SelectMany(p => ((string)p).Split('\n')), line => Assert.True(line.Length <= MamlWriter.WideText, line));
        Assert.All(maml.Descendants(command + "parameter").Elements(mamlNs + "description").Descendants(mamlNs + "para").SelectMany(p => ((string)p).Split('\n')),
            line => Assert.True(line.Length <= MamlWriter.IndentedText, line));
    }

    [Fact]
    public void TheAssembledModuleCarriesTheHelpForTheCurrentDocs()
    {
        string shipped = Path.Combine(ModuleLayout.ModuleDir, "en-US", "EdgeLm.Cmdlets.dll-Help.xml");
        Assert.True(File.Exists(shipped), $"{shipped} is missing; ./build.sh writes it");
        Assert.True(MamlWriter.Write(Cmdlets, Documents) == File.ReadAllText(shipped),
            $"{shipped} is older than docs/help or the cmdlets; run ./build.sh again");
    }

    private static string? Default(CmdletDescription cmdlet, string parameter) =>
        cmdlet.Parameters.Single(p => p.Name == parameter).DefaultValue;

    private static (CmdletDescription Cmdlet, string Text) Real(string name) =>
        (Cmdlets.Single(c => c.Name == name), File.ReadAllText(Path.Combine(DocsDir, name + ".md")).Replace("\r\n", "\n", StringComparison.Ordinal));

    /// <summary>The text without one ### subsection (up to the next ### or ## heading).</summary>
    private static string RemoveSection(string text, string headingStart)
    {
        int start = text.IndexOf("\n" + headingStart, StringComparison.Ordinal);
        Assert.True(start >= 0, $"'{headingStart}' is not in the file");
        int next = text.IndexOf("\n#", start + 1, StringComparison.Ordinal);
        return text[..start] + (next < 0 ? "\n" : text[next..]);
    }
}
