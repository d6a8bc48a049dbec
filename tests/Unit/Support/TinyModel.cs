using EdgeLm.Core.Models;

namespace EdgeLm.Tests.Support;

/// <summary>One synthetic tiny F16 model shared by every test in the collection (written once, ~0.7 MB).</summary>
public sealed class TinyModel : IDisposable
{
    private readonly TempFolder _folder = new();

    public TinyModel()
    {
        Path = _folder.File("tiny-f16.gguf");
        Info = SyntheticModelBuilder.Create(new SyntheticModelRequest { Shape = SyntheticShapes.Get("tiny"), Quantization = "F16", OutputPath = Path });
    }

    public string Path { get; }

    public ModelInfo Info { get; }

    public void Dispose() => _folder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class TinyModelCollection : ICollectionFixture<TinyModel>
{
    public const string Name = "tiny model";
}
