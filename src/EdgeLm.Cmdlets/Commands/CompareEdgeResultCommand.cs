using System.Management.Automation;
using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Cmdlets.Commands;

/// <summary>Candidate against baseline: ratio of medians with a confidence interval and a verdict per configuration.</summary>
[Cmdlet(VerbsData.Compare, "EdgeResult")]
[OutputType(typeof(ResultComparison))]
public sealed class CompareEdgeResultCommand : EdgeLmCmdlet
{
    /// <summary>A results file, or results (e.g. from Import-EdgeResult).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public object Baseline { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1)]
    public object Candidate { get; set; } = null!;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? GroupBy { get; set; }

    protected override void EndProcessing()
    {
        RunInline(null, () =>
        {
            foreach (ResultComparison comparison in ResultComparison.Compare(ResultCmdletSupport.Results(this, Baseline), ResultCmdletSupport.Results(this, Candidate), GroupBy))
            {
                WriteObject(ResultCmdletSupport.ToPSObject(comparison));
            }
        });
    }
}
