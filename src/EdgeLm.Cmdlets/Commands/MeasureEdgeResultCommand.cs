using System.Management.Automation;
using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Cmdlets.Commands;

/// <summary>Statistics per configuration (BenchmarkSummary): from piped results or -Path files.</summary>
[Cmdlet(VerbsDiagnostic.Measure, "EdgeResult")]
[OutputType(typeof(BenchmarkSummary))]
public sealed class MeasureEdgeResultCommand : EdgeLmCmdlet
{
    private readonly List<InferenceResult> _results = new();

    [Parameter(ValueFromPipeline = true)]
    public InferenceResult? InputObject { get; set; }

    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>InferenceResult properties to group by; default the configuration (device, model, quantization, threads, ...).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? GroupBy { get; set; }

    protected override void ProcessRecord()
    {
        if (InputObject is not null)
        {
            _results.Add(InputObject);
        }
    }

    protected override void EndProcessing()
    {
        RunInline(Path, () =>
        {
            _results.AddRange(ResultCmdletSupport.Import(this, Path));
            foreach (BenchmarkSummary summary in BenchmarkSummary.Summarize(_results, GroupBy))
            {
                WriteObject(ResultCmdletSupport.ToPSObject(summary));
            }
        });
    }
}
