using System.Reflection;

namespace EdgeLm.Tests.Support;

/// <summary>
/// Objects with every property set, for tests that must not miss a property added later: settable properties get a
/// value of their type that differs by seed, and a type without a parameterless constructor (a positional record) is
/// built through its widest constructor. Strings hold what escaping must get right (quotes, '+', '&lt;', non-ASCII,
/// newlines, control characters); numbers are not round.
/// </summary>
internal static class SampleValues
{
    public const string Awkward = "a \"quoted\" + <b> & 'c' \\ é ü 中文 😀\n\ttab \u0001 \u2028 end";

    public static T Fill<T>(int seed, bool nulls = false) => (T)Fill(typeof(T), seed, nulls);

    /// <summary>
    /// An instance of <paramref name="type"/> with every property set; with <paramref name="nulls"/> every nullable
    /// property is null instead.
    /// </summary>
    public static object Fill(Type type, int seed, bool nulls = false)
    {
        if (type.GetConstructor(Type.EmptyTypes) is { } empty)
        {
            object instance = empty.Invoke(null);
            int i = 0;
            foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.SetMethod is { IsPublic: true } && property.GetIndexParameters().Length == 0)
                {
                    property.SetValue(instance, Value(property.PropertyType, seed + i++, nulls && IsNullable(property)));
                }
            }

            return instance;
        }

        ConstructorInfo widest = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        return widest.Invoke(widest.GetParameters().Select((p, i) => Value(p.ParameterType, seed + i, nulls && IsNullable(p))).ToArray());
    }

    public static object? Value(Type type, int seed, bool asNull = false)
    {
        if (asNull)
        {
            return null;
        }

        Type t = Nullable.GetUnderlyingType(type) ?? type;
        return t switch
        {
            _ when t == typeof(string) => seed % 3 == 0 ? Awkward : $"text-{seed}",
            _ when t == typeof(bool) => seed % 2 == 0,
            _ when t == typeof(int) => 1000 + seed,
            _ when t == typeof(uint) => 4_000_000_000u + (uint)seed,
            _ when t == typeof(long) => 5_000_000_000L * (seed + 1),
            _ when t == typeof(double) => (seed % 4) switch { 0 => 1234.5678 * (seed + 1), 1 => 0.1 + seed, 2 => 1e-7 * (seed + 1), _ => 98765432109.87654 },
            _ when t == typeof(float) => 0.7f + seed,
            _ when t.IsEnum => Enum.GetValues(t).GetValue(seed % Enum.GetValues(t).Length),
            _ when t == typeof(string[]) => new[] { $"item-{seed}", Awkward },
            _ when t.IsArray => Array.CreateInstance(t.GetElementType()!, 0),
            _ when t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>) => Activator.CreateInstance(t),
            _ when t.IsClass => Fill(t, seed * 7),
            _ => throw new NotSupportedException($"no sample value for {t}"),
        };
    }

    private static readonly NullabilityInfoContext Nullability = new();

    private static bool IsNullable(PropertyInfo property) =>
        Nullable.GetUnderlyingType(property.PropertyType) is not null || Nullability.Create(property).WriteState == NullabilityState.Nullable;

    private static bool IsNullable(ParameterInfo parameter) =>
        Nullable.GetUnderlyingType(parameter.ParameterType) is not null || Nullability.Create(parameter).WriteState == NullabilityState.Nullable;
}
