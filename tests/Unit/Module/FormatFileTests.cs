using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace EdgeLm.Tests.Module;

/// <summary>module/EdgeLm.Format.ps1xml names real types and real properties of them.</summary>
public sealed class FormatFileTests : IDisposable
{
    private static readonly Regex PipelineProperty = new(@"\$_\.(\w+)", RegexOptions.Compiled);

    private readonly MetadataLoadContext _metadata = ModuleLayout.OpenMetadata();

    public void Dispose() => _metadata.Dispose();

    private static XDocument Load() =>
        XDocument.Load(Path.Combine(ModuleLayout.SourceModuleDir, "EdgeLm.Format.ps1xml"), LoadOptions.SetLineInfo);

    private Assembly Core => _metadata.LoadFromAssemblyPath(Path.Combine(ModuleLayout.BinDir, "EdgeLm.Core.dll"));

    private static IEnumerable<XElement> Views(XDocument format) =>
        format.Root!.Element("ViewDefinitions")?.Elements("View") ?? Enumerable.Empty<XElement>();

    [Fact]
    public void IsAFormatFileWithViewsForTheRecords()
    {
        XDocument format = Load();

        Assert.Equal("Configuration", format.Root!.Name.LocalName);
        string[] typeNames = Views(format).SelectMany(v => v.Element("ViewSelectedBy")!.Elements("TypeName")).Select(t => t.Value.Trim()).ToArray();
        Assert.Contains("EdgeLm.ModelInfo", typeNames);
        Assert.Contains("EdgeLm.InferenceResult", typeNames);
        Assert.Contains("EdgeLm.DeviceProfile", typeNames);
        Assert.Contains("EdgeLm.PowerSourceInfo", typeNames);
        Assert.Contains("EdgeLm.EnergyMeasurement", typeNames);
        string[] names = Views(format).Select(v => (string?)v.Element("Name") ?? string.Empty).ToArray();
        Assert.DoesNotContain(string.Empty, names);
        // Every type has its default view and a 'Wide' one: a name is unique per type, which is how -View finds it.
        string[] keys = Views(format).Select(v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value.Trim() + "/" + (string?)v.Element("Name")).ToArray();
        Assert.Equal(keys.Length, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void EveryTypeNameIsAPublicCoreType()
    {
        foreach (XElement typeName in Views(Load()).SelectMany(v => v.Element("ViewSelectedBy")!.Elements("TypeName")))
        {
            Type? type = Core.GetType(typeName.Value.Trim());
            Assert.True(type is { IsPublic: true }, $"line {Line(typeName)}: '{typeName.Value}' is not a public type in EdgeLm.Core");
        }
    }

    [Fact]
    public void EveryColumnReadsARealProperty()
    {
        foreach (XElement view in Views(Load()))
        {
            string typeName = view.Element("ViewSelectedBy")!.Element("TypeName")!.Value.Trim();
            // Summaries and comparisons are typed too: their properties are every column they can have.
            Type type = Core.GetType(typeName)!;
            Assert.NotNull(type);
            HashSet<string> properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

            foreach (XElement property in view.Descendants("PropertyName"))
            {
                Assert.True(properties.Contains(property.Value.Trim()),
                    $"line {Line(property)}: {typeName} has no property '{property.Value}'");
            }

            foreach (XElement script in view.Descendants("ScriptBlock"))
            {
                string[] used = PipelineProperty.Matches(script.Value).Select(m => m.Groups[1].Value).ToArray();
                Assert.True(used.Length > 0, $"line {Line(script)}: a calculated column that reads nothing from $_");
                foreach (string name in used)
                {
                    Assert.True(properties.Contains(name), $"line {Line(script)}: {typeName} has no property '{name}' ($_.{name})");
                }
            }
        }
    }

    [Fact]
    public void EveryTableRowHasOneItemPerHeader()
    {
        foreach (XElement table in Views(Load()).Select(v => v.Element("TableControl")).OfType<XElement>())
        {
            int headers = table.Element("TableHeaders")!.Elements("TableColumnHeader").Count();
            foreach (XElement row in table.Descendants("TableRowEntry"))
            {
                Assert.Equal(headers, row.Element("TableColumnItems")!.Elements("TableColumnItem").Count());
            }
        }
    }

    private static int Line(XElement element) => ((System.Xml.IXmlLineInfo)element).LineNumber;
}
