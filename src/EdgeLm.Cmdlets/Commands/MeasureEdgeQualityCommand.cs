using System.Management.Automation;
using EdgeLm.Core.Host;
using EdgeLm.Core.Perplexity;

namespace EdgeLm.Cmdlets.Commands;

/// <summary>Perplexity of a model over a text, exactly as llama-perplexity of the same llama.cpp release computes it.</summary>
[Cmdlet(VerbsDiagnostic.Measure, "EdgeQuality", DefaultParameterSetName = PathSet)]
[OutputType(typeof(QualityResult))]
public sealed class MeasureEdgeQualityCommand : EdgeLmCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [Alias("FullName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP", "ModelPath")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string TextPath { get; set; } = string.Empty;

    [Parameter]
    [ValidateRange(QualitySettings.MinContextSize, QualitySettings.MaxContextSize)]
    public int ContextSize { get; set; } = QualitySettings.DefaultContextSize;

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Chunks { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Threads { get; set; }

    [Parameter]
    [ValidateRange(-1, int.MaxValue)]
    public int GpuLayers { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SaveLogitsPath { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReferenceLogitsPath { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReferenceModelPath { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? NativeLibraryPath { get; set; }

    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName == LiteralPathSet;
        string text = ResolveFileSystemPath(TextPath, nameof(TextPath));
        string? nativeDirectory = NativeLibraryPath is null ? null : ResolveFileSystemPath(NativeLibraryPath, nameof(NativeLibraryPath));
        string? save = SaveLogitsPath is null ? null : ResolveFileSystemPath(SaveLogitsPath, nameof(SaveLogitsPath));
        string? reference = ReferenceLogitsPath is null ? null : ResolveFileSystemPath(ReferenceLogitsPath, nameof(ReferenceLogitsPath));
        string? referenceModel = ReferenceModelPath is null ? null : ResolveFileSystemPath(ReferenceModelPath, nameof(ReferenceModelPath));
        foreach (string model in ResolveInputPaths(literal ? LiteralPath : Path, literal))
        {
            var settings = new QualitySettings
            {
                ModelPath = model,
                TextPath = text,
                ContextSize = ContextSize,
                Chunks = IsBound(nameof(Chunks)) ? Chunks : null,
                Threads = IsBound(nameof(Threads)) ? Threads : null,
                GpuLayers = GpuLayers,
                NativeDirectory = nativeDirectory,
                SaveLogitsPath = save,
                ReferenceLogitsPath = reference,
                ReferenceModelPath = referenceModel,
            };
            WriteVerbose($"Scoring {model} over {text} in chunks of {ContextSize} tokens");
            RunForItem(model, call =>
            {
                IProgress<double> progress = call.Progress(1, "Measure-EdgeQuality", $"perplexity of {System.IO.Path.GetFileName(model)}");
                call.WriteObject(ModelQuality.Measure(settings, WorkerHost.Find(), LlamaLogTo(() => call),
                    (done, all) => progress.Report(all == 0 ? 0 : (double)done / all), call.CancellationToken));
            });
        }
    }
}
