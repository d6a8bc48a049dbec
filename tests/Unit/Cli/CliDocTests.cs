using System.CommandLine;
using EdgeLm.Cli;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Cli;

/// <summary>docs/cli.md is edgelm's contract: every command has its section, naming every option and argument it takes.</summary>
public sealed class CliDocTests
{
    private static readonly Lazy<string> Doc = new(() => File.ReadAllText(Path.Combine(Repository.Root, "docs", "cli.md")));

    [Fact]
    public void EveryCommandHasASectionNamingEveryOption()
    {
        var problems = new List<string>();
        foreach ((string path, Command command) in CliTree.Commands(Program.BuildRootCommand()))
        {
            if (command.Subcommands.Count > 0 && command.Action is null)
            {
                continue; // a group ("model"): its subcommands have the sections
            }

            string? section = Section($"### `edgelm {path}`");
            if (section is null)
            {
                problems.Add($"no section '### `edgelm {path}`'");
                continue;
            }

            foreach (Symbol symbol in CliTree.OwnSymbols(command).Where(s => path != "help"))
            {
                string name = symbol is Argument ? symbol.HelpName() : symbol.Name;
                if (!section.Contains($"`{name}`", StringComparison.Ordinal))
                {
                    problems.Add($"the section of 'edgelm {path}' does not name `{name}`");
                }
            }
        }

        Assert.True(problems.Count == 0, "docs/cli.md: " + string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void TheOptionsOnEveryCommandAreDescribed()
    {
        string section = Section("## Options on every command") ?? throw new Xunit.Sdk.XunitException("docs/cli.md has no '## Options on every command'");
        foreach (Option option in Program.BuildRootCommand().Options)
        {
            Assert.Contains($"`{option.Name}`", section, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheExitCodesAndTheErrorLineAreDescribed()
    {
        string section = Section("## Exit codes and errors") ?? throw new Xunit.Sdk.XunitException("docs/cli.md has no '## Exit codes and errors'");
        Assert.All(new[] { "| 0 |", "| 1 |", "| 2 |", "| 130 |", "`edgelm: `" }, s => Assert.Contains(s, section, StringComparison.Ordinal));
    }

    // From the heading to the next heading of the same or a higher level.
    private static string? Section(string heading)
    {
        string doc = Doc.Value;
        int start = doc.IndexOf(heading + "\n", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        string level = heading[..(heading.IndexOf(' ') + 1)];
        int end = start + heading.Length;
        while (true)
        {
            int next = doc.IndexOf("\n#", end, StringComparison.Ordinal);
            if (next < 0)
            {
                return doc[start..];
            }

            string line = doc[(next + 1)..];
            string hashes = line[..(line.IndexOf(' ') + 1)];
            if (hashes.Trim('#', ' ').Length == 0 && hashes.Length <= level.Length)
            {
                return doc[start..next];
            }

            end = next + 1;
        }
    }
}

internal static class SymbolNames
{
    /// <summary>How help shows an argument (its HelpName, else its name).</summary>
    public static string HelpName(this Symbol symbol) => symbol is Argument { HelpName: { Length: > 0 } helpName } ? helpName : symbol.Name;
}
