using EdgeLm.Core;
using EdgeLm.Core.Models;

namespace EdgeLm.Tests.Core;

/// <summary>Dimension overrides merge into a named shape in one Core call, the same for the cmdlet and the CLI.</summary>
public sealed class ShapeOverrideTests
{
    [Fact]
    public void NoOverrideIsTheNamedShapeItself()
    {
        Assert.Same(SyntheticShapes.Get("smollm2-135m"), SyntheticShapes.Resolve("smollm2-135m"));
        Assert.Same(SyntheticShapes.Get("smollm2-135m"), SyntheticShapes.Resolve("SmolLM2-135M", new SyntheticShapeOverrides()));
    }

    [Fact]
    public void OverridesReplaceOnlyWhatTheyNameAndKeepTheRest()
    {
        SyntheticShape named = SyntheticShapes.Get("smollm2-135m");

        SyntheticShape shape = SyntheticShapes.Resolve("smollm2-135m", new SyntheticShapeOverrides { Layers = 4, TiedOutput = false });

        Assert.Equal("custom", shape.Name);
        Assert.Equal(4, shape.Layers);
        Assert.False(shape.TiedOutput);
        Assert.Equal(named with { Name = "custom", Layers = 4, TiedOutput = false }, shape);
    }

    [Fact]
    public void AnImpossibleMergeIsRefusedNamingTheNumbers()
    {
        var e = Assert.Throws<EdgeLmArgumentException>(() => SyntheticShapes.Resolve("tiny", new SyntheticShapeOverrides { Heads = 3 }));
        Assert.Equal("InvalidShape", e.ErrorId);
        Assert.Contains("3 heads", e.Message);
    }

    [Fact]
    public void AnUnknownShapeListsTheNames()
    {
        var e = Assert.Throws<EdgeLmArgumentException>(() => SyntheticShapes.Resolve("llama-9b", new SyntheticShapeOverrides { Layers = 2 }));
        Assert.Contains("smollm2-135m", e.Message);
    }
}
