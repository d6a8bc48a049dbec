using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace EdgeLm.Core.Benchmarks;

/// <summary>One budget rule: a figure's statistic over matching runs must stay within min and/or max.</summary>
public sealed class BudgetRule
{
    public string Figure { get; set; } = string.Empty;
    /// <summary>A number, or a size with a unit for byte figures: 3GB, 512MB, 1.5GiB; or the figure's own unit (2000ms, 5W).</summary>
    public string? Min { get; set; }
    public string? Max { get; set; }
    /// <summary>median (default), mean, p5, p95, min or max over the matching runs.</summary>
    public string Statistic { get; set; } = "median";
    /// <summary>Wildcards (* and ?) on ModelName and DeviceName; absent = every model or device.</summary>
    public string? Model { get; set; }
    public string? Device { get; set; }
}

/// <summary>A budget file: `budgets:` followed by rules.</summary>
internal sealed class BudgetFile
{
    public List<BudgetRule> Budgets { get; set; } = new();
}

/// <summary>The verdict on one rule (Test-EdgeBudget, edgelm budget).</summary>
public sealed class BudgetResult
{
    public string Rule { get; set; } = string.Empty;
    public string Figure { get; set; } = string.Empty;
    public string Statistic { get; set; } = string.Empty;
    public double? Min { get; set; }
    public double? Max { get; set; }
    public double? Value { get; set; }
    public int Runs { get; set; }
    public string? Model { get; set; }
    public string? Device { get; set; }
    public bool Passed { get; set; }
    public string Message { get; set; } = string.Empty;
}

/// <summary>Reads budget files strictly (line and column on errors) and checks results against them.</summary>
public static class Budgets
{
    public static IReadOnlyList<BudgetRule> Read(string path)
    {
        string full = Path.GetFullPath(path);
        string text;
        try
        {
            text = InputFiles.ReadText(full, InputFiles.MaxDocumentBytes, "budget file", "BudgetNotFound");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EdgeLmInvalidFileException(full, "BudgetUnreadable", $"{full}: {e.Message}");
        }

        BudgetFile file;
        try
        {
            YamlLimits.Check(text, full, "budget file");
            file = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build()
                .Deserialize<BudgetFile>(text) ?? new BudgetFile();
        }
        catch (YamlException e)
        {
            throw new EdgeLmInvalidFileException(full, "BudgetInvalid", $"{PlanReader.At(full, e.Start)}: {e.InnerException?.Message ?? e.Message}");
        }

        if (file.Budgets.Count == 0)
        {
            throw new EdgeLmInvalidFileException(full, "BudgetEmpty", $"{full}: no rules under 'budgets:'");
        }

        for (int i = 0; i < file.Budgets.Count; i++)
        {
            BudgetRule rule = file.Budgets[i];
            try
            {
                ResultFields.Get(rule.Figure);
                if (rule.Min is null && rule.Max is null)
                {
                    throw new EdgeLmArgumentException("BudgetNoLimit", "give min, max or both");
                }

                Limit(rule.Min, rule.Figure);
                Limit(rule.Max, rule.Figure);
                _ = Aggregate(new[] { 1.0 }, rule.Statistic);
            }
            catch (EdgeLmArgumentException e)
            {
                throw new EdgeLmInvalidFileException(full, "BudgetInvalid", $"{full}: rule {i + 1} ({rule.Figure}): {e.Message}");
            }
        }

        return file.Budgets;
    }

    public static IReadOnlyList<BudgetResult> Check(IEnumerable<InferenceResult> results, IReadOnlyList<BudgetRule> rules)
    {
        InferenceResult[] measured = results.Where(r => !r.Warmup).ToArray();
        var verdicts = new List<BudgetResult>();
        foreach (BudgetRule rule in rules)
        {
            string figure = ResultFields.Get(rule.Figure).Name;
            double[] values = measured.Where(r => Matches(r.ModelName, rule.Model) && Matches(r.DeviceName, rule.Device))
                .Select(r => ResultFields.Number(r, figure)).OfType<double>().ToArray();
            double? min = Limit(rule.Min, figure), max = Limit(rule.Max, figure);
            double? value = values.Length > 0 ? Aggregate(values, rule.Statistic) : null;
            bool passed = value is double v && (min is null || v >= min) && (max is null || v <= max);
            string bounds = string.Join(" and ", new[] { min is null ? null : $">= {Format(min.Value, figure)}", max is null ? null : $"<= {Format(max.Value, figure)}" }.OfType<string>());
            string scope = string.Join(", ", new[] { rule.Model is null ? null : $"model {rule.Model}", rule.Device is null ? null : $"device {rule.Device}" }.OfType<string>());
            string description = $"{figure} {rule.Statistic.ToLowerInvariant()} {bounds}{(scope.Length > 0 ? $" ({scope})" : "")}";
            verdicts.Add(new BudgetResult
            {
                Rule = description,
                Figure = figure,
                Statistic = rule.Statistic.ToLowerInvariant(),
                Min = min,
                Max = max,
                Value = value,
                Runs = values.Length,
                Model = rule.Model,
                Device = rule.Device,
                Passed = passed,
                Message = value is null ? $"FAIL {description}: no run matches, so nothing shows the budget is kept"
                    : $"{(passed ? "PASS" : "FAIL")} {description}: {Format(value.Value, figure)} over {values.Length} runs",
            });
        }

        return verdicts;
    }

    private static bool Matches(string value, string? pattern) =>
        pattern is null || Regex.IsMatch(value, "^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static double Aggregate(double[] values, string statistic)
    {
        double[] sorted = values.Order().ToArray();
        return statistic.ToLowerInvariant() switch
        {
            "median" => Percentiles.Of(sorted, 50),
            "mean" => Statistics.Of(sorted)!.Mean,
            "p5" => Percentiles.Of(sorted, 5),
            "p95" => Percentiles.Of(sorted, 95),
            "min" => sorted[0],
            "max" => sorted[^1],
            var other => throw new EdgeLmArgumentException("BudgetStatistic", $"statistic '{other}' is not one of median, mean, p5, p95, min, max"),
        };
    }

    /// <summary>
    /// A limit on <paramref name="figure"/>: a number in the figure's unit, optionally with that unit written (2000ms,
    /// 5W), or for a byte figure a size (KB, MB, GB, TB are powers of 1000; KiB, MiB, GiB, TiB of 1024). A unit that
    /// does not fit the figure (3GB on tokens per second) is refused naming both, never scaled into a wrong limit.
    /// </summary>
    internal static double? Limit(string? text, string figure)
    {
        if (text is null)
        {
            return null;
        }

        BudgetUnits.Unit unit = BudgetUnits.Of(figure);
        if (NumberText.Why(text) is string shape)
        {
            // 12,5 would otherwise read as 12 followed by the unknown unit ",5".
            throw new EdgeLmArgumentException("BudgetLimit", $"'{text}' is not a number: {shape}");
        }

        Match m = Regex.Match(text.Trim(), @"^([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(\S.*)?$", RegexOptions.CultureInvariant);
        if (!m.Success)
        {
            throw new EdgeLmArgumentException("BudgetLimit", $"'{text}' is not a number{(unit.Key == BudgetUnits.Bytes ? " or a size such as 3GB" : string.Empty)}");
        }

        double number = double.Parse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        double scale = m.Groups[2].Success ? BudgetUnits.Scale(figure, unit, m.Groups[2].Value.Trim(), text) : 1;
        if (!double.IsFinite(number * scale))
        {
            throw new EdgeLmArgumentException("BudgetLimit", $"'{text}' is beyond the largest number a limit holds (about 1.8e308)");
        }

        return number * scale;
    }

    /// <summary>
    /// A limit or value as a person reads it and a budget file accepts it: byte figures in SI units as in the file
    /// (64GB, 1KB), other figures as plain decimals (never 9e8).
    /// </summary>
    internal static string Format(double value, string figure)
    {
        if (figure.EndsWith("Bytes", StringComparison.Ordinal) && Math.Abs(value) >= 1e3)
        {
            (double scale, string unit) = Math.Abs(value) switch
            {
                >= 1e12 => (1e12, "TB"),
                >= 1e9 => (1e9, "GB"),
                >= 1e6 => (1e6, "MB"),
                _ => (1e3, "KB"),
            };
            return (value / scale).ToString("0.###", CultureInfo.InvariantCulture) + unit;
        }

        return value.ToString(Math.Abs(value) >= 1 ? "0.###" : "0.######", CultureInfo.InvariantCulture);
    }
}
