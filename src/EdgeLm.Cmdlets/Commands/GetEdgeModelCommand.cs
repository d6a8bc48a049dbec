using System.Management.Automation;
using EdgeLm.Core.Models;

namespace EdgeLm.Cmdlets.Commands;

/// <summary>Reads what a GGUF file holds from its header, without loading the weights.</summary>
[Cmdlet(VerbsCommon.Get, "EdgeModel", DefaultParameterSetName = PathSet)]
[OutputType(typeof(ModelInfo))]
public sealed class GetEdgeModelCommand : EdgeLmCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [Alias("FullName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName == LiteralPathSet;
        foreach (string file in ResolveInputPaths(literal ? LiteralPath : Path, literal))
        {
            // A header read is quick: no worker thread; a bad file is reported and the next one read.
            RunInline(file, () => WriteObject(ModelInspector.Inspect(file)));
        }
    }
}
