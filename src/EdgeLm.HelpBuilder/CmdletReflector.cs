using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace EdgeLm.HelpBuilder;

/// <summary>What a cmdlet class declares, read from its attributes: the part of the help nobody writes by hand.</summary>
public sealed record CmdletDescription(
    string Name,
    string Verb,
    string Noun,
    string ClassName,
    string? DefaultParameterSet,
    bool SupportsShouldProcess,
    IReadOnlyList<TypeName> OutputTypes,
    IReadOnlyList<ParameterDescription> Parameters)
{
    /// <summary>The parameter sets in the order Get-Help shows them: the default first, then as declared.</summary>
    public IReadOnlyList<string> ParameterSets
    {
        get
        {
            var named = Parameters.SelectMany(p => p.Sets).Select(s => s.SetName).Where(s => s != ParameterSetEntry.AllSets).Distinct().ToList();
            if (named.Count == 0)
            {
                return new[] { ParameterSetEntry.AllSets };
            }

            if (DefaultParameterSet is not null && named.Remove(DefaultParameterSet))
            {
                named.Insert(0, DefaultParameterSet);
            }

            return named;
        }
    }

    /// <summary>The parameters of one set (those of every set included), positional ones first by position.</summary>
    public IReadOnlyList<(ParameterDescription Parameter, ParameterSetEntry Entry)> ParametersOf(string set) =>
        Parameters
            .Select(p => (Parameter: p, Entry: p.Sets.FirstOrDefault(s => s.SetName == set) ?? p.Sets.FirstOrDefault(s => s.SetName == ParameterSetEntry.AllSets)))
            .Where(x => x.Entry is not null)
            .Select(x => (x.Parameter, x.Entry!))
            .OrderBy(x => x.Item2.Position ?? int.MaxValue)
            .ToArray();
}

/// <summary>A type as Get-Help shows it: the short name in syntax, the full name under the parameter.</summary>
public sealed record TypeName(string Short, string Full);

/// <summary>One [Parameter] property; Sets holds one entry per [Parameter] attribute on it.</summary>
public sealed record ParameterDescription(
    string Name,
    TypeName Type,
    bool IsSwitch,
    bool IsArray,
    TypeName? ElementType,
    IReadOnlyList<string> Aliases,
    bool SupportsWildcards,
    IReadOnlyList<string> ValidValues,
    string? DefaultValue,
    IReadOnlyList<ParameterSetEntry> Sets)
{
    public bool FromPipelineByValue => Sets.Any(s => s.ValueFromPipeline);
    public bool FromPipelineByPropertyName => Sets.Any(s => s.ValueFromPipelineByPropertyName);

    /// <summary>Mandatory in every set it belongs to.</summary>
    public bool AlwaysMandatory => Sets.All(s => s.Mandatory);

    /// <summary>The position, when it has one (the first set's that does).</summary>
    public int? Position => Sets.Select(s => s.Position).FirstOrDefault(p => p is not null);

    /// <summary>Get-Help's "Accept pipeline input?" text.</summary>
    public string PipelineInput => (FromPipelineByValue, FromPipelineByPropertyName) switch
    {
        (true, true) => "True (ByValue, ByPropertyName)",
        (true, false) => "True (ByValue)",
        (false, true) => "True (ByPropertyName)",
        _ => "False",
    };
}

public sealed record ParameterSetEntry(string SetName, bool Mandatory, int? Position, bool ValueFromPipeline, bool ValueFromPipelineByPropertyName)
{
    public const string AllSets = "__AllParameterSets";
}

/// <summary>
/// Reads the [Cmdlet] classes of a cmdlet assembly through a MetadataLoadContext: attributes and types only,
/// nothing is run, so System.Management.Automation only needs to exist as a reference assembly.
/// </summary>
public static class CmdletReflector
{
    private const string Sma = "System.Management.Automation.";

    /// <summary>A metadata context over the assembly's folder, the running framework and the SMA reference assembly.</summary>
    public static MetadataLoadContext OpenMetadata(string assemblyPath, string smaReferencePath)
    {
        var paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string file in Directory.EnumerateFiles(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "*.dll"))
        {
            paths[Path.GetFileNameWithoutExtension(file)] = file;
        }

        foreach (string file in Directory.EnumerateFiles(Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!, "*.dll"))
        {
            paths[Path.GetFileNameWithoutExtension(file)] = file;
        }

        paths["System.Management.Automation"] = smaReferencePath;
        return new MetadataLoadContext(new PathAssemblyResolver(paths.Values), "System.Runtime");
    }

    /// <summary>The SMA reference assembly the build copies beside this tool (ref/).</summary>
    public static string DefaultSmaReferencePath =>
        Path.Combine(Path.GetDirectoryName(typeof(CmdletReflector).Assembly.Location)!, "ref", "System.Management.Automation.dll");

    /// <summary>Every public [Cmdlet] class of the assembly, ordered by name.</summary>
    public static IReadOnlyList<CmdletDescription> Read(MetadataLoadContext metadata, string assemblyPath)
    {
        Assembly assembly = metadata.LoadFromAssemblyPath(Path.GetFullPath(assemblyPath));
        using var defaults = new ConstructorDefaults(assemblyPath);
        var cmdlets = new List<CmdletDescription>();
        foreach (Type type in assembly.GetExportedTypes())
        {
            CustomAttributeData? cmdlet = Attribute(type.GetCustomAttributesData(), "CmdletAttribute");
            if (cmdlet is null || type.IsAbstract)
            {
                continue;
            }

            string verb = (string)cmdlet.ConstructorArguments[0].Value!;
            string noun = (string)cmdlet.ConstructorArguments[1].Value!;
            IReadOnlyDictionary<string, object?> initial = defaults.Read(type);
            cmdlets.Add(new CmdletDescription(
                $"{verb}-{noun}",
                verb,
                noun,
                type.FullName!,
                Named<string>(cmdlet, "DefaultParameterSetName"),
                Named<bool>(cmdlet, "SupportsShouldProcess"),
                OutputTypes(type, metadata),
                Parameters(type, initial)));
        }

        return cmdlets.OrderBy(c => c.Name, StringComparer.Ordinal).ToArray();
    }

    private static IReadOnlyList<TypeName> OutputTypes(Type type, MetadataLoadContext metadata)
    {
        var names = new List<TypeName>();
        foreach (CustomAttributeData attribute in type.GetCustomAttributesData().Where(a => a.AttributeType.FullName == Sma + "OutputTypeAttribute"))
        {
            if (attribute.ConstructorArguments.Count != 1 || attribute.ConstructorArguments[0].Value is not IEnumerable<CustomAttributeTypedArgument> values)
            {
                continue;
            }

            foreach (CustomAttributeTypedArgument value in values)
            {
                switch (value.Value)
                {
                    case Type t:
                        names.Add(new TypeName(t.Name, t.FullName!));
                        break;
                    case string s:
                        Type? found = metadata.GetAssemblies().Select(a => a.GetType(s)).FirstOrDefault(t => t is not null);
                        names.Add(new TypeName(found?.Name ?? s, found?.FullName ?? s));
                        break;
                }
            }
        }

        return names.DistinctBy(n => n.Full).ToArray();
    }

    private static IReadOnlyList<ParameterDescription> Parameters(Type type, IReadOnlyDictionary<string, object?> initial)
    {
        var parameters = new List<ParameterDescription>();
        // Base classes first, then declaration order (metadata order): the order the C# reads in.
        IEnumerable<PropertyInfo> properties = Hierarchy(type)
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).OrderBy(p => p.MetadataToken));
        foreach (PropertyInfo property in properties)
        {
            IList<CustomAttributeData> attributes = property.GetCustomAttributesData();
            CustomAttributeData[] parameterAttributes = attributes.Where(a => a.AttributeType.FullName == Sma + "ParameterAttribute").ToArray();
            if (parameterAttributes.Length == 0)
            {
                continue;
            }

            var sets = parameterAttributes.Select(a => new ParameterSetEntry(
                Named<string>(a, "ParameterSetName") ?? ParameterSetEntry.AllSets,
                Named<bool>(a, "Mandatory"),
                Named<int?>(a, "Position") is int position && position >= 0 ? position : null,
                Named<bool>(a, "ValueFromPipeline"),
                Named<bool>(a, "ValueFromPipelineByPropertyName"))).ToArray();

            Type propertyType = property.PropertyType;
            bool isSwitch = propertyType.FullName == Sma + "SwitchParameter";
            Type? element = propertyType.IsArray ? propertyType.GetElementType() : null;
            var aliases = attributes.Where(a => a.AttributeType.FullName == Sma + "AliasAttribute").SelectMany(StringArguments).ToArray();
            var validValues = attributes.Where(a => a.AttributeType.FullName == Sma + "ValidateSetAttribute").SelectMany(StringArguments).ToList();
            Type enumType = element ?? propertyType;
            if (validValues.Count == 0 && enumType.IsEnum)
            {
                validValues.AddRange(enumType.GetFields(BindingFlags.Public | BindingFlags.Static).OrderBy(f => Convert.ToInt64(f.GetRawConstantValue())).Select(f => f.Name));
            }

            initial.TryGetValue(property.Name, out object? value);
            parameters.Add(new ParameterDescription(
                property.Name,
                Name(propertyType),
                isSwitch,
                propertyType.IsArray,
                element is null ? null : Name(element),
                aliases,
                attributes.Any(a => a.AttributeType.FullName == Sma + "SupportsWildcardsAttribute"),
                validValues,
                DefaultText(propertyType, isSwitch, value, initial.ContainsKey(property.Name)),
                sets));
        }

        return parameters;
    }

    /// <summary>The default a user gets when not binding the parameter, when the class sets one; null when it does not.</summary>
    private static string? DefaultText(Type type, bool isSwitch, object? value, bool initialized)
    {
        if (!initialized)
        {
            return isSwitch ? "False" : null;
        }

        if (type.IsEnum)
        {
            FieldInfo? field = type.GetFields(BindingFlags.Public | BindingFlags.Static)
                .FirstOrDefault(f => Convert.ToInt64(f.GetRawConstantValue()) == Convert.ToInt64(value));
            return field?.Name ?? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
        }

        return type.FullName switch
        {
            "System.Boolean" => Convert.ToInt64(value) != 0 ? "True" : "False",
            "System.Double" => Convert.ToDouble(value).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            "System.Single" => Convert.ToSingle(value).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            Sma + "SwitchParameter" => "False",
            _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private static IEnumerable<Type> Hierarchy(Type type)
    {
        var chain = new Stack<Type>();
        for (Type? t = type; t is not null && t.FullName?.StartsWith(Sma, StringComparison.Ordinal) != true && t.FullName != "System.Object"; t = t.BaseType)
        {
            chain.Push(t);
        }

        return chain;
    }

    private static TypeName Name(Type type)
    {
        string full = type.FullName ?? type.Name;
        return new TypeName(type.Name, full);
    }

    private static CustomAttributeData? Attribute(IEnumerable<CustomAttributeData> attributes, string name) =>
        attributes.FirstOrDefault(a => a.AttributeType.FullName == Sma + name);

    private static T? Named<T>(CustomAttributeData attribute, string name)
    {
        foreach (CustomAttributeNamedArgument argument in attribute.NamedArguments)
        {
            if (argument.MemberName == name && argument.TypedValue.Value is { } value)
            {
                return (T)value;
            }
        }

        return default;
    }

    // [Alias("a", "b")] and [ValidateSet("a", "b")] take params string[]; a single string is stored as an array too.
    private static IEnumerable<string> StringArguments(CustomAttributeData attribute) =>
        attribute.ConstructorArguments.SelectMany(argument => argument.Value switch
        {
            IEnumerable<CustomAttributeTypedArgument> many => many.Select(v => v.Value as string).OfType<string>(),
            string one => new[] { one },
            _ => Array.Empty<string>(),
        });
}

/// <summary>
/// The values a cmdlet class's property initializers set (<c>public int MaxTokens { get; set; } = 128;</c>), read from its
/// constructor's IL: each is <c>ldarg.0; load a constant [; conv]; stfld &lt;Name&gt;k__BackingField</c>. Anything not a
/// constant (string.Empty, Array.Empty, a call) is not a default worth showing and is left out.
/// </summary>
internal sealed class ConstructorDefaults : IDisposable
{
    private static readonly Dictionary<ushort, System.Reflection.Emit.OpCode> OpCodes = typeof(System.Reflection.Emit.OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (System.Reflection.Emit.OpCode)f.GetValue(null)!)
        .ToDictionary(o => (ushort)o.Value);

    private readonly PEReader _pe;
    private readonly MetadataReader _reader;

    public ConstructorDefaults(string assemblyPath)
    {
        _pe = new PEReader(File.OpenRead(assemblyPath));
        _reader = _pe.GetMetadataReader();
    }

    public void Dispose() => _pe.Dispose();

    /// <summary>Property name to the constant its initializer stores, for the type and its base classes in this assembly.</summary>
    public IReadOnlyDictionary<string, object?> Read(Type type)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (Type? t = type; t is not null; t = t.BaseType)
        {
            TypeDefinitionHandle? handle = Find(t);
            if (handle is null)
            {
                break;
            }

            foreach ((string name, object? value) in FromConstructor(handle.Value))
            {
                values.TryAdd(name, value);
            }
        }

        return values;
    }

    private TypeDefinitionHandle? Find(Type type)
    {
        foreach (TypeDefinitionHandle handle in _reader.TypeDefinitions)
        {
            TypeDefinition definition = _reader.GetTypeDefinition(handle);
            if (_reader.GetString(definition.Name) == type.Name && _reader.GetString(definition.Namespace) == (type.Namespace ?? string.Empty))
            {
                return handle;
            }
        }

        return null;
    }

    private IEnumerable<(string Property, object? Value)> FromConstructor(TypeDefinitionHandle handle)
    {
        TypeDefinition type = _reader.GetTypeDefinition(handle);
        foreach (MethodDefinitionHandle methodHandle in type.GetMethods())
        {
            MethodDefinition method = _reader.GetMethodDefinition(methodHandle);
            if (_reader.GetString(method.Name) != ".ctor" || method.RelativeVirtualAddress == 0)
            {
                continue;
            }

            byte[] il = _pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes() ?? Array.Empty<byte>();
            foreach ((string, object?) found in Scan(il))
            {
                yield return found;
            }
        }
    }

    private IEnumerable<(string Property, object? Value)> Scan(byte[] il)
    {
        // State: after ldarg.0, a constant may follow; a stfld then stores it.
        bool afterThis = false;
        bool haveConstant = false;
        object? constant = null;
        int i = 0;
        while (i < il.Length)
        {
            ushort code = il[i] == 0xFE && i + 1 < il.Length ? (ushort)(0xFE00 | il[i + 1]) : il[i];
            if (!OpCodes.TryGetValue(code, out System.Reflection.Emit.OpCode op))
            {
                yield break; // unknown opcode: stop rather than misread
            }

            int operandStart = i + op.Size;
            int operandSize = OperandSize(op, il, operandStart);
            string name = op.Name ?? string.Empty;
            bool keep = false;
            if (name == "ldarg.0")
            {
                afterThis = true;
                haveConstant = false;
                keep = true;
            }
            else if (afterThis && !haveConstant && TryConstant(op, il, operandStart, out object? value))
            {
                haveConstant = true;
                constant = value;
                keep = true;
            }
            else if (afterThis && haveConstant && name.StartsWith("conv.", StringComparison.Ordinal))
            {
                keep = true; // the constant is converted to the field's type; the value stays
            }
            else if (afterThis && haveConstant && name == "stfld")
            {
                int token = BitConverter.ToInt32(il, operandStart);
                if ((token >> 24) == 0x04)
                {
                    FieldDefinition field = _reader.GetFieldDefinition(System.Reflection.Metadata.Ecma335.MetadataTokens.FieldDefinitionHandle(token & 0xFFFFFF));
                    string fieldName = _reader.GetString(field.Name);
                    if (fieldName.StartsWith('<') && fieldName.EndsWith(">k__BackingField", StringComparison.Ordinal))
                    {
                        yield return (fieldName[1..fieldName.IndexOf('>')], constant);
                    }
                }
            }

            if (!keep)
            {
                afterThis = false;
                haveConstant = false;
            }

            i = operandStart + operandSize;
        }
    }

    private bool TryConstant(System.Reflection.Emit.OpCode op, byte[] il, int at, out object? value)
    {
        string name = op.Name ?? string.Empty;
        value = null;
        switch (name)
        {
            case "ldc.i4.m1": value = -1; return true;
            case "ldc.i4.s": value = (int)(sbyte)il[at]; return true;
            case "ldc.i4": value = BitConverter.ToInt32(il, at); return true;
            case "ldc.i8": value = BitConverter.ToInt64(il, at); return true;
            case "ldc.r4": value = BitConverter.ToSingle(il, at); return true;
            case "ldc.r8": value = BitConverter.ToDouble(il, at); return true;
            case "ldstr":
                int token = BitConverter.ToInt32(il, at);
                value = _reader.GetUserString(System.Reflection.Metadata.Ecma335.MetadataTokens.UserStringHandle(token & 0xFFFFFF));
                return true;
        }

        if (name.StartsWith("ldc.i4.", StringComparison.Ordinal) && int.TryParse(name["ldc.i4.".Length..], out int small))
        {
            value = small;
            return true;
        }

        return false;
    }

    private static int OperandSize(System.Reflection.Emit.OpCode op, byte[] il, int at) => op.OperandType switch
    {
        System.Reflection.Emit.OperandType.InlineNone => 0,
        System.Reflection.Emit.OperandType.ShortInlineBrTarget or System.Reflection.Emit.OperandType.ShortInlineI or System.Reflection.Emit.OperandType.ShortInlineVar => 1,
        System.Reflection.Emit.OperandType.InlineVar => 2,
        System.Reflection.Emit.OperandType.InlineI8 or System.Reflection.Emit.OperandType.InlineR => 8,
        System.Reflection.Emit.OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };
}
