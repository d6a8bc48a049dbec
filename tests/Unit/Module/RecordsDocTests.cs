using System.Reflection;
using System.Text.RegularExpressions;
using EdgeLm.Core.Benchmarks;
using EdgeLm.Tests.Support;
using Xunit;

namespace EdgeLm.Tests.Module;

/// <summary>docs/records.md is the contract users read: every public property of every record must be in it.</summary>
public class RecordsDocTests
{
    // What the cmdlets and the CLI emit as records.
    public static readonly TheoryData<Type> Records = new()
    {
        typeof(InferenceResult), typeof(ModelInfo), typeof(DeviceProfile), typeof(PowerSourceInfo), typeof(EnergyMeasurement),
        typeof(BenchmarkSummary), typeof(ResultComparison), typeof(BudgetResult), typeof(CostEstimate), typeof(FitPrediction), typeof(PromptCheckResult), typeof(PromptSuiteSummary), typeof(QualityResult),
    };

    private static readonly Lazy<string> Doc = new(() => File.ReadAllText(Path.Combine(Repository.Root, "docs", "records.md")));

    [Theory]
    [MemberData(nameof(Records))]
    public void DocumentsEveryPublicProperty(Type record)
    {
        Assert.Contains($"## {record.Name}", Doc.Value);
        HashSet<string> named = Regex.Matches(Doc.Value, "`([A-Za-z0-9]+)`").Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        string[] missing = record.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0)
            .Select(p => p.Name)
            .Where(name => !named.Contains(name) && !IsFigureStatistic(record, name, named))
            .ToArray();

        Assert.True(missing.Length == 0, $"docs/records.md does not describe {record.Name}.{string.Join(", ", missing)}");
    }

    // A summary's <Figure><Statistic> columns are described once, by their parts.
    private static bool IsFigureStatistic(Type record, string name, HashSet<string> named) =>
        record == typeof(BenchmarkSummary)
        && BenchmarkSummary.Figures.Any(f => name.StartsWith(f, StringComparison.Ordinal)
            && BenchmarkSummary.StatisticNames.Contains(name[f.Length..]) && named.Contains(f) && named.Contains(name[f.Length..]));
}
