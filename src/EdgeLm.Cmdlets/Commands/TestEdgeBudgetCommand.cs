using System.Management.Automation;
using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Cmdlets.Commands;

/// <summary>Checks results against a budget YAML: one pass/fail record per rule, for Pester acceptance checks.</summary>
[Cmdlet(VerbsDiagnostic.Test, "EdgeBudget")]
[OutputType(typeof(BudgetResult))]
public sealed class TestEdgeBudgetCommand : EdgeLmCmdlet
{
    private readonly List<InferenceResult> _results = new();

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Budget { get; set; } = string.Empty;

    [Parameter(ValueFromPipeline = true)]
    public InferenceResult? InputObject { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    protected override void ProcessRecord()
    {
        if (InputObject is not null)
        {
            _results.Add(InputObject);
        }
    }

    protected override void EndProcessing()
    {
        RunInline(Budget, () =>
        {
            IReadOnlyList<BudgetRule> rules = Budgets.Read(ResolveFileSystemPath(Budget, nameof(Budget)));
            _results.AddRange(ResultCmdletSupport.Import(this, Path));
            WriteObject(Budgets.Check(_results, rules), enumerateCollection: true);
        });
    }
}
