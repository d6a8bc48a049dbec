using System.Management.Automation;
using EdgeLm.Core.Models;

namespace EdgeLm.Cmdlets.Commands;

/// <summary>
/// Writes a GGUF with a real model's architecture dimensions and random weights, so speed, memory and energy
/// can be measured for a model nobody downloaded.
/// </summary>
[Cmdlet(VerbsCommon.New, "EdgeSyntheticModel", SupportsShouldProcess = true)]
[OutputType(typeof(ModelInfo))]
public sealed class NewEdgeSyntheticModelCommand : EdgeLmCmdlet
{
    private static readonly string[] DimensionParameters =
    {
        nameof(Layers), nameof(EmbeddingSize), nameof(FeedForwardSize), nameof(Heads), nameof(KvHeads),
        nameof(VocabularySize), nameof(ContextLength),
    };

    /// <summary>A named shape; with custom dimensions, the shape whose other dimensions they start from.</summary>
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(SyntheticShapeCompleter))]
    [ValidateNotNullOrEmpty]
    public string Shape { get; set; } = "tiny";

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Layers { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int EmbeddingSize { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int FeedForwardSize { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Heads { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int KvHeads { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int VocabularySize { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int ContextLength { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(QuantizationCompleter))]
    [ValidateNotNullOrEmpty]
    public string Quantization { get; set; } = "F16";

    [Parameter]
    public ulong Seed { get; set; } = 42;

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string OutputPath { get; set; } = string.Empty;

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Threads { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? NativeLibraryPath { get; set; }

    protected override void EndProcessing()
    {
        string outputPath = ResolveFileSystemPath(OutputPath, nameof(OutputPath));
        SyntheticShape shape;
        try
        {
            shape = ChooseShape();
        }
        catch (EdgeLm.Core.EdgeLmException e)
        {
            ReportError(e, Shape);
            return;
        }

        var request = new SyntheticModelRequest
        {
            Shape = shape,
            Quantization = Quantization,
            Seed = Seed,
            OutputPath = outputPath,
            Force = Force.IsPresent,
        };
        if (IsBound(nameof(Threads)))
        {
            request.Threads = Threads;
        }

        if (NativeLibraryPath is not null)
        {
            request.NativeDirectory = ResolveFileSystemPath(NativeLibraryPath, nameof(NativeLibraryPath));
        }

        string what = $"Create a synthetic '{shape.Name}' model ({shape.ParameterCount:N0} parameters, {Quantization})";
        if (!ShouldProcess(outputPath, what))
        {
            return;
        }

        WriteVerbose($"{what} at {outputPath}");
        RunForItem(outputPath, call =>
        {
            IProgress<double> progress = call.Progress(1, "New-EdgeSyntheticModel", $"Writing {outputPath}");
            call.WriteObject(SyntheticModelBuilder.Create(request, progress, call.CancellationToken));
        });
    }

    // The named shape, or 'custom' from the given dimensions with the named shape's for the rest.
    private SyntheticShape ChooseShape()
    {
        SyntheticShape baseShape = SyntheticShapes.Get(Shape);
        if (!DimensionParameters.Any(IsBound))
        {
            return baseShape;
        }

        return SyntheticShapes.Custom(
            IsBound(nameof(Layers)) ? Layers : baseShape.Layers,
            IsBound(nameof(EmbeddingSize)) ? EmbeddingSize : baseShape.EmbeddingSize,
            IsBound(nameof(FeedForwardSize)) ? FeedForwardSize : baseShape.FeedForwardSize,
            IsBound(nameof(Heads)) ? Heads : baseShape.Heads,
            IsBound(nameof(KvHeads)) ? KvHeads : baseShape.KvHeads,
            IsBound(nameof(VocabularySize)) ? VocabularySize : baseShape.VocabularySize,
            IsBound(nameof(ContextLength)) ? ContextLength : baseShape.ContextLength,
            baseShape.TiedOutput);
    }
}
