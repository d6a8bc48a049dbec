using EdgeLm.Core.Settings;
using System.Reflection;

namespace EdgeLm.Tests.Module;

/// <summary>Invoke-EdgeInference's parameters as PowerShell's binder will see them, read from the shipped assembly.</summary>
public sealed class InvokeEdgeInferenceParameterTests : IDisposable
{
    private const string ParameterAttribute = "System.Management.Automation.ParameterAttribute";
    private readonly MetadataLoadContext _metadata = ModuleLayout.OpenMetadata();
    private readonly Type _command;

    public InvokeEdgeInferenceParameterTests()
    {
        _command = CmdletMetadata.Read(_metadata).Single(c => c.Name == "Invoke-EdgeInference").Type;
    }

    public void Dispose() => _metadata.Dispose();

    [Fact]
    public void ModelBindsByPropertyNameFromFilesAndModelRecords()
    {
        var model = Parameter("Model").Single();
        Assert.True(Named<bool>(model, "ValueFromPipelineByPropertyName"));
        Assert.True(Named<bool>(model, "Mandatory"));
        string[] aliases = _command.GetProperty("Model")!.GetCustomAttributesData()
            .Single(a => a.AttributeType.Name == "AliasAttribute").ConstructorArguments.Single().Value switch
            {
                IReadOnlyList<CustomAttributeTypedArgument> list => list.Select(a => (string)a.Value!).ToArray(),
                _ => Array.Empty<string>(),
            };
        Assert.Contains("FullName", aliases);   // Get-ChildItem *.gguf
        Assert.Contains("ModelPath", aliases);  // Get-EdgeModel
    }

    [Fact]
    public void PromptTextAndPromptTokensAreSeparateSetsAndTextBindsFromThePipeline()
    {
        var prompt = Parameter("Prompt").Single();
        var tokens = Parameter("PromptTokens").Single();

        Assert.True(Named<bool>(prompt, "ValueFromPipeline"));
        Assert.True(Named<bool>(prompt, "Mandatory"));
        Assert.Equal("Prompt", Named<string>(prompt, "ParameterSetName"));
        Assert.Equal("PromptTokens", Named<string>(tokens, "ParameterSetName"));
        Assert.True(Named<bool>(tokens, "Mandatory"));
        Assert.Equal("Prompt", Named<string>(Parameter("ChatTemplate").Single(), "ParameterSetName"));
        string defaultSet = (string)_command.GetCustomAttributesData().Single(a => a.AttributeType.Name == "CmdletAttribute")
            .NamedArguments.Single(n => n.MemberName == "DefaultParameterSetName").TypedValue.Value!;
        Assert.Equal("Prompt", defaultSet);
    }

    [Theory]
    [InlineData("MaxTokens")]
    [InlineData("Threads")]
    [InlineData("GpuLayers")]
    [InlineData("ContextSize")]
    [InlineData("BatchSize")]
    [InlineData("Temperature")]
    [InlineData("TopK")]
    [InlineData("TopP")]
    [InlineData("MinP")]
    [InlineData("Seed")]
    [InlineData("StopAtEos")]
    [InlineData("Repeat")]
    [InlineData("Warmup")]
    [InlineData("IncludeWarmup")]
    [InlineData("InProcess")]
    [InlineData("FlashAttention")]
    public void EveryKnobOfTheIssueIsAParameter(string name) => Assert.NotEmpty(Parameter(name));

    [Fact]
    public void TheWorkerShipsInTheModuleBinFolder()
    {
        Assert.True(File.Exists(Path.Combine(ModuleLayout.BinDir, "edgelm.dll")), "bin/edgelm.dll (the worker) is missing");
        Assert.True(File.Exists(Path.Combine(ModuleLayout.BinDir, "edgelm.runtimeconfig.json")));
        Assert.True(File.Exists(Path.Combine(ModuleLayout.BinDir, "edgelm.deps.json")));

        // Every assembly the worker's deps.json names (System.CommandLine too) is beside it, so it starts.
        using var deps = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(ModuleLayout.BinDir, "edgelm.deps.json")));
        string[] missing = deps.RootElement.GetProperty("targets").EnumerateObject().SelectMany(t => t.Value.EnumerateObject())
            .Where(library => library.Value.TryGetProperty("runtime", out _))
            .SelectMany(library => library.Value.GetProperty("runtime").EnumerateObject().Select(r => Path.GetFileName(r.Name)))
            .Where(file => !File.Exists(Path.Combine(ModuleLayout.BinDir, file)))
            .ToArray();
        Assert.True(missing.Length == 0, "the worker's assemblies missing from bin/: " + string.Join(", ", missing));
        var help = EdgeLm.Tests.Support.ProcessRunner.Run("dotnet", new[] { Path.Combine(ModuleLayout.BinDir, "edgelm.dll"), "worker", "--help" });
        Assert.Equal(0, help.Exit);
    }

    private IEnumerable<CustomAttributeData> Parameter(string name) =>
        _command.GetProperty(name)?.GetCustomAttributesData().Where(a => a.AttributeType.FullName == ParameterAttribute)
        ?? Enumerable.Empty<CustomAttributeData>();

    private static T? Named<T>(CustomAttributeData attribute, string name)
    {
        CustomAttributeNamedArgument argument = attribute.NamedArguments.FirstOrDefault(n => n.MemberName == name);
        return argument.MemberName is null ? default : (T?)argument.TypedValue.Value;
    }
}
