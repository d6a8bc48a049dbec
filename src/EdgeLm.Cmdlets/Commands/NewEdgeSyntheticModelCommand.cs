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

    /// <summary>Output weights tied to the input embedding (-TiedOutput:$false unties a shape that ties them).</summary>
    [Parameter]
    public SwitchParameter TiedOutput { get; set; }

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
            shape = SyntheticShapes.Resolve(Shape, new SyntheticShapeOverrides
            {
                Layers = Bound(nameof(Layers), Layers),
                EmbeddingSize = Bound(nameof(EmbeddingSize), EmbeddingSize),
                FeedForwardSize = Bound(nameof(FeedForwardSize), FeedForwardSize),
                Heads = Bound(nameof(Heads), Heads),
                KvHeads = Bound(nameof(KvHeads), KvHeads),
                VocabularySize = Bound(nameof(VocabularySize), VocabularySize),
                ContextLength = Bound(nameof(ContextLength), ContextLength),
                TiedOutput = IsBound(nameof(TiedOutput)) ? TiedOutput.IsPresent : null,
            });
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

    private int? Bound(string parameter, int value) => IsBound(parameter) ? value : null;
}
