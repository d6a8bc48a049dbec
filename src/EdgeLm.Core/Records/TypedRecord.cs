using System.Collections.Concurrent;
using System.Reflection;

namespace EdgeLm;

/// <summary>A typed record's properties by column name (a column without a property is none of these).</summary>
internal static class TypedRecord
{
    private static readonly ConcurrentDictionary<(Type, string), PropertyInfo?> Properties = new();

    public static PropertyInfo? Property(object record, string name) =>
        Properties.GetOrAdd((record.GetType(), name), k =>
            k.Item1.GetProperty(k.Item2, BindingFlags.Public | BindingFlags.Instance) is { CanWrite: true } p && p.GetIndexParameters().Length == 0 ? p : null);

    public static object? Get(object record, string name) => Property(record, name)?.GetValue(record);

    /// <summary>Sets the property named <paramref name="name"/>; false when the record has none.</summary>
    public static bool Set(object record, string name, object? value)
    {
        PropertyInfo? property = Property(record, name);
        property?.SetValue(record, value);
        return property is not null;
    }
}

/// <summary>
/// The keys a summary or comparison was grouped by, in order: a default key is its typed property, any other
/// InferenceResult property a column of its own (kept here).
/// </summary>
internal sealed class GroupKeys
{
    private readonly List<string> _names = new();
    private readonly Dictionary<string, object?> _others = new(StringComparer.Ordinal);

    public void Set(object record, string name, object? value)
    {
        _names.Add(name);
        if (!TypedRecord.Set(record, name, value))
        {
            _others[name] = value;
        }
    }

    /// <summary>The key columns; for a record made by hand, the default keys it has values for.</summary>
    public IEnumerable<KeyValuePair<string, object?>> Fields(object record) =>
        (_names.Count > 0 ? _names : ResultFields.DefaultKeys.Where(k => TypedRecord.Get(record, k) is not null))
            .Select(k => new KeyValuePair<string, object?>(k, _others.TryGetValue(k, out object? v) ? v : TypedRecord.Get(record, k)));
}
