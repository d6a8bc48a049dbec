namespace EdgeLm.HelpBuilder;

/// <summary>
/// EdgeLm.HelpBuilder --assembly bin/EdgeLm.Cmdlets.dll --docs docs/help --out en-US/EdgeLm.Cmdlets.dll-Help.xml [--strict]
/// Writes the MAML help for every cmdlet of the assembly. Disagreements between docs/help and the cmdlets (an
/// undescribed parameter, a missing file) are printed as warnings and the help is still written, so a new parameter
/// never breaks the build; --strict makes them an error. The unit tests fail on them either way.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string? assembly = null, docs = null, output = null, sma = null;
        bool strict = false;
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--assembly": assembly = Value(); break;
                case "--docs": docs = Value(); break;
                case "--out": output = Value(); break;
                case "--sma": sma = Value(); break;
                case "--strict": strict = true; break;
                default:
                    Console.Error.WriteLine($"help: unknown argument '{args[i]}'");
                    return Usage();
            }
        }

        if (assembly is null || docs is null || output is null)
        {
            return Usage();
        }

        try
        {
            HelpBuild build = HelpBuild.Run(assembly, docs, sma ?? CmdletReflector.DefaultSmaReferencePath);
            foreach (HelpProblem problem in build.Problems)
            {
                Console.Error.WriteLine($"help: {(strict ? "error" : "warning")}: {problem}");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            File.WriteAllText(output, build.Maml, new System.Text.UTF8Encoding(false));
            Console.Error.WriteLine($"help: {build.Cmdlets.Count} cmdlets, {build.Documents.Count} help files, {build.Problems.Count} problem(s) -> {output}");
            return strict && build.Problems.Count > 0 ? 1 : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException or FileNotFoundException or ArgumentException)
        {
            Console.Error.WriteLine($"help: {e.Message}");
            return 1;
        }
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: EdgeLm.HelpBuilder --assembly EdgeLm.Cmdlets.dll --docs docs/help --out en-US/EdgeLm.Cmdlets.dll-Help.xml [--strict] [--sma System.Management.Automation.dll]");
        return 2;
    }
}

/// <summary>Reads the cmdlets and the help files, checks one against the other and writes the MAML.</summary>
public sealed record HelpBuild(IReadOnlyList<CmdletDescription> Cmdlets, IReadOnlyList<HelpDocument> Documents, IReadOnlyList<HelpProblem> Problems, string Maml)
{
    public static HelpBuild Run(string assemblyPath, string docsFolder, string smaReferencePath)
    {
        if (!File.Exists(smaReferencePath))
        {
            throw new FileNotFoundException($"{smaReferencePath} is missing; rebuild EdgeLm.HelpBuilder (it copies PowerShellStandard.Library's reference assembly there)");
        }

        IReadOnlyList<CmdletDescription> cmdlets;
        using (var metadata = CmdletReflector.OpenMetadata(assemblyPath, smaReferencePath))
        {
            cmdlets = CmdletReflector.Read(metadata, assemblyPath);
        }

        IReadOnlyList<HelpDocument> documents = ReadDocuments(docsFolder);
        IReadOnlyList<HelpProblem> problems = HelpValidator.Validate(cmdlets, documents);
        return new HelpBuild(cmdlets, documents, problems, MamlWriter.Write(cmdlets, documents));
    }

    /// <summary>Every &lt;Verb-Noun&gt;.md in the folder (README.md and other files without a dash in the name are not cmdlets).</summary>
    public static IReadOnlyList<HelpDocument> ReadDocuments(string docsFolder) =>
        Directory.EnumerateFiles(docsFolder, "*-*.md")
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(HelpDocumentParser.ParseFile)
            .ToArray();
}
