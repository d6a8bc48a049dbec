using System.Management.Automation;
using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Cmdlets.Commands;

/// <summary>
/// Reads results files (.jsonl, or .csv as Export-Csv writes them) back into InferenceResult objects. A line that
/// is no result (not JSON, a summary, a value that cannot be its property) is an error naming the file and line;
/// the results on the other lines are still written, so one bad line loses nothing else.
/// </summary>
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
            RunInline(file, () =>
            {
                foreach (ResultFileEntry entry in ResultFiles.Read(file))
                {
                    if (entry.Result is not null)
                    {
                        WriteObject(entry.Result);
                    }
                    else
                    {
                        WriteError(ToErrorRecord(entry.Error!, file));
                    }
                }
            });
        }
    }
}
