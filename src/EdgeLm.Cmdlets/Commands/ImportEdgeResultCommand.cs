using System.Management.Automation;
using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Cmdlets.Commands;

/// <summary>Reads results files (.jsonl, or .csv as Export-Csv writes them) back into InferenceResult objects.</summary>
[Cmdlet(VerbsData.Import, "EdgeResult")]
[OutputType(typeof(InferenceResult))]
public sealed class ImportEdgeResultCommand : EdgeLmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        foreach (string file in ResolveInputPaths(Path, literal: false))
        {
            RunInline(file, () => WriteObject(ResultFiles.Import(file), enumerateCollection: true));
        }
    }
}
