using System.Management.Automation;
using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Cmdlets.Commands;

/// <summary>Writes results (or summaries) as JSONL, CSV or a Markdown table of the columns that vary.</summary>
[Cmdlet(VerbsData.Export, "EdgeResult", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportEdgeResultCommand : EdgeLmCmdlet
{
    private readonly List<object> _records = new();

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public object InputObject { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>Jsonl, Csv or Markdown; default from the file extension (.md is Markdown, .csv CSV, else JSONL).</summary>
    [Parameter]
    [ValidateSet("Jsonl", "Csv", "Markdown")]
    public string? Format { get; set; }

    /// <summary>Writes the file's FileInfo after exporting.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => _records.Add(InputObject is PSObject wrapped ? wrapped.BaseObject : InputObject);

    protected override void EndProcessing()
    {
        string file = ResolveFileSystemPath(Path, nameof(Path));
        string format = Format ?? (file.EndsWith(".md", StringComparison.OrdinalIgnoreCase) ? "Markdown" : file.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? "Csv" : "Jsonl");
        if (!ShouldProcess(file, $"Export {_records.Count} records as {format}"))
        {
            return;
        }

        object[] records = _records.Select(ResultCmdletSupport.Unwrap).ToArray();
        RunInline(file, () =>
        {
            using var writer = new StreamWriter(file);
            switch (format)
            {
                case "Markdown": ResultFiles.WriteMarkdown(records, writer); break;
                case "Csv": ResultFiles.WriteCsv(records, writer); break;
                default: ResultFiles.WriteJsonLines(records, writer); break;
            }
        });
        if (PassThru.IsPresent)
        {
            WriteObject(new FileInfo(file));
        }
    }
}
