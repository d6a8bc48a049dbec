using EdgeLm.Core.Host;
using EdgeLm.Core.Native;

namespace EdgeLm.Tests.Core;

/// <summary>
/// An error quotes only the llama.cpp lines that say what went wrong, with the build machine's source paths cut to
/// file names. The samples are llama.cpp 0.5.0's own text: a model missing a tensor (loaded in-process), the worker
/// aborting on a corrupt vocabulary (AbortingModel), and ggml's assert with gdb's backtrace after it.
/// </summary>
// The log is one per process: a test that writes pieces of lines into it runs alone, or another test's llama.cpp
// lines (loading a model in this process) land between its pieces.
[CollectionDefinition(nameof(LlamaLogCollection), DisableParallelization = true)]
public sealed class LlamaLogCollection;

[Collection(nameof(LlamaLogCollection))]
public sealed class LlamaProblemsTests
{
    private const int Debug = 1, Info = 2;

    // What llama.cpp logs, with its levels, when a model lacks token_embd.weight (abridged: print_info has ~40 lines).
    private static readonly (int, string)[] MissingTensor =
    {
        (Info, "print_info: n_ff                  = 256"),
        (Info, "print_info: general.name          = synthetic-tiny"),
        (Info, "print_info: max token length      = 6"),
        (Info, "load_tensors: loading model tensors, this can take a while... (load_mode = mmap)"),
        (Debug, "load_tensors: layer   2 assigned to device CPU, is_swa = 0"),
        (Debug, "create_tensor: loading tensor token_embd.weight"),
        (LlamaProblems.Error, "llama_model_load: error loading model: check_tensor_dims: tensor 'token_embd.weight' not found"),
        (LlamaProblems.Error, "llama_model_load_from_file_impl: failed to load model"),
    };

    // The worker's stderr as it was killed by SIGABRT (levels unknown: the C++ runtime writes there too).
    private static readonly string[] Abort =
    {
        "print_info: EOG token             = 2 '</s>'",
        "print_info: max token length      = 6",
        "llama_model_load: vocab only - skipping tensors",
        "terminate called after throwing an instance of 'std::out_of_range'",
        "  what():  _Map_base::at",
    };

    // ggml_abort's line and the backtrace gdb prints after it.
    private static readonly string[] Assert_ =
    {
        "load_tensors: layer   2 assigned to device CPU, is_swa = 0",
        "/home/runner/work/node-llama-cpp/node-llama-cpp/llama/llama.cpp/ggml/src/ggml.c:3345: GGML_ASSERT(ggml_can_mul_mat(a, b)) failed",
        "[Thread debugging using libthread_db enabled]",
        "Using host libthread_db library \"/lib/x86_64-linux-gnu/libthread_db.so.1\".",
        "0x00007f94cb4a8bd3 in __GI___wait4 (pid=18348, stat_loc=0x0, options=0, usage=0x0) at ../sysdeps/unix/sysv/linux/wait4.c:30",
        "30\t../sysdeps/unix/sysv/linux/wait4.c: No such file or directory.",
        "#1  0x00007f94cb5dcdab in ggml_print_backtrace () from /opt/edgelm/runtimes/linux-x64/native/libggml-base.so",
        "#2  0x00007f94cb5dcf42 in ggml_abort () from /opt/edgelm/runtimes/linux-x64/native/libggml-base.so",
        "[Inferior 1 (process 18345) detached]",
    };

    [Fact]
    public void ALoadFailureQuotesItsErrorsNotTheModelsDescription() =>
        Assert.Equal(new[]
        {
            "llama_model_load: error loading model: check_tensor_dims: tensor 'token_embd.weight' not found",
            "llama_model_load_from_file_impl: failed to load model",
        }, LlamaProblems.Select(MissingTensor, 3));

    [Fact]
    public void AnAbortQuotesTheRuntimesWordsNotPrintInfo() =>
        Assert.Equal(new[] { "terminate called after throwing an instance of 'std::out_of_range'", "what():  _Map_base::at" },
            LlamaProblems.Select(Abort, 4));

    [Fact]
    public void AnAssertIsQuotedWithItsFileNameNotTheBuildMachinesPath() =>
        Assert.Equal(new[] { "ggml.c:3345: GGML_ASSERT(ggml_can_mul_mat(a, b)) failed" }, LlamaProblems.Select(Assert_, 4));

    [Theory]
    [InlineData("/home/runner/work/node-llama-cpp/node-llama-cpp/llama/llama.cpp/ggml/src/ggml-cuda/ggml-cuda.cu:88: CUDA error",
        "ggml-cuda.cu:88: CUDA error")]
    [InlineData(@"D:\a\node-llama-cpp\llama\llama.cpp\ggml\src\ggml.c:3345: GGML_ASSERT(x) failed", "ggml.c:3345: GGML_ASSERT(x) failed")]
    [InlineData("llama_model_load: error loading model: failed to open /home/ann/models/x.gguf: No such file",
        "llama_model_load: error loading model: failed to open /home/ann/models/x.gguf: No such file")] // the user's own path stays
    public void OnlySourcePathsAreCut(string line, string cleaned) => Assert.Equal(cleaned, LlamaProblems.Clean(line));

    [Fact]
    public void AModelsOwnValuesAreNeverTakenForAnError()
    {
        // A model named "error-free" or a template with "invalid" in it is description, not diagnosis.
        Assert.Empty(LlamaProblems.Select(new[]
        {
            "print_info: general.name          = error-free-7b",
            "llama_model_loader: - kv   3: tokenizer.chat_template str = {% if invalid %}raise_exception('failed'){% endif %}",
        }, 4));
    }

    [Fact]
    public void TheLogKeepsEachLinesLevelAcrossPieces()
    {
        string marker = "edgelm-level-" + Guid.NewGuid().ToString("N")[..8];
        LlamaLog.Append($"{marker} describe: no error here ", Info);
        LlamaLog.Append("(continued)\n", LlamaProblems.Cont);
        LlamaLog.Append($"{marker} broke: ", LlamaProblems.Error);
        LlamaLog.Append("details\n", LlamaProblems.Cont);

        IReadOnlyList<string> problems = LlamaLog.RecentProblems(64);
        Assert.Contains($"{marker} broke: details", problems);
        Assert.DoesNotContain($"{marker} describe: no error here (continued)", problems);
        Assert.Contains($"{marker} describe: no error here (continued)", LlamaLog.RecentLines());
    }

    [Fact]
    public void AWorkerDeathQuotesWhatWentWrong()
    {
        var e = new EdgeLmWorkerException("/m.gguf", 134, "loading the model", Abort[1..]);

        Assert.Contains("llama.cpp said: terminate called after throwing an instance of 'std::out_of_range' | what():  _Map_base::at.", e.Message);
        Assert.DoesNotContain("print_info", e.Message);
        Assert.Equal(Abort[1..], e.LastLogLines); // the record keeps every line
    }

    [Fact]
    public void AWorkerDeathWithNoErrorInItsLastLinesSaysSo()
    {
        var e = new EdgeLmWorkerException("/m.gguf", 137, "generating token 3 of 8", new[] { "print_info: n_ff = 256", "load_tensors: CPU_Mapped model buffer size = 0.69 MiB" });

        Assert.Contains("llama.cpp's last lines name no error (--verbose shows its whole log).", e.Message);
        Assert.DoesNotContain("print_info", e.Message);
    }
}
