using System.Reflection;
using Xunit;

namespace EdgeLm.Tests.Module;

/// <summary>The conventions every EdgeLm cmdlet class keeps, read from the shipped EdgeLm.Cmdlets.dll.</summary>
public sealed class CmdletTests : IDisposable
{
    // Nouns that may not start with "Edge": names fixed by the design before the prefix rule.
    private static readonly HashSet<string> NounExceptions = new(StringComparer.Ordinal) { "Get-DeviceProfile" };

    private readonly MetadataLoadContext _metadata = ModuleLayout.OpenMetadata();

    public void Dispose() => _metadata.Dispose();

    [Fact]
    public void ApprovedVerbsComeFromTheReferenceAssembly()
    {
        HashSet<string> verbs = CmdletMetadata.ApprovedVerbs(_metadata);

        // Sanity of the source itself: the well-known verbs are there and made-up ones are not.
        Assert.Contains("Get", verbs);
        Assert.Contains("Invoke", verbs);
        Assert.DoesNotContain("Make", verbs);
        Assert.True(verbs.Count > 50, $"only {verbs.Count} verbs read");
    }

    [Fact]
    public void EveryCmdletUsesAnApprovedVerb()
    {
        HashSet<string> verbs = CmdletMetadata.ApprovedVerbs(_metadata);
        IReadOnlyList<CmdletInfo> cmdlets = CmdletMetadata.Read(_metadata);

        Assert.NotEmpty(cmdlets);
        Assert.All(cmdlets, c => Assert.True(verbs.Contains(c.Verb), $"{c.Type.Name}: '{c.Verb}' is not an approved verb"));
    }

    [Fact]
    public void EveryNounStartsWithEdge()
    {
        Assert.All(CmdletMetadata.Read(_metadata), c => Assert.True(
            c.Noun.StartsWith("Edge", StringComparison.Ordinal) && c.Noun.Length > 4 || NounExceptions.Contains(c.Name),
            $"{c.Type.Name}: the noun '{c.Noun}' does not start with 'Edge'"));
    }

    [Fact]
    public void EveryCmdletDeclaresRealOutputTypes()
    {
        Assembly[] searched = _metadata.GetAssemblies().ToArray();
        Assert.All(CmdletMetadata.Read(_metadata), c =>
        {
            CustomAttributeData[] outputTypes = c.Type.GetCustomAttributesData()
                .Where(a => a.AttributeType.FullName == CmdletMetadata.OutputTypeAttribute).ToArray();
            Assert.True(outputTypes.Length > 0, $"{c.Type.Name} has no [OutputType]");
            foreach (CustomAttributeData outputType in outputTypes)
            {
                IReadOnlyList<CustomAttributeTypedArgument> named = Assert.Single(outputType.ConstructorArguments).Value switch
                {
                    IReadOnlyList<CustomAttributeTypedArgument> list => list,
                    var other => throw new Xunit.Sdk.XunitException($"{c.Type.Name}: unexpected [OutputType] argument {other}"),
                };
                Assert.NotEmpty(named);
                foreach (CustomAttributeTypedArgument argument in named)
                {
                    Type? type = argument.Value switch
                    {
                        Type t => t,
                        string name => searched.Select(a => a.GetType(name)).FirstOrDefault(t => t is not null),
                        _ => null,
                    };
                    Assert.True(type is { IsPublic: true }, $"{c.Type.Name}: [OutputType] names '{argument.Value}', which is no public type");
                    // Resolving members proves the type's own assembly is there too (not just a name in a signature).
                    Assert.NotEmpty(type!.GetProperties());
                }
            }
        });
    }

    [Fact]
    public void CmdletClassesAreNamedForTheirCommandAndDeriveFromTheBase()
    {
        Assert.All(CmdletMetadata.Read(_metadata), c =>
        {
            Assert.Equal(c.Verb + c.Noun + "Command", c.Type.Name);
            Assert.True(c.Type.IsPublic && c.Type.IsSealed, $"{c.Type.Name} should be public and sealed");
            Assert.Equal("EdgeLm.Cmdlets.Commands", c.Type.Namespace);
            Assert.Contains("EdgeLm.Cmdlets.EdgeLmCmdlet", BaseTypes(c.Type));
        });
    }

    private static IEnumerable<string?> BaseTypes(Type type)
    {
        for (Type? t = type.BaseType; t is not null; t = t.BaseType)
        {
            yield return t.FullName;
        }
    }
}
