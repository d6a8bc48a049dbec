using EdgeLm.Core;
using EdgeLm.Core.Settings;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Cli;

/// <summary>
/// Numbers on the command line are ASCII digits with a dot decimal, and paths are not empty: anything else is a
/// one-line command-line error (exit 2) saying why, never "unexpected ArgumentException" or a value read otherwise.
/// </summary>
public sealed class NumberAndPathOptionTests
{
    [Theory]
    [InlineData("infer: --threads must be a whole number, not '\u0663': '\u0663' (U+0663) is not one of the digits 0-9", "infer", "--model", "m", "--prompt", "x", "--threads", "\u0663")]
    [InlineData("infer: --threads must be a whole number, not '\uFF13': '\uFF13' (U+FF13) is not one of the digits 0-9", "infer", "--model", "m", "--prompt", "x", "--threads", "\uFF13")]
    [InlineData("infer: --temperature must be a number, not '0,5': it has a decimal comma; write 0.5", "infer", "--model", "m", "--prompt", "x", "--temperature", "0,5")]
    [InlineData("bench: --threads takes whole numbers separated by commas, not '\u0663': '\u0663' (U+0663) is not one", "bench", "--model", "m", "--threads", "1,\u0663")]
    [InlineData("infer: --seed must be at most 4294967294, not 1099511627776: llama.cpp", "infer", "--model", "m", "--prompt", "x", "--seed", "1099511627776")]
    [InlineData("infer: --context must be at most 2147483647, not 99999999999", "infer", "--model", "m", "--prompt", "x", "--context", "99999999999")]
    [InlineData("infer: --seed must be at most 4294967294, not 4294967295: llama.cpp takes 4294967295 as 'draw a random seed'", "infer", "--model", "m", "--prompt", "x", "--seed", "4294967295")]
    [InlineData("infer: --model is '', which names no file; give its path", "infer", "--model", "", "--prompt", "x")]
    [InlineData("export: --out is '', which names no file; give its path", "export", "--in", "r.jsonl", "--out", "")]
    [InlineData("export: --in is ' ', which names no file; give its path", "export", "--in", " ")]
    [InlineData("bench: --plan is '', which names no file; give its path", "bench", "--plan", "")]
    [InlineData("device: --root is '', which names no folder; give its path", "device", "--root", "")]
    public void ABadNumberOrAnEmptyPathIsACommandLineErrorSayingWhy(string expected, params string[] args)
    {
        var run = ProcessRunner.EdgelmInProcess(args);

        Assert.Equal(2, run.Exit);
        Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("edgelm: " + expected, run.Err);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void SettingsWithAnEmptyModelPathAreRefusedNamingIt(string path)
    {
        // Invoke-EdgeInference -ModelPath '' reached Path.GetFullPath: "The value cannot be an empty string".
        var e = Assert.Throws<EdgeLmArgumentException>(() => new RunSettings { ModelPath = path, Prompt = "x" }.Validate());
        Assert.Equal("ModelPathEmpty", e.ErrorId);
        Assert.Equal($"ModelPath is '{path}', which names no file; give the path of a .gguf model", e.Message);
    }

    [Fact]
    public void TheSeedLlamaCppTakesAsRandomIsRefusedAndTheOneBelowTaken()
    {
        // llama.h: LLAMA_DEFAULT_SEED 0xFFFFFFFF makes llama_sampler_init_dist draw a random seed; the record said 4294967295.
        var e = Assert.Throws<EdgeLmArgumentException>(() => new RunSettings { ModelPath = "m.gguf", Seed = uint.MaxValue }.Validate());
        Assert.Equal("InvalidSeed", e.ErrorId);
        Assert.StartsWith("Seed is 4294967295, llama.cpp's LLAMA_DEFAULT_SEED, which draws a random seed each run", e.Message);

        new RunSettings { ModelPath = "m.gguf", Seed = RunSettings.MaxSeed }.Validate();
        Assert.Equal(4294967294u, RunSettings.MaxSeed);
    }
}
