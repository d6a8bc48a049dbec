using System.Management.Automation;
using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Cmdlets.Commands;

/// <summary>Candidate against baseline: ratio of medians with a confidence interval and a verdict per configuration.</summary>
[Cmdlet(VerbsData.Compare, "EdgeResult")]
[OutputType(typeof(ResultComparison))]
public sealed class CompareEdgeResultCommand : EdgeLmCmdlet
{
    /// <summary>
    /// Results files, or results: InferenceResult objects (Import-EdgeResult) or rows with their properties
    /// (Import-Csv, Import-Clixml, remoting).
    /// </summary>
    [Parameter(Mandatory = true, Position = 0)]
    public object Baseline { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1)]
    public object Candidate { get; set; } = null!;

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ResultPropertyCompleter))]
    public string[]? GroupBy { get; set; }

    protected override void EndProcessing()
    {
        RunInline(null, () =>
        {
            var baseline = new ResultInputs(this, "-Baseline item");
            baseline.Add(Baseline, allowPaths: true);
            var candidate = new ResultInputs(this, "-Candidate item");
            candidate.Add(Candidate, allowPaths: true);
            foreach (ResultComparison comparison in Comparisons.Compare(baseline.Results, candidate.Results, GroupBy))
            {
                WriteObject(ResultCmdletSupport.ToPSObject(comparison));
            }
        });
    }
}
