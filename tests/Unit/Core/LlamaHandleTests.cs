using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using EdgeLm.Core.Engine;
using EdgeLm.Core.Native;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Core;

/// <summary>
/// The binding's ownership rules: what we own travels as a SafeHandle (LlamaHandle), is freed once, in an order
/// that keeps a context's model alive, and a sampler added to a chain is the chain's. Every P/Invoke into
/// llama.h is checked against the header of the pinned release, parameter by parameter.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed partial class LlamaHandleTests
{
    private static readonly Dictionary<string, Type> Owned = new()
    {
        ["llama_model"] = typeof(LlamaModelHandle),
        ["llama_context"] = typeof(LlamaContextHandle),
        ["llama_sampler"] = typeof(LlamaSamplerHandle),
    };

    // The free functions run inside ReleaseHandle, where only the raw pointer is left.
    private static readonly HashSet<string> FreeFunctions = new() { "llama_model_free", "llama_free", "llama_sampler_free" };

    private readonly TinyModel _tiny;

    public LlamaHandleTests(TinyModel tiny) => _tiny = tiny;

    [Fact]
    public void EveryOwnedPointerTravelsAsAHandleWithTheSignatureOfLlamaH()
    {
        string header = File.ReadAllText(Repository.Built("out/llama-headers/llama.h"));
        Dictionary<string, (string Result, string[] Parameters)> declared = Declarations(header);
        MethodInfo[] imports = typeof(NativeMethods).GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
            .Where(m => m.GetCustomAttribute<LibraryImportAttribute>() is not null && m.Name.StartsWith("llama_", StringComparison.Ordinal))
            .ToArray();
        Assert.Contains(imports, m => m.Name == "llama_set_n_threads");

        var problems = new List<string>();
        foreach (MethodInfo import in imports)
        {
            if (!declared.TryGetValue(import.Name, out var c))
            {
                problems.Add($"{import.Name}: not declared in llama.h");
                continue;
            }

            ParameterInfo[] parameters = import.GetParameters();
            if (parameters.Length != c.Parameters.Length)
            {
                problems.Add($"{import.Name}: {parameters.Length} parameters, llama.h has {c.Parameters.Length}");
                continue;
            }

            Check(import.Name, "result", c.Result, import.ReturnType, problems);
            for (int i = 0; i < parameters.Length; i++)
            {
                Check(import.Name, parameters[i].Name!, c.Parameters[i], parameters[i].ParameterType, problems);
            }
        }

        Assert.True(problems.Count == 0, "P/Invoke signatures differ from llama.h:\n" + string.Join('\n', problems));
        Assert.True(imports.Length > 60, $"only {imports.Length} imports were compared");
    }

    [Fact]
    public void NoSourceReachesForTheRawPointerOfAHandle()
    {
        string[] offenders = Directory.EnumerateFiles(Path.Combine(Repository.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Where(f => File.ReadAllText(f).Contains("DangerousGetHandle"))
            .ToArray();

        Assert.Empty(offenders);
    }

    [Fact]
    public void AContextKeepsItsModelAliveWhicheverIsDisposedFirst()
    {
        LlamaModel model = LlamaModel.Load(_tiny.Path);
        LlamaContext context = LlamaContext.Create(model, new ContextOptions(512, 512, 512, 1, 1));

        model.Dispose();
        Assert.Throws<ObjectDisposedException>(() => model.VocabularySize);
        // The weights are still there for the context that uses them; freed after it.
        Assert.False(model.Handle.IsClosed);
        context.Decode(new[] { 1, 5, 9 }, CancellationToken.None);
        context.Dispose();
        Assert.True(context.Handle.IsClosed);
        Assert.True(model.Handle.IsClosed);
    }

    [Fact]
    public void SamplersAddedToAChainAreFreedByTheChainOnly()
    {
        LlamaRuntime.Initialize(null);
        using LlamaSamplerHandle chain = NativeMethods.llama_sampler_chain_init(NativeMethods.llama_sampler_chain_default_params());
        LlamaSamplerHandle topK = NativeMethods.llama_sampler_init_top_k(10);
        NativeMethods.llama_sampler_chain_add(chain, topK);
        topK.Transferred();

        Assert.True(topK.IsClosed);
        topK.Dispose(); // frees nothing: the chain owns it
        Assert.Equal(1, NativeMethods.llama_sampler_chain_n(chain));

        // Whole chains, disposed and finalized: a double free would abort the test process here.
        for (int i = 0; i < 20; i++)
        {
            using var full = new SamplerChain(new SamplingOptions(Temperature: 0.7f, Seed: (uint)i));
            _ = new SamplerChain(new SamplingOptions(Temperature: 0.5f));
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    /// <summary>Name to (result type, parameter types) of every function llama.h declares with LLAMA_API.</summary>
    private static Dictionary<string, (string, string[])> Declarations(string header)
    {
        string code = BlockComment().Replace(LineComment().Replace(header, string.Empty), string.Empty);
        var result = new Dictionary<string, (string, string[])>(StringComparer.Ordinal);
        foreach (Match m in Declaration().Matches(code))
        {
            string list = Regex.Replace(m.Groups["params"].Value, @"\s+", " ").Trim();
            string[] parameters = list is "" or "void" ? Array.Empty<string>() : list.Split(',').Select(p => p.Trim()).ToArray();
            result[m.Groups["name"].Value] = (Regex.Replace(m.Groups["result"].Value, @"\s+", " ").Trim(), parameters);
        }

        return result;
    }

    private static void Check(string function, string what, string c, Type managed, List<string> problems)
    {
        string type = Regex.Replace(c, @"\b(const|struct|enum)\b", " ");
        bool pointer = type.Contains('*');
        // Drop the parameter's name: the last identifier after the type.
        string bare = Regex.Replace(type.Replace("*", " "), @"\s+", " ").Trim();
        string[] words = bare.Split(' ');
        string cType = what == "result" || words.Length == 1 ? words[0] : string.Join(' ', words[..^1]);
        string? owned = Owned.Keys.FirstOrDefault(k => Regex.IsMatch(c, $@"\bstruct {k}\s*\*"));

        bool ok;
        if (owned is not null && !FreeFunctions.Contains(function))
        {
            ok = managed == Owned[owned];
        }
        else if (pointer || cType is "llama_memory_t" || cType.EndsWith("_callback", StringComparison.Ordinal))
        {
            ok = managed == typeof(IntPtr) || managed.IsPointer || managed.IsFunctionPointer || managed == typeof(string);
        }
        else
        {
            ok = cType switch
            {
                "int32_t" or "int" or "llama_token" or "llama_pos" or "llama_seq_id" => managed == typeof(int),
                "uint32_t" => managed == typeof(uint),
                "int64_t" => managed == typeof(long),
                "uint64_t" => managed == typeof(ulong),
                "size_t" => managed == typeof(nuint),
                "float" => managed == typeof(float),
                "double" => managed == typeof(double),
                "bool" => managed == typeof(bool),
                "void" => managed == typeof(void),
                _ when type.Contains("enum") || c.Contains("enum ") => managed == typeof(int),
                _ => managed.Name == cType,
            };
        }

        if (!ok)
        {
            problems.Add($"{function} {what}: llama.h '{c}', C# {managed.Name}");
        }
    }

    [GeneratedRegex(@"LLAMA_API\s+(?<result>[^;(){}]*?)\b(?<name>llama_\w+)\s*\((?<params>[^)]*)\)")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex BlockComment();
}
