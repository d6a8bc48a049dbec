using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Arm64;

/// <summary>
/// The struct layout check of LlamaStructLayoutTests for the boards: the same probe compiled from llama.h by
/// Debian's gcc-aarch64-linux-gnu and run under qemu-aarch64. Both are LP64 (8-byte pointers, size_t and long,
/// natural alignment), so arm64 must give exactly our C# layouts, and so exactly the x64 probe's figures.
/// </summary>
public sealed class Arm64StructLayoutTests
{
    [Fact]
    public void SizesAndOffsetsMatchLlamaHeaderOnArm64()
    {
        Dictionary<string, long> arm64 = Probe(Arm64Emulator.CrossCompiler, run: binary => CCompiler.Run(Arm64Emulator.Qemu, binary));

        List<string> mismatches = LlamaLayoutProbe.Mismatches(arm64);
        Assert.True(mismatches.Count == 0, "arm64 layouts differ from our C# declarations:\n" + string.Join('\n', mismatches));
        Assert.True(arm64.Count > 60, $"only {arm64.Count} layout facts were compared");
    }

    [RequiresCCompilerFact]
    public void Arm64LayoutsEqualTheX64Ones()
    {
        Dictionary<string, long> arm64 = Probe(Arm64Emulator.CrossCompiler, run: binary => CCompiler.Run(Arm64Emulator.Qemu, binary));
        Dictionary<string, long> x64 = Probe(CCompiler.Path!, run: binary => CCompiler.Run(binary));

        Assert.Equal(x64.OrderBy(p => p.Key, StringComparer.Ordinal), arm64.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    // Static, so the arm64 program needs no arm64 loader or libc beyond what the compiler brings.
    private static Dictionary<string, long> Probe(string compiler, Func<string, string> run)
    {
        string headers = Repository.Built("out/llama-headers/llama.h");
        using var temp = new TempFolder();
        string source = temp.File("layout.c");
        File.WriteAllText(source, LlamaLayoutProbe.Source());
        string binary = temp.File("layout");
        CCompiler.Run(compiler, "-std=c11", "-static", "-I", Path.GetDirectoryName(headers)!, source, "-o", binary);
        return LlamaLayoutProbe.Parse(run(binary));
    }
}
