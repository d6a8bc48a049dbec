namespace EdgeLm.Core.Benchmarks;

/// <summary>
/// The unit of each budget figure, read from its name (units are in the names: docs/records.md), and the units a
/// limit may be written in: a byte figure takes sizes, any figure its own unit; anything else is refused naming the
/// figure's unit and the one given, since 3GB on tokens per second is no limit anyone meant.
/// </summary>
internal static class BudgetUnits
{
    public const string Bytes = "bytes";

    /// <summary>A figure's unit: a key that units written in a limit are matched against, and its words.</summary>
    public sealed record Unit(string Key, string Words)
    {
        /// <summary>"is in watts", or "is a count, with no unit" for a figure that has none.</summary>
        public string Is => Key is "count" or "flag" or "fraction" ? $"is {Words}, with no unit" : $"is in {Words}";
    }

    public static Unit Of(string figure)
    {
        string name = ResultFields.Get(figure).Name;
        Type type = Nullable.GetUnderlyingType(ResultFields.Get(figure).PropertyType) ?? ResultFields.Get(figure).PropertyType;
        return name switch
        {
            _ when name.Contains("BytesPer", StringComparison.Ordinal) => new(Bytes, "bytes per token"),
            _ when name.EndsWith("Bytes", StringComparison.Ordinal) => new(Bytes, "bytes"),
            _ when name.EndsWith("TokensPerSecond", StringComparison.Ordinal) => new("tokens/s", "tokens per second"),
            _ when name.EndsWith("JoulesPerToken", StringComparison.Ordinal) => new("J/token", "joules per token"),
            _ when name.EndsWith("TokensPerJoule", StringComparison.Ordinal) => new("tokens/J", "tokens per joule"),
            _ when name.EndsWith("Ms", StringComparison.Ordinal) => new("ms", "milliseconds"),
            _ when name.EndsWith("Seconds", StringComparison.Ordinal) => new("s", "seconds"),
            _ when name.EndsWith("Joules", StringComparison.Ordinal) => new("J", "joules"),
            _ when name.EndsWith("Watts", StringComparison.Ordinal) => new("W", "watts"),
            _ when name.EndsWith("Celsius", StringComparison.Ordinal) => new("C", "degrees Celsius"),
            _ when name.EndsWith("MHz", StringComparison.Ordinal) => new("MHz", "MHz"),
            _ when name.EndsWith("Percent", StringComparison.Ordinal) => new("%", "percent"),
            _ when name.EndsWith("Utilization", StringComparison.Ordinal) => new("fraction", "a fraction from 0 to 1"),
            _ when type == typeof(bool) => new("flag", "1 (True) or 0 (False)"),
            _ => new("count", "a count"),
        };
    }

    /// <summary>
    /// What <paramref name="written"/> (the unit after a limit's number) multiplies the number by for
    /// <paramref name="figure"/>; refuses a unit that does not fit it.
    /// </summary>
    public static double Scale(string figure, Unit unit, string written, string text)
    {
        string name = ResultFields.Get(figure).Name;
        (string Key, string Words, double Scale)? given = Known(written);
        if (given is null)
        {
            throw new EdgeLmArgumentException("BudgetUnit",
                $"'{text}': '{written}' is no unit EdgeLm knows; {name} {unit.Is}: {Fix(unit)}");
        }

        if (given.Value.Key != unit.Key)
        {
            throw new EdgeLmArgumentException("BudgetUnit",
                $"'{text}' is in {given.Value.Words}, but {name} {unit.Is}: {Fix(unit)}");
        }

        return given.Value.Scale;
    }

    private static string Fix(Unit unit) => unit.Key == Bytes ? "write a number of bytes or a size such as 3GB"
        : unit.Is.EndsWith("no unit", StringComparison.Ordinal) ? "write the limit as a plain number"
        : $"write the limit as a number of {unit.Words}";

    // Units people write after a limit. Byte sizes ignore case as before (3gb); the rest as written or lower case.
    private static (string Key, string Words, double Scale)? Known(string written) => written.ToUpperInvariant() switch
    {
        "B" => (Bytes, "bytes", 1),
        "KB" => (Bytes, "bytes (a size)", 1e3),
        "MB" => (Bytes, "bytes (a size)", 1e6),
        "GB" => (Bytes, "bytes (a size)", 1e9),
        "TB" => (Bytes, "bytes (a size)", 1e12),
        "KIB" => (Bytes, "bytes (a size)", 1024),
        "MIB" => (Bytes, "bytes (a size)", 1024.0 * 1024),
        "GIB" => (Bytes, "bytes (a size)", 1024.0 * 1024 * 1024),
        "TIB" => (Bytes, "bytes (a size)", 1024.0 * 1024 * 1024 * 1024),
        "MS" => ("ms", "milliseconds", 1),
        "S" or "SEC" => ("s", "seconds", 1),
        "W" => ("W", "watts", 1),
        "MW" when written == "mW" => ("W", "milliwatts", 1e-3),
        "J" => ("J", "joules", 1),
        "C" or "°C" => ("C", "degrees Celsius", 1),
        "MHZ" => ("MHz", "MHz", 1),
        "%" => ("%", "percent", 1),
        "TOK/S" or "T/S" or "TOKENS/S" => ("tokens/s", "tokens per second", 1),
        "J/TOKEN" => ("J/token", "joules per token", 1),
        "TOKENS/J" => ("tokens/J", "tokens per joule", 1),
        _ => null,
    };
}
