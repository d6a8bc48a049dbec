using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Xml.Linq;
using EdgeLm.Core.Benchmarks;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Benchmarks;

/// <summary>
/// The records' JSON, now from compile-time contracts (RecordJson), is byte for byte what the reflection serializer
/// wrote with the same options, for every record a format view shows; results files written before still read.
/// </summary>
public sealed class RecordJsonTests
{
    // What RecordText.ToJsonLine did before the contracts were generated: reflection, relaxed escaping.
    private static readonly JsonSerializerOptions Reflection = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    [Fact]
    public void ANonFiniteFigureIsWrittenByNameAndRefusedOnImport()
    {
        var record = new InferenceResult { RunId = "r", DecodeTokensPerSecond = double.NaN, PrefillTokensPerSecond = double.PositiveInfinity };

        string line = RecordText.ToJsonLine(record);

        Assert.Contains("\"DecodeTokensPerSecond\":\"NaN\"", line);
        Assert.Contains("\"PrefillTokensPerSecond\":\"Infinity\"", line);
        using var temp = new TempFolder();
        string file = temp.File("nan.jsonl");
        File.WriteAllText(file, line + "\n");
        var e = Assert.ThrowsAny<EdgeLm.Core.EdgeLmException>(() => EdgeLm.Core.Benchmarks.ResultFiles.Import(file));
        Assert.Contains("which no run measures", e.Message);
    }

    private static string AsBefore(object record)
    {
        if (record is not IFlatRecord flat)
        {
            return JsonSerializer.Serialize(record, record.GetType(), Reflection);
        }

        var node = new JsonObject();
        foreach ((string name, object? value) in flat.GetFields())
        {
            node[name] = value is null ? null : JsonSerializer.SerializeToNode(value, value.GetType(), Reflection);
        }

        return node.ToJsonString(Reflection);
    }

    /// <summary>Every record type the module's format file has a view for: what users see and export.</summary>
    public static TheoryData<string> RecordTypes()
    {
        XDocument format = XDocument.Load(Path.Combine(Repository.Root, "module", "EdgeLm.Format.ps1xml"));
        var names = new TheoryData<string>();
        foreach (string name in format.Descendants("TypeName").Select(t => t.Value.Trim()).Distinct())
        {
            names.Add(name);
        }

        return names;
    }

    [Theory]
    [MemberData(nameof(RecordTypes))]
    public void EveryRecordIsWrittenAsTheReflectionSerializerWroteIt(string typeName)
    {
        Type type = typeof(InferenceResult).Assembly.GetType(typeName, throwOnError: true)!;

        foreach (object record in new[] { SampleValues.Fill(type, 1), SampleValues.Fill(type, 2, nulls: true), Activator.CreateInstance(type)! })
        {
            Assert.Equal(AsBefore(record), RecordText.ToJsonLine(record));
        }
    }

    [Fact]
    public void FlatRowsOfEveryScalarAreWrittenAsBefore()
    {
        object?[] scalars =
        {
            SampleValues.Awkward, true, 'c', new DateTime(2026, 12, 1, 2, 44, 24, 385, DateTimeKind.Utc), new DateTimeOffset(2026, 12, 1, 2, 44, 24, TimeSpan.FromHours(2)),
            TimeSpan.FromMilliseconds(1234.5), Guid.Parse("5b0d3c4e-8f1a-4e62-9a37-2c6d1e7f0b84"), 12.345m, 0.1 + 0.2, 0.7f, (sbyte)-5, (byte)5, (short)-300, (ushort)300,
            -70000, 4_000_000_000u, -5_000_000_000L, ulong.MaxValue, null,
        };
        var row = new FlatRow("Selected.EdgeLm.InferenceResult", scalars.Select((v, i) => new KeyValuePair<string, object?>($"Column{i} + <{v?.GetType().Name}>", v)).ToArray());

        Assert.Equal(AsBefore(row), RecordText.ToJsonLine(row));
    }

    [Fact]
    public void AFieldThatIsNotASingleValueIsRefusedByName()
    {
        var row = new FlatRow("x", new[] { new KeyValuePair<string, object?>("Nested", new[] { 1, 2 }) });

        Assert.Contains("System.Int32[]", Assert.Throws<NotSupportedException>(() => RecordText.ToJsonLine(row)).Message);
    }

    /// <summary>
    /// A results file written before the contracts were generated (a real run of the tiny model, a record with every
    /// property set to awkward values, one with every nullable figure null, one with nothing but its RunId, as every record has) resumes and imports, and
    /// each record is written again with every property it had, each value to the byte.
    /// </summary>
    [Fact]
    public void AResultsFileWrittenBeforeResumesAndImportsToTheByte()
    {
        using var temp = new TempFolder();
        string fixture = Path.Combine(Repository.Root, "tests", "Fixtures", "results", "written-by-0.1.0.jsonl");
        string file = temp.File("results.jsonl");
        File.Copy(fixture, file);
        string[] lines = File.ReadAllLines(fixture);

        using (ResultStore store = ResultStore.Open(file, resume: true))
        {
            Assert.Null(store.Repaired);
            Assert.Equal(lines.Length, store.Records);
            Assert.Equal(new[] { "fixture-key-1", "fixture-key-2" }, store.Keys.Order(StringComparer.Ordinal));
        }

        // Read both ways: as Import-EdgeResult reads (each value by the result's rules) and by the generated contract.
        IReadOnlyList<InferenceResult> imported = ResultFiles.Import(file);
        Assert.Equal(lines.Length, imported.Count);
        for (int i = 0; i < lines.Length; i++)
        {
            AssertWrittenAgain(lines[i], imported[i], i + 1);
            AssertWrittenAgain(lines[i], JsonSerializer.Deserialize(lines[i], RecordJson.Text.InferenceResult)!, i + 1);
        }

        Assert.Equal(File.ReadAllText(fixture), File.ReadAllText(file));
    }

    private static void AssertWrittenAgain(string line, InferenceResult record, int number)
    {
        using JsonDocument before = JsonDocument.Parse(line);
        using JsonDocument now = JsonDocument.Parse(RecordText.ToJsonLine(record));
        Dictionary<string, string> written = now.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText());
        foreach (JsonProperty property in before.RootElement.EnumerateObject())
        {
            Assert.True(written.TryGetValue(property.Name, out string? raw), $"line {number}: {property.Name} is no longer written");
            Assert.Equal(property.Value.GetRawText(), raw);
        }
    }
}
