using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Cli;

/// <summary>
/// A llama.cpp of another version is refused before any struct crosses the boundary. Each case runs the CLI
/// as its own process (llama.cpp loads once per process) over fake libraries built with the C compiler.
/// </summary>
public sealed class NativeVersionTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [RequiresCCompilerFact]
    public void AnotherVersionIsRefusedNamingBothVersions()
    {
        string folder = FakeLlama("const char * llama_version(void) { return \"0.4.2\"; }");

        var run = ProcessRunner.Edgelm("version", "--native-dir", folder);

        Assert.Equal(1, run.Exit);
        Assert.StartsWith("edgelm: ", run.Err);
        Assert.Contains("version 0.4.2", run.Err);
        Assert.Contains("built for llama.cpp 0.5.0", run.Err);
        Assert.Contains(folder, run.Err);
        Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [RequiresCCompilerFact]
    public void ALibraryWithoutAVersionIsRefusedAsOlder()
    {
        string folder = FakeLlama("int llama_backend_init(void) { return 0; }");

        var run = ProcessRunner.Edgelm("version", "--native-dir", folder);

        Assert.Equal(1, run.Exit);
        Assert.Contains("has no llama_version()", run.Err);
        Assert.Contains("0.5.0", run.Err);
    }

    [Fact]
    public void EnvironmentVariableChoosesTheFolder()
    {
        var run = ProcessRunner.Run("env", new[] { "EDGELM_LLAMA_DIR=" + _temp.Path, "dotnet", Path.Combine(AppContext.BaseDirectory, "edgelm.dll"), "version" });

        Assert.Equal(1, run.Exit);
        Assert.Contains(_temp.Path, run.Err);
        Assert.Contains("EDGELM_LLAMA_DIR", run.Err);
    }

    private string FakeLlama(string llamaSource)
    {
        string folder = Directory.CreateDirectory(_temp.File("fake-llama")).FullName;
        Build(folder, "ggml-base", "void ggml_log_set(void * callback, void * data) { (void)callback; (void)data; }");
        Build(folder, "ggml", "int ggml_backend_fake(void) { return 0; }");
        Build(folder, "llama", llamaSource);
        return folder;
    }

    private void Build(string folder, string name, string source)
    {
        string file = _temp.File(name + ".c");
        File.WriteAllText(file, source + "\n");
        CCompiler.Run(CCompiler.Path!, "-shared", "-fPIC", "-o", Path.Combine(folder, $"lib{name}.so"), file);
    }
}
