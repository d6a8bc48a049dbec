using System.Runtime.InteropServices;
using EdgeLm.Core;
using EdgeLm.Core.Models;
using EdgeLm.Core.Native;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Core;

[Collection(TinyModelCollection.Name)]
public sealed class NativeRuntimeTests
{
    [Fact]
    public void LoadsTheShippedReleaseWithACpuVariantFromOurFolder()
    {
        LlamaRuntimeInfo runtime = LlamaRuntime.Initialize();

        Assert.True(LlamaRuntime.IsSupported(runtime.LlamaVersion), runtime.LlamaVersion);
        Assert.StartsWith("0.5.0", runtime.LlamaVersion);
        Assert.StartsWith("cpu", runtime.Backend);
        Assert.Contains(Path.Combine("runtimes", LlamaRuntime.RuntimeIdentifier, "native"), runtime.NativeDirectory);
        Assert.NotEmpty(runtime.Devices);
        Assert.Contains("CPU", runtime.SystemInfo);
    }

    [Fact]
    public void GgmlsGdbBacktraceIsOffOnceLlamaCppIsLoaded()
    {
        LlamaRuntime.Initialize();

        Assert.Equal("1", NativeEnvironment.Get(NativeEnvironment.NoBacktrace));
    }

    [Theory]
    [InlineData("0.5.0", true)]
    [InlineData("0.5.0-dev", true)]
    [InlineData("0.5.1", false)]
    [InlineData("0.4.0", false)]
    [InlineData("0.5", false)]
    [InlineData("", false)]
    public void AcceptsOnlyTheSupportedRelease(string version, bool supported)
    {
        Assert.Equal(supported, LlamaRuntime.IsSupported(version));
    }

    [Fact]
    public void UserFolderWithoutLlamaIsRefusedWithTheFix()
    {
        using var temp = new TempFolder();
        var e = Assert.Throws<EdgeLmNativeLibraryException>(() => LlamaRuntime.ChooseDirectory(temp.Path));
        Assert.Equal("NativeLibraryMissing", e.ErrorId);
        Assert.Contains(temp.Path, e.Message);
        Assert.Contains("libllama.so", e.Message);
    }

    [Fact]
    public void MissingUserFolderIsRefused()
    {
        var e = Assert.Throws<EdgeLmNativeLibraryException>(() => LlamaRuntime.ChooseDirectory("/nonexistent/llama"));
        Assert.Equal("NativeDirectoryMissing", e.ErrorId);
    }

    [Fact]
    public void FindsVersionedLibraryNames()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("libllama.v0.5.0.so"), "");
        File.WriteAllText(temp.File("libggml-base.so.0"), "");
        Assert.Equal(temp.File("libllama.v0.5.0.so"), LlamaRuntime.FindLibrary(temp.Path, "llama"));
        Assert.Equal(temp.File("libggml-base.so.0"), LlamaRuntime.FindLibrary(temp.Path, "ggml-base"));
        Assert.Null(LlamaRuntime.FindLibrary(temp.Path, "ggml"));
    }

    [Fact]
    public unsafe void GgmlTypeTableMatchesTheLibrary()
    {
        LlamaRuntime.Initialize();
        IntPtr library = LlamaRuntime.Handle(NativeMethods.Llama); // finds ggml-base through its dependencies
        var typeSize = (delegate* unmanaged[Cdecl]<int, nuint>)NativeLibrary.GetExport(library, "ggml_type_size");
        var blockSize = (delegate* unmanaged[Cdecl]<int, long>)NativeLibrary.GetExport(library, "ggml_blck_size");
        var typeName = (delegate* unmanaged[Cdecl]<int, IntPtr>)NativeLibrary.GetExport(library, "ggml_type_name");

        foreach (GgmlType type in GgmlTypes.Known)
        {
            Assert.Equal((long)type.TypeSize, (long)typeSize(type.Id));
            Assert.Equal(type.BlockSize, blockSize(type.Id));
            Assert.Equal(type.Name, Marshal.PtrToStringUTF8(typeName(type.Id))!.ToUpperInvariant());
        }
    }

    [Fact]
    public void LogLinesAreAssembledFromPiecesAndKept()
    {
        var seen = new List<string>();
        LlamaLog.Sink = seen.Add;
        try
        {
            LlamaLog.Append("edgelm-test: first ");
            LlamaLog.Append("half\nedgelm-test: second\n");
        }
        finally
        {
            LlamaLog.Sink = null;
        }

        Assert.Equal(new[] { "edgelm-test: first half", "edgelm-test: second" }, seen.Where(l => l.StartsWith("edgelm-test", StringComparison.Ordinal)));
        Assert.Contains("edgelm-test: second", LlamaLog.RecentLines());
    }
}
