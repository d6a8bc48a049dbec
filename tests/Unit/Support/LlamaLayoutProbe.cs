using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using EdgeLm.Core.Native;

namespace EdgeLm.Tests.Support;

/// <summary>
/// The struct layout check shared by the x64 and arm64 tests: a C program that prints sizeof/offsetof of every
/// llama_* struct and field we declare (compiled against the llama.h of the release we ship), and the comparison
/// of what it printed with Marshal.SizeOf/OffsetOf of our C# declarations.
/// </summary>
public static class LlamaLayoutProbe
{
    /// <summary>Every value type in EdgeLm.Core.Native named llama_*: what crosses the boundary by value.</summary>
    public static readonly Type[] Structs = typeof(LlamaRuntime).Assembly.GetTypes()
        .Where(t => t.IsValueType && t.Namespace == "EdgeLm.Core.Native" && t.Name.StartsWith("llama_", StringComparison.Ordinal))
        .OrderBy(t => t.Name)
        .ToArray();

    /// <summary>The C source: one "key value" line per struct size and field offset.</summary>
    public static string Source()
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

    /// <summary>What the compiled program printed, by key.</summary>
    public static Dictionary<string, long> Parse(string output) => output
        .Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(line => line.Split(' '))
        .ToDictionary(parts => parts[0], parts => long.Parse(parts[1], CultureInfo.InvariantCulture));

    /// <summary>Each size or offset where the C program and our declarations disagree (or the program said nothing).</summary>
    public static List<string> Mismatches(Dictionary<string, long> native)
    {
        var mismatches = new List<string>();
        foreach (Type type in Structs)
        {
            Compare($"sizeof({type.Name})", native, Marshal.SizeOf(type), mismatches);
            foreach (FieldInfo field in Fields(type))
            {
                Compare($"{type.Name}.{field.Name}", native, (long)Marshal.OffsetOf(type, field.Name), mismatches);
            }
        }

        return mismatches;
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
}
