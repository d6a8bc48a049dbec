using System.Management.Automation;
using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Cmdlets.Commands;

/// <summary>
/// Checks results against a budget YAML: one pass/fail record per rule, for Pester acceptance checks. Piped rows
/// from Import-Csv, Import-Clixml or remoting are taken by property name; a row that is no result is an error.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "EdgeBudget")]
[OutputType(typeof(BudgetResult))]
public sealed class TestEdgeBudgetCommand : EdgeLmCmdlet
{
    private ResultInputs? _inputs;

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Budget { get; set; } = string.Empty;

    /// <summary>Results: InferenceResult objects or rows with their properties (Import-Csv, Import-Clixml).</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    protected override void BeginProcessing() => _inputs = new ResultInputs(this);

    protected override void ProcessRecord() => _inputs!.Add(InputObject);

    protected override void EndProcessing()
    {
        RunInline(Budget, () =>
        {
            IReadOnlyList<BudgetRule> rules = Budgets.Read(ResolveFileSystemPath(Budget, nameof(Budget)));
            _inputs!.AddFiles(Path);
            WriteObject(Budgets.Check(_inputs.Results, rules), enumerateCollection: true);
        });
    }
}
