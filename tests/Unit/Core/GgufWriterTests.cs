using EdgeLm.Core.Models;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Core;

public sealed class GgufWriterTests
{
    [Fact]
    public void RefusesATensorCallbackThatWritesTheWrongSize()
    {
        using var temp = new TempFolder();
        var writer = new GgufWriter();
        writer.AddTensor("t.weight", GgmlTypes.F32, 32);
        using var stream = File.Create(temp.File("wrong.gguf"));

        var e = Assert.Throws<InvalidOperationException>(() => writer.WriteTo(stream, (t, o) => o.Write(new byte[t.Bytes - 4])));
        Assert.Contains("wrote 124 bytes, expected 128", e.Message);
    }

    [Fact]
    public void PredictsTheFileSize()
    {
        using var temp = new TempFolder();
        var writer = new GgufWriter();
        writer.Add("general.architecture", "llama");
        writer.AddTensor("a.weight", GgmlTypes.F32, 7 * 32);
        writer.AddTensor("b.weight", GgmlTypes.F16, 96, 5);
        string path = temp.File("size.gguf");
        using (var stream = File.Create(path))
        {
            writer.WriteTo(stream, (t, o) => o.Write(new byte[t.Bytes]));
        }

        Assert.Equal(writer.FileBytes, new FileInfo(path).Length);
    }

    [Fact]
    public void RefusesDuplicateKeys()
    {
        var writer = new GgufWriter().Add("general.name", "a");
        Assert.Throws<ArgumentException>(() => writer.Add("general.name", "b"));
    }
}
