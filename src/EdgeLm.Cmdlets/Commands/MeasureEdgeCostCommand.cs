using System.Management.Automation;
using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Cmdlets.Commands;

/// <summary>
/// Dollars per million tokens on the device against cloud prices, per configuration and cloud entry (CostEstimate):
/// from piped results, piped summaries (Measure-EdgeResult) or -Path files. Piped rows from Import-Csv or
/// Import-Clixml are taken as results by property name, as Measure-EdgeResult takes them.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "EdgeCost")]
[OutputType(typeof(CostEstimate))]
public sealed class MeasureEdgeCostCommand : EdgeLmCmdlet
{
    private ResultInputs? _inputs;
    private readonly List<BenchmarkSummary> _summaries = new();

    /// <summary>Results (InferenceResult objects or rows with their properties) or BenchmarkSummary objects.</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CloudPricePath { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? CloudModel { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(BoardCompleter))]
    public string? Board { get; set; }

    [Parameter]
    public double BoardPriceUsd { get; set; }

    [Parameter]
    public double LifetimeYears { get; set; } = CostSettings.DefaultLifetimeYears;

    [Parameter]
    public double DutyCycle { get; set; } = CostSettings.DefaultDutyCycle;

    [Parameter]
    public double ElectricityUsdPerKwh { get; set; } = CostSettings.DefaultElectricityUsdPerKwh;

    [Parameter]
    public double PowerWatts { get; set; }

    [Parameter]
    public double RequestsPerDay { get; set; }

    [Parameter]
    public int PromptTokensPerRequest { get; set; }

    [Parameter]
    public int OutputTokensPerRequest { get; set; }

    protected override void BeginProcessing() => _inputs = new ResultInputs(this);

    protected override void ProcessRecord()
    {
        if (ResultCmdletSupport.Unwrap(InputObject) is BenchmarkSummary summary)
        {
            _summaries.Add(summary);
            return;
        }

        _inputs!.Add(InputObject);
    }

    protected override void EndProcessing()
    {
        var settings = new CostSettings
        {
            Board = Board,
            BoardPriceUsd = IsBound(nameof(BoardPriceUsd)) ? BoardPriceUsd : null,
            LifetimeYears = LifetimeYears,
            DutyCycle = DutyCycle,
            ElectricityUsdPerKwh = ElectricityUsdPerKwh,
            PowerWatts = IsBound(nameof(PowerWatts)) ? PowerWatts : null,
            RequestsPerDay = IsBound(nameof(RequestsPerDay)) ? RequestsPerDay : null,
            PromptTokensPerRequest = IsBound(nameof(PromptTokensPerRequest)) ? PromptTokensPerRequest : null,
            OutputTokensPerRequest = IsBound(nameof(OutputTokensPerRequest)) ? OutputTokensPerRequest : null,
            CloudPricePath = CloudPricePath is null ? null : ResolveFileSystemPath(CloudPricePath, nameof(CloudPricePath)),
            CloudModel = CloudModel,
        };
        RunInline(CloudPricePath ?? (object?)Path, () =>
        {
            _inputs!.AddFiles(Path);
            if (_inputs.Results.Count > 0)
            {
                WriteObject(Costs.Estimate(_inputs.Results, settings), enumerateCollection: true);
            }

            if (_summaries.Count > 0)
            {
                WriteObject(Costs.Estimate(_summaries, settings), enumerateCollection: true);
            }
        });
    }
}
