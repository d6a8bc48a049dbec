using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using EdgeLm.Core.Native;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Core;

/// <summary>
/// Every struct we pass to llama.cpp, and every field in it, against include/llama.h of the exact
/// release we ship (extracted by ./build.sh headers from node-llama-cpp@3.22.1's bundled source).
/// A C program prints sizeof/offsetof; the C# side is Marshal.SizeOf/OffsetOf of the same names.
/// </summary>
public sealed class LlamaStructLayoutTests
{
    private static readonly Type[] Structs = typeof(LlamaRuntime).Assembly.GetTypes()
        .Where(t => t.IsValueType && t.Namespace == "EdgeLm.Core.Native" && t.Name.StartsWith("llama_", StringComparison.Ordinal))
        .OrderBy(t => t.Name)
        .ToArray();

    [Fact]
    public void EveryNativeStructIsCovered()
    {
        // The structs that cross the boundary by value; adding one to NativeStructs.cs adds it to the check.
        Assert.Contains(Structs, t => t.Name == "llama_model_params");
        Assert.Contains(Structs, t => t.Name == "llama_context_params");
        Assert.Contains(Structs, t => t.Name == "llama_model_quantize_params");
        Assert.Contains(Structs, t => t.Name == "llama_batch");
        Assert.Contains(Structs, t => t.Name == "llama_perf_context_data");
    }

    [RequiresCCompilerFact]
    public void SizesAndOffsetsMatchLlamaHeader()
    {
        string headers = Repository.Built("out/llama-headers/llama.h");
        using var temp = new TempFolder();
        string source = temp.File("layout.c");
        File.WriteAllText(source, CProgram());
        string binary = temp.File("layout");
        CCompiler.Run(CCompiler.Path!, "-std=c11", "-I", Path.GetDirectoryName(headers)!, source, "-o", binary);
        Dictionary<string, long> native = CCompiler.Run(binary)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .ToDictionary(parts => parts[0], parts => long.Parse(parts[1]));

        var mismatches = new List<string>();
        foreach (Type type in Structs)
        {
            Compare($"sizeof({type.Name})", native, Marshal.SizeOf(type), mismatches);
            foreach (FieldInfo field in Fields(type))
            {
                Compare($"{type.Name}.{field.Name}", native, (long)Marshal.OffsetOf(type, field.Name), mismatches);
            }
        }

        Assert.True(mismatches.Count == 0, "layouts differ from llama.h:\n" + string.Join('\n', mismatches));
        Assert.True(native.Count > 60, $"only {native.Count} layout facts were compared");
    }

    private static void Compare(string key, Dictionary<string, long> native, long managed, List<string> mismatches)
    {
        if (!native.TryGetValue(key, out long expected))
        {
            mismatches.Add($"{key}: not printed by the C program");
        }
        else if (expected != managed)
        {
            mismatches.Add($"{key}: llama.h {expected}, C# {managed}");
        }
    }

    private static IEnumerable<FieldInfo> Fields(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance);

    private static string CProgram()
    {
        var c = new StringBuilder();
        c.AppendLine("#include <stddef.h>");
        c.AppendLine("#include <stdio.h>");
        c.AppendLine("#include \"llama.h\"");
        c.AppendLine("int main(void) {");
        foreach (Type type in Structs)
        {
            c.AppendLine($"  printf(\"sizeof({type.Name}) %zu\\n\", sizeof(struct {type.Name}));");
            foreach (FieldInfo field in Fields(type))
            {
                c.AppendLine($"  printf(\"{type.Name}.{field.Name} %zu\\n\", offsetof(struct {type.Name}, {field.Name}));");
            }
        }

        c.AppendLine("  return 0;");
        c.AppendLine("}");
        return c.ToString();
    }
}
