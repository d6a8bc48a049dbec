using System.Management.Automation;
using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Cmdlets.Commands;

/// <summary>
/// Will a model at a context fit a board, before anything runs: predicted peak memory against what the board leaves
/// for it, a verdict, the largest context that fits, and a predicted decode rate and energy per token. A model file
/// is read by its header only; a synthetic shape is described without writing it. Get-EdgeModel pipes by ModelPath.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "EdgeFit", DefaultParameterSetName = ModelSet)]
[OutputType(typeof(FitPrediction))]
public sealed class TestEdgeFitCommand : EdgeLmCmdlet
{
    private const string ModelSet = "Model";
    private const string ShapeSet = "Shape";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ModelSet)]
    [Alias("ModelPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string Model { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ParameterSetName = ShapeSet)]
    [ArgumentCompleter(typeof(SyntheticShapeCompleter))]
    [ValidateNotNullOrEmpty]
    public string Shape { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ParameterSetName = ShapeSet)]
    [ArgumentCompleter(typeof(QuantizationCompleter))]
    [ValidateNotNullOrEmpty]
    public string Quantization { get; set; } = string.Empty;

    [Parameter(Mandatory = true)]
    [ValidateRange(1, FitCheck.MaxContext)]
    public int ContextSize { get; set; }

    /// <summary>A catalog board; without -Board, -MemoryBytes or -ThisDevice, one row per catalog board.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(BoardCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Board { get; set; }

    /// <summary>A board's installed memory (8GB works), instead of a catalog board; the OS reserve is taken off.</summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long MemoryBytes { get; set; }

    [Parameter]
    public SwitchParameter ThisDevice { get; set; }

    /// <summary>Results files measured on the target, shown beside the prediction.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Results { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BoardCatalog { get; set; }

    protected override void ProcessRecord()
    {
        string? model = ParameterSetName == ModelSet ? ResolveFileSystemPath(Model, nameof(Model)) : null;
        var request = new FitRequest
        {
            ModelPath = model,
            Shape = ParameterSetName == ShapeSet ? Shape : null,
            Quantization = ParameterSetName == ShapeSet ? Quantization : null,
            ContextSize = ContextSize,
            Board = Board,
            MemoryBytes = IsBound(nameof(MemoryBytes)) ? MemoryBytes : null,
            ThisDevice = ThisDevice.IsPresent,
            ResultsPaths = (Results ?? Array.Empty<string>()).Select(p => ResolveFileSystemPath(p, nameof(Results))).ToArray(),
            BoardCatalogFile = BoardCatalog is null ? null : ResolveFileSystemPath(BoardCatalog, nameof(BoardCatalog)),
        };
        RunForItem(model ?? Shape, call =>
        {
            foreach (FitPrediction row in FitCheck.Predict(request, call.CancellationToken))
            {
                call.WriteObject(row);
            }
        });
    }
}
