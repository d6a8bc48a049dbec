using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Core;

/// <summary>
/// Every struct we pass to llama.cpp, and every field in it, against include/llama.h of the exact
/// release we ship (extracted by ./build.sh headers from node-llama-cpp@3.22.1's bundled source).
/// A C program prints sizeof/offsetof; the C# side is Marshal.SizeOf/OffsetOf of the same names
/// (<see cref="LlamaLayoutProbe"/>; Arm64StructLayoutTests runs the same program built for arm64).
/// </summary>
public sealed class LlamaStructLayoutTests
{
    [Fact]
    public void EveryNativeStructIsCovered()
    {
        // The structs that cross the boundary by value; adding one to NativeStructs.cs adds it to the check.
        Type[] structs = LlamaLayoutProbe.Structs;
        Assert.Contains(structs, t => t.Name == "llama_model_params");
        Assert.Contains(structs, t => t.Name == "llama_context_params");
        Assert.Contains(structs, t => t.Name == "llama_model_quantize_params");
        Assert.Contains(structs, t => t.Name == "llama_batch");
        Assert.Contains(structs, t => t.Name == "llama_perf_context_data");
    }

    [RequiresCCompilerFact]
    public void SizesAndOffsetsMatchLlamaHeader()
    {
        string headers = Repository.Built("out/llama-headers/llama.h");
        using var temp = new TempFolder();
        string source = temp.File("layout.c");
        File.WriteAllText(source, LlamaLayoutProbe.Source());
        string binary = temp.File("layout");
        CCompiler.Run(CCompiler.Path!, "-std=c11", "-I", Path.GetDirectoryName(headers)!, source, "-o", binary);
        Dictionary<string, long> native = LlamaLayoutProbe.Parse(CCompiler.Run(binary));

        List<string> mismatches = LlamaLayoutProbe.Mismatches(native);
        Assert.True(mismatches.Count == 0, "layouts differ from llama.h:\n" + string.Join('\n', mismatches));
        Assert.True(native.Count > 60, $"only {native.Count} layout facts were compared");
    }
}
