using System.Globalization;
using System.Numerics;
using System.Reflection;

namespace EdgeLm.Core.Benchmarks;

/// <summary>An input that is not an InferenceResult, or holds a value that cannot be one of its properties.</summary>
public sealed class EdgeLmInvalidResultException : EdgeLmException
{
    public EdgeLmInvalidResultException(string errorId, string message)
        : base(errorId, message)
    {
    }

    public override string Category => "InvalidData";
}

/// <summary>
/// Turns a record given as names and values into an InferenceResult: a CSV row, a JSON object, or a PowerShell
/// object from Import-Csv, Import-Clixml or remoting. One set of rules for all of them:
/// <list type="bullet">
/// <item>Names match InferenceResult's properties ignoring case; other names are ignored (a newer file's columns).</item>
/// <item>A result must have <see cref="Required"/>: RunId, DeviceName, ModelName and every number or flag that
/// cannot be null, since an absent number would read as a measured 0 (and an absent Warmup as "measured").</item>
/// <item>Text is parsed in the invariant culture (<see cref="NumberText"/>), and a plain decimal comma ("12,5") only
/// where this machine's culture writes one (Export-Csv's round trip here); elsewhere it is refused with the fix, so
/// no machine reads a file's number as another number; "True"/"False" for flags; empty text is null where the property may be null, "" for text, and an error for a
/// number that cannot be null. Numbers, flags and dates from deserialized objects are taken by the same rules.</item>
/// <item>Every problem in a record is reported at once, naming the property and the value.</item>
/// </list>
/// </summary>
public static class ResultConversion
{
    private static readonly Slot[] Slots = CreateSlots();
    private static readonly Dictionary<string, Slot> ByName = Slots.ToDictionary(s => s.Property.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The properties a record must have to be taken as a result.</summary>
    public static IReadOnlyList<string> Required { get; } = Slots
        .Where(s => s.Property.Name is nameof(InferenceResult.RunId) or nameof(InferenceResult.DeviceName) or nameof(InferenceResult.ModelName)
            || (s.Property.PropertyType.IsValueType && !s.Nullable))
        .Select(s => s.Property.Name).ToArray();

    /// <summary>
    /// The result <paramref name="fields"/> describe; <see cref="EdgeLmInvalidResultException"/> when they are no result.
    /// <paramref name="locate"/> says where a field is in its file ("column 12"), for the message.
    /// </summary>
    public static InferenceResult FromFields(IEnumerable<KeyValuePair<string, object?>> fields, Func<string, string?>? locate = null)
    {
        var given = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach ((string name, object? value) in fields)
        {
            given.TryAdd(name, value);
        }

        string[] missing = Required.Where(n => !given.ContainsKey(n)).ToArray();
        if (missing.Length > 0)
        {
            throw new EdgeLmInvalidResultException("NotAResult", NotAResultMessage(given.Keys, missing));
        }

        var result = new InferenceResult();
        var problems = new List<string>();
        foreach ((string name, object? value) in given)
        {
            if (!ByName.TryGetValue(name, out Slot? slot))
            {
                continue;
            }

            string label = locate?.Invoke(name) is string at ? $"{slot.Property.Name} ({at})" : slot.Property.Name;
            if (TryConvert(slot, label, value, out object? converted, out string? problem))
            {
                slot.Property.SetValue(result, converted);
            }
            else
            {
                problems.Add(problem!);
            }
        }

        if (problems.Count > 0)
        {
            throw new EdgeLmInvalidResultException("InvalidResultValue", string.Join("; ", problems));
        }

        return result;
    }

    /// <summary>
    /// Why a record with these names is no result: the missing properties (a few named, the rest counted) and,
    /// when the names show it, what the record is instead (a summary, a comparison, a budget verdict).
    /// </summary>
    public static string NotAResultMessage(IEnumerable<string> names, IReadOnlyList<string> missing)
    {
        var set = new HashSet<string>(names, StringComparer.OrdinalIgnoreCase);
        string what = set.Contains("Runs") && set.Any(n => n.EndsWith("Median", StringComparison.OrdinalIgnoreCase)) ? "a benchmark summary (Measure-EdgeResult, edgelm summary)"
            : set.Contains("Verdict") && set.Contains("Ratio") ? "a comparison (Compare-EdgeResult, edgelm compare)"
            : set.Contains("Rule") && set.Contains("Passed") ? "a budget verdict (Test-EdgeBudget, edgelm budget)"
            : set.Count == 0 ? "an empty record"
            : "not an InferenceResult";
        string listed = missing.Count <= 5
            ? string.Join(", ", missing)
            : string.Join(", ", missing.Take(4)) + $" and {missing.Count - 4} more";
        return what.StartsWith("not", StringComparison.Ordinal)
            ? $"not an InferenceResult: no {listed}"
            : $"{what}, not an InferenceResult (no {listed})";
    }

    // Net energy is gross minus the idle baseline: below zero when a short run drew less than the baseline's noise
    // (docs/records.md), and so is the per-token figure made from it. Records keep them as measured; imports too.
    private static readonly HashSet<string> MayBeNegative = new(StringComparer.Ordinal)
    {
        nameof(InferenceResult.NetEnergyJoules), nameof(InferenceResult.JoulesPerToken),
    };

    private static bool TryConvert(Slot slot, string label, object? value, out object? converted, out string? problem)
    {
        converted = null;
        problem = null;
        string name = slot.Property.Name;
        string? text;
        switch (value)
        {
            case null:
                text = null;
                break;
            case string s:
                text = s;
                break;
            case bool b:
                text = b ? "True" : "False";
                break;
            case DateTime d:
                // ConvertFrom-Json turns ISO 8601 text into dates; Timestamp is written as UTC with milliseconds.
                text = (d.Kind == DateTimeKind.Unspecified ? d : d.ToUniversalTime()).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
                break;
            case DateTimeOffset o:
                text = o.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
                break;
            case double or float:
                text = RecordText.Invariant(value);
                break;
            case sbyte or byte or short or ushort or int or uint or long or ulong or decimal or BigInteger:
                text = ((IFormattable)value).ToString(null, CultureInfo.InvariantCulture);
                break;
            case char c:
                text = c.ToString();
                break;
            case Enum e:
                text = e.ToString();
                break;
            default:
                string holds = value is System.Text.Json.JsonElement json ? $"a JSON {json.ValueKind.ToString().ToLowerInvariant()}" : $"a {value.GetType().FullName}";
                problem = $"{label} holds {holds}, not a single value";
                return false;
        }

        if (string.IsNullOrEmpty(text))
        {
            if (slot.Nullable)
            {
                return true;
            }

            if (slot.Target == typeof(string))
            {
                converted = string.Empty;
                return true;
            }

            problem = $"{label} is empty; it needs {slot.Expected}";
            return false;
        }

        if (slot.Target == typeof(string))
        {
            converted = text;
            return true;
        }

        string trimmed = text.Trim();
        if (slot.Target == typeof(bool))
        {
            if (bool.TryParse(trimmed, out bool flag))
            {
                converted = flag;
                return true;
            }
        }
        else if (slot.Target == typeof(double) || slot.Target == typeof(float))
        {
            if (TryParseNumber(trimmed, out double number))
            {
                // A measured figure is finite, and only net energy may fall below zero: NaN or a negative speed is
                // a corrupt or hand-edited file, never a run.
                if (double.IsInfinity(number) && !trimmed.Contains("Infinity", StringComparison.OrdinalIgnoreCase) && !trimmed.Contains('\u221E'))
                {
                    // .NET reads 1e400 as infinity: say the written number is out of range, not that it is infinite.
                    problem = $"{label} '{text}' is beyond the largest number a figure holds (about 1.8e308)";
                    return false;
                }

                if (!double.IsFinite(number) || (number < 0 && !MayBeNegative.Contains(name)))
                {
                    problem = $"{label} is {text}, which no run measures (a figure is a finite number{(MayBeNegative.Contains(name) ? "" : " of 0 or more")})";
                    return false;
                }

                converted = slot.Target == typeof(double) ? number : (float)number;
                return true;
            }
        }
        else if (TryParseWhole(trimmed, slot.Target, out object? whole))
        {
            // Counts are 0 or more; GpuLayers -1 means all layers.
            long minimum = name == nameof(InferenceResult.GpuLayers) ? -1 : 0;
            if (whole is int i && i < minimum || whole is long l && l < minimum)
            {
                problem = $"{label} is {text}; it is {minimum.ToString(CultureInfo.InvariantCulture)} or more";
                return false;
            }

            converted = whole;
            return true;
        }

        problem = $"{label} '{text}' is not {slot.Expected}";
        if (slot.Target != typeof(bool) && NumberText.Why(trimmed) is string why)
        {
            // Export-Csv writes each number with ToString(), in the current culture: 0,8279 under German.
            problem += trimmed.Contains(',')
                ? $": {why}; Export-Csv writes numbers in the current culture, so write results files with Export-EdgeResult or edgelm export --to csv"
                : $": {why}";
        }

        return false;
    }

    // Invariant first (JSON, RecordText, Export-EdgeResult). One exception: where this machine's culture writes a
    // decimal comma, a plain "12,5" is what Export-Csv wrote here (ToString() never groups digits), so pwsh's own
    // round trip (Invoke-EdgeBenchmark | Export-Csv, then Import-EdgeResult) works. Anywhere else the comma is
    // refused with the fix, never guessed: no machine reads it as another number.
    private static bool TryParseNumber(string text, out double number) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number)
        || (CultureInfo.CurrentCulture.NumberFormat.NumberDecimalSeparator == "," && NumberText.IsDecimalComma(text)
            && double.TryParse(text.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out number));

    private static bool TryParseWhole(string text, Type target, out object? value)
    {
        value = null;
        if (target == typeof(int) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i)) value = i;
        else if (target == typeof(long) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l)) value = l;
        else if (target == typeof(uint) && uint.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out uint u)) value = u;
        else if (TryParseNumber(text, out double d) && double.IsFinite(d) && Math.Floor(d) == d)
        {
            // A whole number written as 4.0 or 1e3 (a spreadsheet, a JSON writer) is still exact.
            try
            {
                value = System.Convert.ChangeType(d, target, CultureInfo.InvariantCulture);
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        return value is not null;
    }

    private static Slot[] CreateSlots()
    {
        var nullability = new NullabilityInfoContext();
        return typeof(InferenceResult).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0)
            .Select(p =>
            {
                Type? underlying = Nullable.GetUnderlyingType(p.PropertyType);
                bool nullable = underlying is not null ||
                    (p.PropertyType == typeof(string) && nullability.Create(p).WriteState == NullabilityState.Nullable);
                Type target = underlying ?? p.PropertyType;
                string expected = target == typeof(bool) ? "True or False"
                    : target == typeof(double) || target == typeof(float) ? "a number"
                    : target == typeof(uint) ? "a whole number from 0 to 4294967295"
                    : target == typeof(string) ? "text"
                    : target == typeof(int) ? "a whole number from -2147483648 to 2147483647"
                    : target == typeof(long) ? "a whole number from -9223372036854775808 to 9223372036854775807"
                    : "a whole number";
                return new Slot(p, target, nullable, expected);
            })
            .ToArray();
    }

    private sealed record Slot(PropertyInfo Property, Type Target, bool Nullable, string Expected);
}
