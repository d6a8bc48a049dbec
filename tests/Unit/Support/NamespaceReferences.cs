using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace EdgeLm.Tests.Support;

/// <summary>
/// Which namespaces of an assembly use which other namespaces of the same assembly, read from the built file:
/// base types, interfaces, field/method/property signatures, local variables, and every type, method and field
/// token in method bodies (IL). Compile-time-only uses (nameof, constants) leave no trace, as they should not.
/// </summary>
internal sealed class NamespaceReferences
{
    private static readonly Dictionary<short, OperandType> Operands = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value, o => o.OperandType);

    private readonly MetadataReader _reader;
    private readonly NamespaceProvider _provider;

    private NamespaceReferences(MetadataReader reader)
    {
        _reader = reader;
        _provider = new NamespaceProvider(reader);
    }

    /// <summary>Edges "from namespace → to namespace", each with one example type that makes it.</summary>
    public static IReadOnlyDictionary<(string From, string To), string> Read(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var references = new NamespaceReferences(pe.GetMetadataReader());
        return references.Collect(pe);
    }

    private Dictionary<(string, string), string> Collect(PEReader pe)
    {
        var edges = new Dictionary<(string, string), string>();
        foreach (TypeDefinitionHandle handle in _reader.TypeDefinitions)
        {
            // Nested types (lambdas, iterators, async state machines too) count as their outermost type.
            TypeDefinition type = _reader.GetTypeDefinition(handle);
            string from = _provider.NamespaceOf(handle);
            string name = _provider.OutermostNameOf(handle);
            if (string.IsNullOrEmpty(from))
            {
                continue;
            }

            var used = new HashSet<string>(StringComparer.Ordinal);
            if (!type.BaseType.IsNil)
            {
                used.UnionWith(_provider.OfEntity(type.BaseType));
            }

            foreach (InterfaceImplementationHandle i in type.GetInterfaceImplementations())
            {
                used.UnionWith(_provider.OfEntity(_reader.GetInterfaceImplementation(i).Interface));
            }

            foreach (FieldDefinitionHandle f in type.GetFields())
            {
                used.UnionWith(_reader.GetFieldDefinition(f).DecodeSignature(_provider, null));
            }

            foreach (PropertyDefinitionHandle p in type.GetProperties())
            {
                MethodSignature<IEnumerable<string>> signature = _reader.GetPropertyDefinition(p).DecodeSignature(_provider, null);
                used.UnionWith(signature.ReturnType.Concat(signature.ParameterTypes.SelectMany(t => t)));
            }

            foreach (MethodDefinitionHandle m in type.GetMethods())
            {
                MethodDefinition method = _reader.GetMethodDefinition(m);
                MethodSignature<IEnumerable<string>> signature = method.DecodeSignature(_provider, null);
                used.UnionWith(signature.ReturnType.Concat(signature.ParameterTypes.SelectMany(t => t)));
                if (method.RelativeVirtualAddress != 0)
                {
                    used.UnionWith(InBody(pe.GetMethodBody(method.RelativeVirtualAddress)));
                }
            }

            foreach (string to in used)
            {
                if (to != from && !string.IsNullOrEmpty(to))
                {
                    edges.TryAdd((from, to), name);
                }
            }
        }

        return edges;
    }

    private IEnumerable<string> InBody(MethodBodyBlock body)
    {
        var found = new List<string>();
        if (!body.LocalSignature.IsNil)
        {
            StandaloneSignature locals = _reader.GetStandaloneSignature(body.LocalSignature);
            foreach (IEnumerable<string> local in locals.DecodeLocalSignature(_provider, null))
            {
                found.AddRange(local);
            }
        }

        BlobReader il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            short code = il.ReadByte();
            if (code == 0xFE)
            {
                code = unchecked((short)(0xFE00 | il.ReadByte()));
            }

            if (!Operands.TryGetValue(code, out OperandType operand))
            {
                throw new InvalidDataException($"unknown IL opcode 0x{code:X} at {il.Offset - 1}");
            }

            switch (operand)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    il.Offset += 1;
                    break;
                case OperandType.InlineVar:
                    il.Offset += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    il.Offset += 8;
                    break;
                case OperandType.InlineSwitch:
                    int targets = il.ReadInt32();
                    il.Offset += 4 * targets;
                    break;
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    found.AddRange(_provider.OfEntity(MetadataTokens.EntityHandle(il.ReadInt32())));
                    break;
                default:
                    il.Offset += 4;
                    break;
            }
        }

        return found;
    }

    /// <summary>Decodes signatures into the namespaces of this assembly's own types that they mention.</summary>
    private sealed class NamespaceProvider : ISignatureTypeProvider<IEnumerable<string>, object?>
    {
        private static readonly string[] None = Array.Empty<string>();
        private readonly MetadataReader _reader;

        public NamespaceProvider(MetadataReader reader) => _reader = reader;

        public string NamespaceOf(TypeDefinitionHandle handle)
        {
            TypeDefinition type = _reader.GetTypeDefinition(handle);
            TypeDefinitionHandle declaring = type.GetDeclaringType();
            return declaring.IsNil ? _reader.GetString(type.Namespace) : NamespaceOf(declaring);
        }

        public string OutermostNameOf(TypeDefinitionHandle handle)
        {
            TypeDefinition type = _reader.GetTypeDefinition(handle);
            TypeDefinitionHandle declaring = type.GetDeclaringType();
            return declaring.IsNil ? _reader.GetString(type.Name) : OutermostNameOf(declaring);
        }

        public IEnumerable<string> OfEntity(EntityHandle handle)
        {
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    return new[] { NamespaceOf((TypeDefinitionHandle)handle) };
                case HandleKind.TypeSpecification:
                    return _reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
                case HandleKind.MethodDefinition:
                    MethodDefinition method = _reader.GetMethodDefinition((MethodDefinitionHandle)handle);
                    MethodSignature<IEnumerable<string>> signature = method.DecodeSignature(this, null);
                    return OfEntity(method.GetDeclaringType()).Concat(signature.ReturnType).Concat(signature.ParameterTypes.SelectMany(t => t));
                case HandleKind.FieldDefinition:
                    return OfEntity(_reader.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType());
                case HandleKind.MemberReference:
                    MemberReference member = _reader.GetMemberReference((MemberReferenceHandle)handle);
                    IEnumerable<string> parent = member.Parent.Kind is HandleKind.TypeDefinition or HandleKind.TypeSpecification or HandleKind.MethodDefinition
                        ? OfEntity(member.Parent)
                        : None;
                    return member.GetKind() == MemberReferenceKind.Method
                        ? parent.Concat(MethodTypes(member.DecodeMethodSignature(this, null)))
                        : parent.Concat(member.DecodeFieldSignature(this, null));
                case HandleKind.MethodSpecification:
                    MethodSpecification spec = _reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                    return OfEntity(spec.Method).Concat(spec.DecodeSignature(this, null).SelectMany(t => t));
                default:
                    return None;
            }
        }

        private static IEnumerable<string> MethodTypes(MethodSignature<IEnumerable<string>> signature) =>
            signature.ReturnType.Concat(signature.ParameterTypes.SelectMany(t => t));

        public IEnumerable<string> GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
            new[] { NamespaceOf(handle) };

        // Other assemblies' types are outside the layering.
        public IEnumerable<string> GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => None;

        public IEnumerable<string> GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, context);

        public IEnumerable<string> GetPrimitiveType(PrimitiveTypeCode typeCode) => None;
        public IEnumerable<string> GetSZArrayType(IEnumerable<string> elementType) => elementType;
        public IEnumerable<string> GetArrayType(IEnumerable<string> elementType, ArrayShape shape) => elementType;
        public IEnumerable<string> GetByReferenceType(IEnumerable<string> elementType) => elementType;
        public IEnumerable<string> GetPointerType(IEnumerable<string> elementType) => elementType;
        public IEnumerable<string> GetPinnedType(IEnumerable<string> elementType) => elementType;
        public IEnumerable<string> GetGenericInstantiation(IEnumerable<string> genericType, ImmutableArray<IEnumerable<string>> typeArguments) =>
            genericType.Concat(typeArguments.SelectMany(t => t));
        public IEnumerable<string> GetGenericMethodParameter(object? context, int index) => None;
        public IEnumerable<string> GetGenericTypeParameter(object? context, int index) => None;
        public IEnumerable<string> GetFunctionPointerType(MethodSignature<IEnumerable<string>> signature) => MethodTypes(signature);
        public IEnumerable<string> GetModifiedType(IEnumerable<string> modifier, IEnumerable<string> unmodifiedType, bool isRequired) => unmodifiedType;
    }
}
