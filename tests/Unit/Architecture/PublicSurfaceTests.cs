using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace EdgeLm.Tests.Architecture;

/// <summary>
/// EdgeLm.Core is internal by default: a public type is one a front end (the cmdlets or the CLI) uses, a record
/// users see (namespace EdgeLm), or one a used type's public members expose (listed here with the reason).
/// </summary>
public sealed class PublicSurfaceTests
{
    private static readonly Dictionary<string, string> ExposedBy = new()
    {
        ["EdgeLm.Core.Benchmarks.BenchmarkPlan"] = "LoadedPlan.Plan, what PlanReader.Read returns",
        ["EdgeLm.Core.Benchmarks.PlanModel"] = "BenchmarkPlan.Models",
        ["EdgeLm.Core.Benchmarks.PlanCooldown"] = "BenchmarkPlan.Cooldown",
        ["EdgeLm.Core.Benchmarks.PlanQuality"] = "BenchmarkPlan.Quality",
        ["EdgeLm.Core.Energy.IEnergySource"] = "EnergySelection.Sources",
    };

    [Fact]
    public void PublicCoreTypesAreThoseTheFrontEndsUse()
    {
        var used = new HashSet<string>(UsedFromCore(typeof(EdgeLm.Cmdlets.WorkerPump).Assembly.Location)
            .Concat(UsedFromCore(typeof(EdgeLm.Cli.RecordPrinter).Assembly.Location)), StringComparer.Ordinal);
        string[] unused = typeof(EdgeLm.Core.EdgeLmException).Assembly.GetExportedTypes()
            .Where(t => !t.IsNested && t.Namespace != "EdgeLm")
            .Select(t => t.FullName!)
            .Where(name => !used.Contains(name) && !ExposedBy.ContainsKey(name))
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.True(unused.Length == 0, "public in EdgeLm.Core but used by no front end (make it internal): " + string.Join(", ", unused));
    }

    [Fact]
    public void EveryTypeListedAsExposedIsStillPublic()
    {
        Type[] exported = typeof(EdgeLm.Core.EdgeLmException).Assembly.GetExportedTypes();
        Assert.All(ExposedBy.Keys, name => Assert.Contains(exported, t => t.FullName == name));
    }

    /// <summary>Full names of the EdgeLm.Core types an assembly references (nested types as Outer+Inner).</summary>
    private static IEnumerable<string> UsedFromCore(string assemblyPath)
    {
        using FileStream stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        MetadataReader reader = pe.GetMetadataReader();
        var names = new List<string>();
        foreach (TypeReferenceHandle handle in reader.TypeReferences)
        {
            TypeReference type = reader.GetTypeReference(handle);
            if (Scope(reader, type) == "EdgeLm.Core")
            {
                names.Add(FullName(reader, type));
            }
        }

        return names;
    }

    private static string Scope(MetadataReader reader, TypeReference type) => type.ResolutionScope.Kind switch
    {
        HandleKind.AssemblyReference => reader.GetString(reader.GetAssemblyReference((AssemblyReferenceHandle)type.ResolutionScope).Name),
        HandleKind.TypeReference => Scope(reader, reader.GetTypeReference((TypeReferenceHandle)type.ResolutionScope)),
        _ => string.Empty,
    };

    private static string FullName(MetadataReader reader, TypeReference type) => type.ResolutionScope.Kind == HandleKind.TypeReference
        ? FullName(reader, reader.GetTypeReference((TypeReferenceHandle)type.ResolutionScope)) + "+" + reader.GetString(type.Name)
        : reader.GetString(type.Namespace) + "." + reader.GetString(type.Name);
}
