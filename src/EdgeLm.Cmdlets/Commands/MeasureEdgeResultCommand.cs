using System.Management.Automation;
using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Cmdlets.Commands;

/// <summary>
/// Statistics per configuration (BenchmarkSummary): from piped results or -Path files. Piped rows from Import-Csv,
/// Import-Clixml or remoting are taken by property name, as Import-EdgeResult reads a CSV; a row that is no result
/// is an error and the others are summarised.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "EdgeResult")]
[OutputType(typeof(BenchmarkSummary))]
public sealed class MeasureEdgeResultCommand : EdgeLmCmdlet
{
    private ResultInputs? _inputs;

    /// <summary>Results: InferenceResult objects or rows with their properties (Import-Csv, Import-Clixml).</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>InferenceResult properties to group by; default the configuration (device, model, quantization, threads, ...).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ResultPropertyCompleter))]
    public string[]? GroupBy { get; set; }

    protected override void BeginProcessing() => _inputs = new ResultInputs(this);

    protected override void ProcessRecord() => _inputs!.Add(InputObject);

    protected override void EndProcessing()
    {
        RunInline(Path, () =>
        {
            _inputs!.AddFiles(Path);
            foreach (BenchmarkSummary summary in Summaries.Summarize(_inputs.Results, GroupBy))
            {
                WriteObject(ResultCmdletSupport.ToPSObject(summary));
            }
        });
    }
}
