using System.CommandLine;
using System.CommandLine.Completions;
using System.Text.RegularExpressions;
using Program = EdgeLm.Cli.Program;
using EdgeLm.HelpBuilder;
using EdgeLm.Tests.Module;

namespace EdgeLm.Tests.Cli;

/// <summary>
/// The two front ends cannot drift: every parameter of every cmdlet (read from the shipped EdgeLm.Cmdlets.dll) has
/// its option in edgelm's command tree (Program.BuildRootCommand), and every option its parameter, with the same
/// kind (a switch is a flag) and the same fixed choices. Names are the parameter's in kebab case unless the alias
/// table says otherwise; what cannot have a twin is listed with the reason.
/// </summary>
public sealed class TwinTests
{
    /// <summary>Each cmdlet's command; edgelm export is Import-EdgeResult piped to Export-EdgeResult.</summary>
    private static readonly Dictionary<string, string> CommandOf = new(StringComparer.Ordinal)
    {
        ["Invoke-EdgeInference"] = "infer",
        ["Invoke-EdgeBenchmark"] = "bench",
        ["New-EdgeSyntheticModel"] = "model synth",
        ["Get-EdgeModel"] = "model info",
        ["Convert-EdgeModel"] = "model quantize",
        ["Get-DeviceProfile"] = "device",
        ["Get-EdgePowerSource"] = "power-sources",
        ["Measure-EdgeEnergy"] = "energy",
        ["Measure-EdgeResult"] = "summary",
        ["Compare-EdgeResult"] = "compare",
        ["Test-EdgeBudget"] = "budget",
        ["Measure-EdgeCost"] = "cost",
        ["Test-EdgeFit"] = "fit",
        ["Test-EdgePrompt"] = "prompts",
        ["Measure-EdgeQuality"] = "quality",
        ["Export-EdgeResult"] = "export",
        ["Export-EdgeReport"] = "report",
        ["Import-EdgeResult"] = "export",
    };

    /// <summary>Names that are not the kebab case of the parameter ("*" = in every cmdlet); "&lt;name&gt;" is an argument.</summary>
    private static readonly Dictionary<(string Cmdlet, string Parameter), string> Aliases = new()
    {
        [("*", "NativeLibraryPath")] = "--native-dir",
        [("*", "OutputPath")] = "--out",
        [("*", "ContextSize")] = "--context",
        [("*", "MeasureEnergy")] = "--energy",
        [("*", "BaselineSeconds")] = "--baseline",
        [("Invoke-EdgeInference", "BatchSize")] = "--batch",
        [("Invoke-EdgeInference", "FlashAttention")] = "--flash-attn",
        [("Invoke-EdgeBenchmark", "CooldownSeconds")] = "--cooldown",
        [("Invoke-EdgeBenchmark", "QuietMaxWaitSeconds")] = "--quiet-max-wait",
        [("Invoke-EdgeBenchmark", "QualityTextPath")] = "--quality-text",
        [("Invoke-EdgeBenchmark", "QualityContextSize")] = "--quality-context",
        [("New-EdgeSyntheticModel", "EmbeddingSize")] = "--embedding",
        [("New-EdgeSyntheticModel", "FeedForwardSize")] = "--feed-forward",
        [("New-EdgeSyntheticModel", "VocabularySize")] = "--vocabulary",
        [("New-EdgeSyntheticModel", "ContextLength")] = "--context",
        [("Get-EdgeModel", "Path")] = "--model",
        [("Convert-EdgeModel", "Path")] = "--model",
        [("Measure-EdgeResult", "Path")] = "--in",
        [("Test-EdgeBudget", "Path")] = "--in",
        [("Measure-EdgeCost", "Path")] = "--in",
        [("Measure-EdgeCost", "CloudPricePath")] = "--cloud-prices",
        [("Measure-EdgeQuality", "Path")] = "--model",
        [("Measure-EdgeQuality", "TextPath")] = "--text",
        [("Measure-EdgeQuality", "SaveLogitsPath")] = "--save-logits",
        [("Measure-EdgeQuality", "ReferenceLogitsPath")] = "--reference-logits",
        [("Measure-EdgeQuality", "ReferenceModelPath")] = "--reference-model",
        [("Import-EdgeResult", "Path")] = "--in",
        [("Export-EdgeResult", "Path")] = "--out",
        [("Export-EdgeResult", "Format")] = "--to",
        [("Export-EdgeReport", "Path")] = "--in",
        [("Export-EdgeReport", "QualityPath")] = "--quality",
        [("Export-EdgeReport", "ProfilePath")] = "--profile",
        [("Export-EdgeReport", "OutputPath")] = "--out",
        [("Measure-EdgeEnergy", "ScriptBlock")] = "<command>",
        [("Test-EdgeFit", "MemoryBytes")] = "--memory",
        [("Test-EdgeFit", "Results")] = "--in",
    };

    private const string Fleet = "a fleet over PowerShell remoting; its twin over plain ssh is `edgelm fleet` (--hosts, --user, --key, --port, --ssh-option), a command of its own since it needs no pwsh on the boards";

    /// <summary>Cmdlet parameters without an option, and why.</summary>
    private static readonly Dictionary<(string Cmdlet, string Parameter), string> NoOption = new()
    {
        [("Invoke-EdgeBenchmark", "HostName")] = Fleet,
        [("Invoke-EdgeBenchmark", "UserName")] = Fleet,
        [("Invoke-EdgeBenchmark", "KeyFilePath")] = Fleet,
        [("Invoke-EdgeBenchmark", "Port")] = Fleet,
        [("Invoke-EdgeBenchmark", "SshOption")] = Fleet,
        [("Invoke-EdgeBenchmark", "Session")] = Fleet,
        [("Invoke-EdgeBenchmark", "DeployModule")] = Fleet,
        [("*", "InputObject")] = "pipeline input; edgelm reads results files (--in) instead",
        [("Get-EdgeModel", "LiteralPath")] = "PowerShell's escape from wildcards; edgelm takes paths as given (the shell expands wildcards)",
        [("Convert-EdgeModel", "LiteralPath")] = "PowerShell's escape from wildcards; edgelm takes paths as given (the shell expands wildcards)",
        [("Measure-EdgeQuality", "LiteralPath")] = "PowerShell's escape from wildcards; edgelm takes paths as given (the shell expands wildcards)",
        [("Export-EdgeResult", "PassThru")] = "writes the file's FileInfo to the pipeline; edgelm has no objects to pass on",
        [("Export-EdgeReport", "PassThru")] = "writes the file's FileInfo to the pipeline; edgelm has no objects to pass on",
    };

    /// <summary>Options on every command, and their twins.</summary>
    private static readonly Dictionary<string, string> GlobalOptions = new(StringComparer.Ordinal)
    {
        ["--format"] = "PowerShell prints objects with Format-Table and Format-List and writes them with Export-Csv and ConvertTo-Json",
        ["--verbose"] = "PowerShell's common parameter -Verbose",
        ["--native-dir"] = "-NativeLibraryPath, on the cmdlets that load llama.cpp (checked below)",
        ["--help"] = "Get-Help",
    };

    /// <summary>Commands without a cmdlet, and why.</summary>
    private static readonly Dictionary<string, string> NoCmdlet = new(StringComparer.Ordinal)
    {
        ["model"] = "a group: its subcommands have cmdlets",
        ["version"] = "(Get-Module EdgeLm).Version, and Get-DeviceProfile's llama.cpp fields",
        ["help"] = "Get-Help",
        ["worker"] = "the worker process the front ends start, not a command for people",
        ["fleet"] = "Invoke-EdgeBenchmark -HostName (PowerShell remoting over SSH) is its twin; edgelm fleet runs the self-contained edgelm over plain ssh",
    };

    private static readonly Lazy<IReadOnlyList<CmdletDescription>> Shipped = new(() =>
    {
        string assembly = Path.Combine(ModuleLayout.BinDir, "EdgeLm.Cmdlets.dll");
        using var metadata = CmdletReflector.OpenMetadata(assembly, ModuleLayout.SmaReferencePath);
        return CmdletReflector.Read(metadata, assembly);
    });

    private static readonly Lazy<IReadOnlyDictionary<string, Command>> Commands = new(() => CliTree.Commands(Program.BuildRootCommand()));

    [Fact]
    public void EveryCmdletHasACommandAndEveryCommandACmdlet()
    {
        string[] cmdlets = Shipped.Value.Select(c => c.Name).ToArray();
        Assert.NotEmpty(cmdlets);
        string[] problems = cmdlets.Where(c => !CommandOf.ContainsKey(c)).Select(c => $"{c} has no edgelm command (add one, or map it in CommandOf)")
            .Concat(CommandOf.Where(c => !Commands.Value.ContainsKey(c.Value)).Select(c => $"{c.Key}'s command 'edgelm {c.Value}' does not exist"))
            .Concat(Commands.Value.Keys.Where(path => !CommandOf.ContainsValue(path) && !NoCmdlet.ContainsKey(path)).Select(path => $"'edgelm {path}' has no cmdlet"))
            .ToArray();
        Assert.True(problems.Length == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void EveryCmdletParameterHasItsOption()
    {
        var problems = new List<string>();
        foreach (CmdletDescription cmdlet in Shipped.Value.Where(c => CommandOf.ContainsKey(c.Name)))
        {
            Command command = Commands.Value[CommandOf[cmdlet.Name]];
            foreach (ParameterDescription parameter in cmdlet.Parameters)
            {
                if (Lookup(NoOption, cmdlet.Name, parameter.Name) is not null)
                {
                    continue;
                }

                string name = OptionName(cmdlet.Name, parameter.Name);
                Symbol? twin = Find(command, name);
                if (twin is null)
                {
                    problems.Add($"{cmdlet.Name} -{parameter.Name} has no {name} in 'edgelm {CommandOf[cmdlet.Name]}' (add it, map it in Aliases, or say why in NoOption)");
                    continue;
                }

                if (parameter.IsSwitch != IsFlag(twin))
                {
                    problems.Add($"{cmdlet.Name} -{parameter.Name} is {(parameter.IsSwitch ? "" : "not ")}a switch but {name} is {(IsFlag(twin) ? "" : "not ")}a flag");
                }

                if (parameter.ValidValues.Count > 0)
                {
                    string[] choices = Choices(twin);
                    if (!choices.Order(StringComparer.OrdinalIgnoreCase).SequenceEqual(parameter.ValidValues.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase))
                    {
                        problems.Add($"{cmdlet.Name} -{parameter.Name} takes {string.Join(", ", parameter.ValidValues)} but {name} offers {string.Join(", ", choices)}");
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void EveryOptionHasItsCmdletParameter()
    {
        var problems = new List<string>();
        foreach ((string path, Command command) in Commands.Value.Where(c => !NoCmdlet.ContainsKey(c.Key)))
        {
            CmdletDescription[] cmdlets = Shipped.Value.Where(c => CommandOf.GetValueOrDefault(c.Name) == path).ToArray();
            var twins = new HashSet<string>(cmdlets.SelectMany(c => c.Parameters.Select(p => OptionName(c.Name, p.Name))), StringComparer.Ordinal);
            foreach (Symbol symbol in CliTree.OwnSymbols(command))
            {
                string name = CliTree.NameOf(symbol);
                if (!twins.Contains(name))
                {
                    problems.Add($"'edgelm {path}' {name} has no parameter in {string.Join(" or ", cmdlets.Select(c => c.Name))} (add it, or map it in Aliases)");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void TheOptionsOnEveryCommandAreTheGlobalOnesWithTheirTwins()
    {
        RootCommand root = Program.BuildRootCommand();
        Assert.Equal(GlobalOptions.Keys.Order(StringComparer.Ordinal), root.Options.Select(o => o.Name).Order(StringComparer.Ordinal));
        Assert.All(root.Options, o => Assert.True(o.Recursive, $"{o.Name} is on the root but does not reach the commands"));

        // --native-dir is -NativeLibraryPath: every cmdlet that loads llama.cpp has it.
        string[] loadLlama = { "Invoke-EdgeInference", "Invoke-EdgeBenchmark", "New-EdgeSyntheticModel", "Convert-EdgeModel", "Get-DeviceProfile", "Measure-EdgeQuality" };
        Assert.All(loadLlama, c => Assert.Contains(Shipped.Value.Single(s => s.Name == c).Parameters, p => p.Name == "NativeLibraryPath"));
    }

    [Fact]
    public void TheTablesNameOnlyWhatExists()
    {
        // A stale entry would hide a future drift.
        var all = Shipped.Value.SelectMany(c => c.Parameters.Select(p => (c.Name, p.Name))).ToHashSet();
        string[] stale = Aliases.Keys.Concat(NoOption.Keys)
            .Where(k => k.Cmdlet == "*" ? !all.Any(a => a.Item2 == k.Parameter) : !all.Contains((k.Cmdlet, k.Parameter)))
            .Select(k => $"{k.Cmdlet} -{k.Parameter}")
            .ToArray();
        Assert.True(stale.Length == 0, "the tables name parameters that do not exist: " + string.Join(", ", stale));
    }

    [Theory]
    [InlineData("MaxTokens", "--max-tokens")]
    [InlineData("KvHeads", "--kv-heads")]
    [InlineData("TopK", "--top-k")]
    [InlineData("IntervalMs", "--interval-ms")]
    public void NamesAreKebabCase(string parameter, string option) => Assert.Equal(option, OptionName("Any", parameter));

    private static string OptionName(string cmdlet, string parameter) =>
        Lookup(Aliases, cmdlet, parameter) ?? "--" + Regex.Replace(parameter, "(?<=[a-z0-9])(?=[A-Z])", "-").ToLowerInvariant();

    private static string? Lookup(Dictionary<(string, string), string> table, string cmdlet, string parameter) =>
        table.TryGetValue((cmdlet, parameter), out string? value) || table.TryGetValue(("*", parameter), out value) ? value : null;

    // The command's own options and arguments, or an option that reaches it from above (--native-dir).
    private static Symbol? Find(Command command, string name) =>
        CliTree.OwnSymbols(command).FirstOrDefault(s => CliTree.NameOf(s) == name)
        ?? Program.BuildRootCommand().Options.FirstOrDefault(o => o.Recursive && o.Name == name);

    private static bool IsFlag(Symbol symbol) => symbol is Option option && (option.ValueType == typeof(bool) || option.ValueType == typeof(bool?));

    private static string[] Choices(Symbol symbol) =>
        symbol is Option option ? option.GetCompletions(CompletionContext.Empty).Select(c => c.Label).ToArray() : Array.Empty<string>();
}

/// <summary>edgelm's command tree, as the tests read it.</summary>
internal static class CliTree
{
    /// <summary>Every command below the root by its path ("model synth"), hidden ones included.</summary>
    public static IReadOnlyDictionary<string, Command> Commands(RootCommand root)
    {
        var all = new Dictionary<string, Command>(StringComparer.Ordinal);
        void Walk(Command command, string path)
        {
            foreach (Command sub in command.Subcommands)
            {
                string subPath = path.Length == 0 ? sub.Name : path + " " + sub.Name;
                all[subPath] = sub;
                Walk(sub, subPath);
            }
        }

        Walk(root, string.Empty);
        return all;
    }

    /// <summary>The options and arguments a command declares itself (not those reaching it from the root).</summary>
    public static IEnumerable<Symbol> OwnSymbols(Command command) => command.Options.Cast<Symbol>().Concat(command.Arguments);

    /// <summary>"--name" for an option, "&lt;name&gt;" for an argument.</summary>
    public static string NameOf(Symbol symbol) => symbol is Argument ? $"<{symbol.Name}>" : symbol.Name;
}
