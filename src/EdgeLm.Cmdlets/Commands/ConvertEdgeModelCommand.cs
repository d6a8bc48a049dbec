using System.Management.Automation;
using EdgeLm.Core.Host;
using EdgeLm.Core.Models;

namespace EdgeLm.Cmdlets.Commands;

/// <summary>Quantizes a GGUF to another type with llama.cpp's quantizer.</summary>
[Cmdlet(VerbsData.Convert, "EdgeModel", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(ModelInfo))]
public sealed class ConvertEdgeModelCommand : EdgeLmCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [Alias("FullName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP", "ModelPath")]
    [ValidateNotNullOrEmpty]
    public string LiteralPath { get; set; } = string.Empty;

    [Parameter(Mandatory = true, Position = 1)]
    [ArgumentCompleter(typeof(QuantizationCompleter))]
    [ValidateNotNullOrEmpty]
    public string Quantization { get; set; } = string.Empty;

    [Parameter(Mandatory = true, Position = 2)]
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

    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName == LiteralPathSet;
        string given = literal ? LiteralPath : Path;
        List<string> inputs = ResolveInputPaths(new[] { given }, literal).ToList();
        if (inputs.Count == 0)
        {
            return;
        }

        if (inputs.Count > 1)
        {
            WriteError(new ErrorRecord(
                new PSArgumentException($"'{given}' matches {inputs.Count} files; Convert-EdgeModel writes one -OutputPath per input. Pipe the files in one at a time with their own output path."),
                "AmbiguousPath", ErrorCategory.InvalidArgument, given));
            return;
        }

        string input = inputs[0];
        string output = ResolveFileSystemPath(OutputPath, nameof(OutputPath));
        string? nativeDirectory = NativeLibraryPath is null ? null : ResolveFileSystemPath(NativeLibraryPath, nameof(NativeLibraryPath));
        // 0 lets llama.cpp use every hardware thread.
        int threads = IsBound(nameof(Threads)) ? Threads : 0;

        if (!ShouldProcess(output, $"Quantize {input} to {Quantization}"))
        {
            return;
        }

        WriteVerbose($"Quantizing {input} to {Quantization} at {output}");
        RunForItem(input, call => call.WriteObject(ModelConversion.Quantize(input, output, Quantization, threads, WorkerHost.Find(),
            nativeDirectory, Force.IsPresent, LlamaLogTo(() => call), call.CancellationToken)));
    }
}
