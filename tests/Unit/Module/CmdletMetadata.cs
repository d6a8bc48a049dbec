using System.Reflection;

namespace EdgeLm.Tests.Module;

/// <summary>One [Cmdlet] class of EdgeLm.Cmdlets, read from metadata.</summary>
internal sealed record CmdletInfo(Type Type, string Verb, string Noun, CustomAttributeData Attribute)
{
    public string Name => $"{Verb}-{Noun}";
}

internal static class CmdletMetadata
{
    public const string CmdletAttribute = "System.Management.Automation.CmdletAttribute";
    public const string OutputTypeAttribute = "System.Management.Automation.OutputTypeAttribute";

    public static Assembly CmdletsAssembly(MetadataLoadContext metadata) =>
        metadata.LoadFromAssemblyPath(Path.Combine(ModuleLayout.BinDir, "EdgeLm.Cmdlets.dll"));

    public static IReadOnlyList<CmdletInfo> Read(MetadataLoadContext metadata)
    {
        var cmdlets = new List<CmdletInfo>();
        foreach (Type type in CmdletsAssembly(metadata).GetTypes())
        {
            CustomAttributeData? attribute = type.GetCustomAttributesData()
                .FirstOrDefault(a => a.AttributeType.FullName == CmdletAttribute);
            if (attribute is null)
            {
                continue;
            }

            cmdlets.Add(new CmdletInfo(
                type,
                (string)attribute.ConstructorArguments[0].Value!,
                (string)attribute.ConstructorArguments[1].Value!,
                attribute));
        }

        return cmdlets;
    }

    /// <summary>PowerShell's approved verbs: the constants of the Verbs* classes in the SMA reference assembly.</summary>
    public static HashSet<string> ApprovedVerbs(MetadataLoadContext metadata)
    {
        Assembly sma = metadata.LoadFromAssemblyPath(ModuleLayout.SmaReferencePath);
        var verbs = new HashSet<string>(StringComparer.Ordinal);
        foreach (string className in new[] { "VerbsCommon", "VerbsData", "VerbsLifecycle", "VerbsDiagnostic", "VerbsCommunications", "VerbsSecurity", "VerbsOther" })
        {
            Type type = sma.GetType("System.Management.Automation." + className)
                ?? throw new InvalidOperationException($"System.Management.Automation.{className} is not in {ModuleLayout.SmaReferencePath}");
            foreach (FieldInfo field in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
            {
                verbs.Add((string)field.GetRawConstantValue()!);
            }
        }

        return verbs;
    }
}
