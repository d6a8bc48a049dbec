using EdgeLm.Core;
using EdgeLm.Core.Host;
using EdgeLm.Core.Models;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Core;

/// <summary>
/// Quantization runs in a worker: whatever llama.cpp does there (abort, hang) reaches the caller as an error
/// naming the input, and never as a half-written output. The failing workers here are shell scripts that speak
/// the protocol's hello and then die or stall, as a llama.cpp abort or a stuck quantizer would.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class QuantizeWorkerTests : IDisposable
{
    private const string Hello = """{"Type":"hello","Hello":{"ProcessId":1,"LlamaVersion":"test","Backend":"cpu","NativeDirectory":"/","ChatTemplates":[]}}""";

    private readonly TinyModel _tiny;
    private readonly TempFolder _temp = new();

    public QuantizeWorkerTests(TinyModel tiny) => _tiny = tiny;

    public void Dispose() => _temp.Dispose();

    private static WorkerLaunch Script(string afterOrder) =>
        new("/bin/sh", new[] { "-c", $"echo '{Hello}'; read order; {afterOrder}" });

    [Fact]
    public void AnAbortInTheQuantizerIsAnErrorNamingTheModelAndNothingIsWritten()
    {
        string output = _temp.File("q8.gguf");
        WorkerLaunch aborting = Script("echo 'ggml.c:1234: GGML_ASSERT(n_layer > 0) failed' >&2; kill -ABRT $$");

        var e = Assert.Throws<EdgeLmInvalidFileException>(() => ModelConversion.Quantize(_tiny.Path, output, "Q8_0", 0, aborting));

        Assert.Equal("QuantizeAborted", e.ErrorId);
        Assert.Equal(_tiny.Path, e.Path);
        Assert.Contains("SIGABRT", e.Message);
        Assert.Contains("GGML_ASSERT(n_layer > 0) failed", e.Message);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public void AnExistingOutputSurvivesAFailedForcedQuantization()
    {
        string output = _temp.File("keep.gguf");
        File.WriteAllText(output, "an earlier model");
        WorkerLaunch aborting = Script("kill -ABRT $$");

        Assert.Throws<EdgeLmInvalidFileException>(() => ModelConversion.Quantize(_tiny.Path, output, "Q8_0", 0, aborting, force: true));

        Assert.Equal("an earlier model", File.ReadAllText(output));
        Assert.Single(Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public void CancellingStopsAStuckQuantizerAndLeavesNoTemporary()
    {
        string output = _temp.File("q8.gguf");
        WorkerLaunch stuck = Script("exec sleep 600");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        Assert.ThrowsAny<OperationCanceledException>(() => ModelConversion.Quantize(_tiny.Path, output, "Q8_0", 0, stuck, cancellationToken: cancel.Token));

        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public void TheInputIsCheckedBeforeAnyWorkerStarts()
    {
        string broken = _temp.File("broken.gguf");
        File.WriteAllBytes(broken, "GGUF\u0003\0\0\0"u8.ToArray());
        var never = new WorkerLaunch("/nonexistent/worker", Array.Empty<string>());

        var e = Assert.Throws<EdgeLmInvalidFileException>(() => ModelConversion.Quantize(broken, _temp.File("out.gguf"), "Q8_0", 0, never));

        Assert.Equal(broken, e.Path);
    }

    [Fact]
    public void WithoutAWorkerQuantizationIsRefusedNotRunInTheCallersProcess()
    {
        var e = Assert.Throws<EdgeLmException>(() => ModelConversion.Quantize(_tiny.Path, _temp.File("q8.gguf"), "Q8_0", 0, worker: null));

        Assert.Equal("WorkerNotFound", e.ErrorId);
    }
}
