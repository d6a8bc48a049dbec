using System.Management.Automation;
using EdgeLm.Core.Report;

namespace EdgeLm.Cmdlets.Commands;

/// <summary>
/// Writes one self-contained HTML report from results (piped or -Path files), with quality records, prompt-suite
/// summaries and device profiles piped beside them or read from -QualityPath and -ProfilePath. Piped rows from
/// Import-Csv or Import-Clixml are taken as results by property name, as Measure-EdgeResult takes them.
/// </summary>
[Cmdlet(VerbsData.Export, "EdgeReport", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportEdgeReportCommand : EdgeLmCmdlet
{
    private ResultInputs? _inputs;
    private readonly List<QualityResult> _quality = new();
    private readonly List<PromptSuiteSummary> _prompts = new();
    private readonly List<DeviceProfile> _profiles = new();

    /// <summary>Results, QualityResult, PromptSuiteSummary or DeviceProfile objects, or rows with a result's properties.</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? QualityPath { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? ProfilePath { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string OutputPath { get; set; } = "report.html";

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Title { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(BoardCompleter))]
    public string? Board { get; set; }

    [Parameter]
    [ValidateRange(0.0, double.MaxValue)]
    public double BoardPriceUsd { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? CloudModel { get; set; }

    /// <summary>Writes the report's FileInfo after writing it.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing() => _inputs = new ResultInputs(this);

    protected override void ProcessRecord()
    {
        switch (ResultCmdletSupport.Unwrap(InputObject))
        {
            case QualityResult quality: _quality.Add(quality); break;
            case PromptSuiteSummary prompts: _prompts.Add(prompts); break;
            case DeviceProfile profile: _profiles.Add(profile); break;
            default: _inputs!.Add(InputObject); break;
        }
    }

    protected override void EndProcessing()
    {
        string output = ResolveFileSystemPath(OutputPath, nameof(OutputPath));
        RunInline(output, () =>
        {
            _inputs!.AddFiles(Path);
            foreach (string file in QualityPath ?? Array.Empty<string>())
            {
                (IReadOnlyList<QualityResult> quality, IReadOnlyList<PromptSuiteSummary> prompts) = ReportInputs.ReadQuality(ResolveFileSystemPath(file, nameof(QualityPath)));
                _quality.AddRange(quality);
                _prompts.AddRange(prompts);
            }

            _profiles.AddRange((ProfilePath ?? Array.Empty<string>()).SelectMany(p => ReportInputs.ReadProfiles(ResolveFileSystemPath(p, nameof(ProfilePath)))));
            var request = new ReportRequest
            {
                Results = _inputs.Results,
                Quality = _quality,
                Prompts = _prompts,
                Profiles = _profiles,
                Sources = Path ?? Array.Empty<string>(),
                Title = Title,
                Board = Board,
                BoardPriceUsd = IsBound(nameof(BoardPriceUsd)) ? BoardPriceUsd : null,
                CloudModel = CloudModel,
            };
            if (!ShouldProcess(output, $"Write an HTML report of {_inputs.Results.Count} results"))
            {
                return;
            }

            string written = HtmlReport.Write(request, output);
            if (PassThru.IsPresent)
            {
                WriteObject(new FileInfo(written));
            }
        });
    }
}
