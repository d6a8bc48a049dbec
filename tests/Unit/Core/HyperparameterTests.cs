using EdgeLm.Core;
using EdgeLm.Core.Models;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Core;

/// <summary>
/// Headers that parse but carry hyperparameters llama.cpp asserts on (aborting the process that loads them) are
/// refused by Get-EdgeModel / model info, inference and quantization alike, naming the key and the valid range.
/// </summary>
public sealed class HyperparameterTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void AConsistentHeaderPasses()
    {
        ModelInfo info = ModelInspector.Inspect(Write("ok.gguf"));
        Assert.Equal(1, info.Layers);
    }

    public static TheoryData<string, string, string> Refusals => new()
    {
        { "block_count 0", "llama.block_count is 0", "1 to 512" },
        { "block_count 100000", "llama.block_count is 100000", "1 to 512" },
        { "block_count 2^32-1", "llama.block_count is 4294967295", "1 to 512" },
        { "block_count 2, one block present", "llama.block_count is 2", "the number of blocks whose tensors the file holds (1" },
        { "head_count_kv 3", "attention.head_count_kv is 3", "a divisor of attention.head_count (4)" },
        { "head_count 5", "attention.head_count is 5", "a divisor of embedding_length (32)" },
        { "expert_used_count > expert_count", "llama.expert_used_count is 3", "0 to 2" },
        { "rms_epsilon NaN", "attention.layer_norm_rms_epsilon is NaN", "a finite number above 0" },
        { "rope base -1", "rope.freq_base is -1", "a finite number above 0" },
        { "no tokens", "tokenizer.ggml.tokens is an array of 0", "a non-empty array of token strings" },
        { "duplicate tokens", "3 tokens, 2 of them duplicates", "distinct tokens" },
        { "vocabulary against embedding", "tokenizer.ggml.tokens is 4 tokens", "the 3 rows of token_embd.weight" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void WhatWouldAbortLlamaCppIsRefused(string change, string named, string expected)
    {
        string path = Write("bad.gguf", change);

        var e = Assert.Throws<EdgeLmInvalidFileException>(() => ModelInspector.Inspect(path));

        Assert.Equal("GgufBadHyperparameter", e.ErrorId);
        Assert.Contains(named, e.Message);
        Assert.Contains("llama.cpp needs " + expected, e.Message);
        Assert.Contains("bad.gguf", e.Message);
    }

    private string Write(string name, string change = "")
    {
        string[] tokens = change switch
        {
            "no tokens" => Array.Empty<string>(),
            "duplicate tokens" => new[] { "a", "a", "a" },
            "vocabulary against embedding" => new[] { "a", "b", "c", "d" },
            _ => new[] { "a", "b", "c" },
        };
        var writer = new GgufWriter();
        writer.Add("general.architecture", "llama")
            .AddUInt32("llama.block_count", change switch
            {
                "block_count 0" => 0,
                "block_count 100000" => 100_000,
                "block_count 2^32-1" => uint.MaxValue,
                "block_count 2, one block present" => 2,
                _ => 1,
            })
            .AddUInt32("llama.embedding_length", 32)
            .AddUInt32("llama.attention.head_count", change == "head_count 5" ? 5u : 4u)
            .AddUInt32("llama.attention.head_count_kv", change switch { "head_count_kv 3" => 3u, "head_count 5" => 1u, _ => 2u })
            .AddFloat32("llama.attention.layer_norm_rms_epsilon", change == "rms_epsilon NaN" ? float.NaN : 1e-5f)
            .AddFloat32("llama.rope.freq_base", change == "rope base -1" ? -1f : 10000f)
            .AddStrings("tokenizer.ggml.tokens", tokens);
        if (change == "expert_used_count > expert_count")
        {
            writer.AddUInt32("llama.expert_count", 2).AddUInt32("llama.expert_used_count", 3);
        }

        writer.AddTensor("token_embd.weight", GgmlTypes.F32, 32, 3);
        writer.AddTensor("blk.0.attn_q.weight", GgmlTypes.F32, 32, 32);
        string path = _temp.File(name);
        using var stream = File.Create(path);
        writer.WriteTo(stream, (tensor, output) => output.Write(new byte[tensor.Bytes]));
        return path;
    }
}
