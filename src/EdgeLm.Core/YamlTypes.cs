using System.Globalization;
using System.Reflection;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization.NamingConventions;

namespace EdgeLm.Core;

/// <summary>
/// A YAML value of the wrong type, said in the file's own terms: "threads[1] must be a whole number; got 'abc'",
/// never the deserializer's "Invalid cast from 'System.String' to 'System.Collections.Generic.List`1[...]'".
/// What each key holds is read from the root type's properties (a plan, a prompt suite), so a new key is described
/// without a table to keep in step; <paramref name="special"/> words the types a generic phrase would not explain.
/// </summary>
internal sealed class YamlTypes(Type rootType, string rootName, Func<Type, string?>? special = null)
{
    private static readonly System.Text.RegularExpressions.Regex UnknownProperty =
        new(@"Property '([^']+)' not found on type '[^']*?\.?(\w+)'", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>
    /// The message for a deserializer failure at <paramref name="error"/>'s position, found in the parsed
    /// <paramref name="root"/>; null when the position is no value of the plan (the caller keeps its own words).
    /// </summary>
    public string? Explain(YamlException error, YamlNode? root)
    {
        if (root is null || Find(root, error.Start, new List<object>()) is not { } found)
        {
            return null;
        }

        (YamlNode node, List<object> path) = found;
        if (TypeAt(path) is not Type expected)
        {
            return null;
        }

        string name = Name(path);
        if (error.InnerException is OverflowException && node is YamlScalarNode big && Underlying(expected) == typeof(int))
        {
            return $"{name} is {Quote(big.Value ?? string.Empty)}, out of range: a whole number here is from {int.MinValue} to {int.MaxValue}";
        }

        string message = $"{name} must be {Describe(expected)}; got {Got(node)}";
        // A lone value where a list belongs is the likeliest slip: show the list it was meant to be.
        if (node is YamlScalarNode { Value: string value } && ListElement(expected) is Type element && Fits(value, element))
        {
            message += $" (write [{value}] for a list of one)";
        }

        return message;
    }

    /// <summary>
    /// YAML's null (~, null or nothing after the key) for a number or a boolean deserializes to 0 or false without
    /// complaint: "repetitions: ~" would then be refused as "repetitions has 0". Refused here as what it is.
    /// </summary>
    public void RequireValues(YamlNode? root, string file, string errorId)
    {
        if (root is not null && FirstEmptyValue(root, rootType, new List<object>()) is { } empty)
        {
            (YamlNode node, List<object> path, Type type) = empty;
            throw new EdgeLmInvalidFileException(file, errorId,
                $"{At(file, node.Start)}: {Name(path)} {(node is YamlScalarNode { Value: { Length: > 0 } v } ? $"is empty ({v})" : "has no value")}; " +
                $"give {Describe(type)}{(path.Count == 1 ? ", or leave the key out for its default" : string.Empty)}");
        }
    }

    private (YamlNode, List<object>, Type)? FirstEmptyValue(YamlNode node, Type type, List<object> path)
    {
        Type target = Underlying(type);
        if (node is YamlScalarNode scalar && IsNull(scalar))
        {
            // Nullable<T> and classes take null as "none"; lists and models have their own "is empty (~)" checks.
            return type.IsValueType && Nullable.GetUnderlyingType(type) is null ? (node, new List<object>(path), type) : null;
        }

        foreach ((object step, YamlNode child) in Children(node))
        {
            if (Step(target, step) is Type childType)
            {
                path.Add(step);
                var found = FirstEmptyValue(child, childType, path);
                path.RemoveAt(path.Count - 1);
                if (found is not null)
                {
                    return found;
                }
            }
        }

        return null;
    }

    // The value node that starts at the deserializer's mark, with its path of keys and indexes from the root.
    private static (YamlNode, List<object>)? Find(YamlNode node, Mark mark, List<object> path)
    {
        if (node.Start.Line == mark.Line && node.Start.Column == mark.Column)
        {
            return (node, new List<object>(path));
        }

        foreach ((object step, YamlNode child) in Children(node))
        {
            path.Add(step);
            var found = Find(child, mark, path);
            path.RemoveAt(path.Count - 1);
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }

    private static IEnumerable<(object Step, YamlNode Child)> Children(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.Where(c => c.Key is YamlScalarNode { Value: not null })
            .Select(c => ((object)((YamlScalarNode)c.Key).Value!, c.Value)),
        YamlSequenceNode list => list.Children.Select((c, i) => ((object)i, c)),
        _ => Enumerable.Empty<(object, YamlNode)>(),
    };

    /// <summary>The .NET type the deserializer wanted at <paramref name="path"/>; null where the plan has no such key.</summary>
    private Type? TypeAt(IEnumerable<object> path)
    {
        Type? type = rootType;
        foreach (object step in path)
        {
            type = type is null ? null : Step(Underlying(type), step);
        }

        return type;
    }

    private static Type? Step(Type type, object step) => step switch
    {
        int when ListElement(type) is Type element => element,
        string key when type.IsClass && type != typeof(string) && ListElement(type) is null =>
            type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .FirstOrDefault(p => p.CanWrite && CamelCaseNamingConvention.Instance.Apply(p.Name) == key)?.PropertyType,
        _ => null,
    };

    private static Type? ListElement(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : null;

    private static Type Underlying(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    /// <summary>What a value of <paramref name="type"/> is, in a plan writer's words.</summary>
    internal string Describe(Type type)
    {
        type = Underlying(type);
        if (special?.Invoke(type) is string worded)
        {
            return worded;
        }

        if (ListElement(type) is Type element)
        {
            return $"a list of {Plural(element)}, such as {Example(element)}";
        }

        if (type == typeof(int)) return "a whole number";
        if (type == typeof(double)) return "a number";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(string)) return "a text value";
        return $"a mapping with the keys {string.Join(", ", Keys(type))}";
    }

    private static string Plural(Type element)
    {
        element = Underlying(element);
        if (element == typeof(int)) return "whole numbers";
        if (element == typeof(double)) return "numbers";
        if (element == typeof(string)) return "names";
        return "mappings";
    }

    private static string Example(Type element)
    {
        element = Underlying(element);
        if (element == typeof(int)) return "[1, 2, 4]";
        if (element == typeof(string)) return "[Q4_0, Q8_0]";
        return "[1, 2]";
    }

    /// <summary>
    /// "unknown key 'x'; the keys here are a, b, c" for YamlDotNet's unknown-property error, the keys read from the
    /// type that has no such property; null for any other error.
    /// </summary>
    public string? UnknownKey(YamlException error)
    {
        System.Text.RegularExpressions.Match unknown = UnknownProperty.Match(error.Message);
        if (!unknown.Success)
        {
            return null;
        }

        Type? owner = Types(rootType).FirstOrDefault(t => t.Name == unknown.Groups[2].Value);
        return owner is null ? null : $"unknown key '{unknown.Groups[1].Value}'; the keys here are {string.Join(", ", Keys(owner))}";
    }

    // The root type and every mapping type reachable from it, for naming an unknown key's owner.
    private static IEnumerable<Type> Types(Type root)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>(new[] { root });
        while (pending.Count > 0)
        {
            Type type = Underlying(pending.Pop());
            if (ListElement(type) is Type element)
            {
                pending.Push(element);
                continue;
            }

            if (!type.IsClass || type == typeof(string) || !seen.Add(type))
            {
                continue;
            }

            yield return type;
            foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                pending.Push(property.PropertyType);
            }
        }
    }

    /// <summary>Where a value is, as every refusal of a YAML file says it.</summary>
    public static string At(string file, Mark mark) => $"{file} line {mark.Line}, column {mark.Column}";

    /// <summary>
    /// The refusal of a value found wrong after deserialization, at the line and column of <paramref name="path"/>
    /// (keys and list indexes from <paramref name="root"/>; the deepest node that exists when the rest does not).
    /// </summary>
    public static EdgeLmInvalidFileException ErrorAt(string file, YamlNode? root, string errorId, string message, params object[] path)
    {
        YamlNode? node = root, found = root;
        foreach (object step in path)
        {
            node = (node, step) switch
            {
                (YamlMappingNode map, string key) => map.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? child) ? child : null,
                (YamlSequenceNode list, int index) => index < list.Children.Count ? list.Children[index] : null,
                _ => null,
            };
            if (node is null)
            {
                break;
            }

            found = node;
        }

        return new EdgeLmInvalidFileException(file, errorId, $"{At(file, found?.Start ?? new Mark(0, 1, 1))}: {message}");
    }

    private static IEnumerable<string> Keys(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite)
            .Select(p => CamelCaseNamingConvention.Instance.Apply(p.Name));

    // Whether a scalar would do as one element of a list of this type (only to suggest "[x]").
    private static bool Fits(string value, Type element) => Underlying(element) switch
    {
        Type t when t == typeof(int) => int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
        Type t when t == typeof(string) => value.Length > 0 && char.IsLetter(value[0]),
        _ => false,
    };

    private static string Got(YamlNode node) => node switch
    {
        YamlScalarNode scalar when IsNull(scalar) => "nothing (~)",
        YamlScalarNode scalar => Quote(scalar.Value ?? string.Empty),
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping (key: value pairs)",
        _ => "something else",
    };

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && scalar.Value is "" or "~" or "null" or "Null" or "NULL" or null;

    /// <summary>A value as written, cut short so a pasted document cannot flood the message.</summary>
    private static string Quote(string value) => $"'{(value.Length <= 40 ? value : value[..40] + "…")}'";

    /// <summary>A path as the plan writer sees it: models[0].quantizations, cooldown.seconds.</summary>
    private string Name(IReadOnlyList<object> path)
    {
        if (path.Count == 0)
        {
            return rootName;
        }

        var name = new System.Text.StringBuilder();
        foreach (object step in path)
        {
            _ = step is int index ? name.Append('[').Append(index).Append(']') : name.Append(name.Length > 0 ? "." : string.Empty).Append(step);
        }

        return name.ToString();
    }
}
