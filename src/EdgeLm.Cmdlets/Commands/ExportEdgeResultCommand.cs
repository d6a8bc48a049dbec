using System.Collections;
using System.Management.Automation;
using EdgeLm.Core;
using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Cmdlets.Commands;

/// <summary>
/// Writes EdgeLm records as JSONL, CSV or Markdown, with all their columns: results, summaries and comparisons
/// (their columns as the CLI writes them), budget verdicts, device profiles, models, energy measurements and
/// power sources. Rows with a result's properties (Import-Csv, Import-Clixml, remoting) are written as results,
/// by the rules Import-EdgeResult reads them with; other rows of plain values (a deserialized summary, Select-Object
/// output) as they are. Anything else is an error naming it, and the rest are still written.
/// </summary>
[Cmdlet(VerbsData.Export, "EdgeResult", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportEdgeResultCommand : EdgeLmCmdlet
{
    private readonly List<object> _records = new();
    private int _count;
    private bool _refused;

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

    protected override void ProcessRecord() => Add(InputObject);

    protected override void EndProcessing()
    {
        string file = ResolveFileSystemPath(Path, nameof(Path));
        string format = Format ?? (file.EndsWith(".md", StringComparison.OrdinalIgnoreCase) ? "Markdown" : file.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? "Csv" : "Jsonl");
        if (_refused && _records.Count == 0)
        {
            // Nothing exportable came: leave an existing file as it is rather than empty it.
            return;
        }

        if (!ShouldProcess(file, $"Export {_records.Count} records as {format}"))
        {
            return;
        }

        object[] records = _records.ToArray();
        RunInline(file, () => OutputFiles.WriteText(file, "an export", writer =>
        {
            switch (format)
            {
                case "Markdown": ResultFiles.WriteMarkdown(records, writer); break;
                case "Csv": ResultFiles.WriteCsv(records, writer); break;
                default: ResultFiles.WriteJsonLines(records, writer); break;
            }
        }));
        if (PassThru.IsPresent)
        {
            WriteObject(new FileInfo(file));
        }
    }

    private void Add(object? input)
    {
        object? value = ResultCmdletSupport.Unwrap(input);
        if (value is null)
        {
            return;
        }

        if (value is IEnumerable many and not string and not IDictionary)
        {
            foreach (object? item in many)
            {
                Add(item);
            }

            return;
        }

        _count++;
        if (ResultCmdletSupport.IsEdgeLmRecord(value))
        {
            _records.Add(value);
            return;
        }

        try
        {
            List<KeyValuePair<string, object?>>? fields = ResultCmdletSupport.RowFields(input!);
            if (fields is null)
            {
                throw new EdgeLmInvalidResultException("NotAnEdgeLmRecord",
                    $"a {ResultCmdletSupport.TypeNameOf(input!)} is not an EdgeLm record; Export-EdgeResult writes results, summaries, comparisons, " +
                    "budget verdicts, device profiles, models, energy measurements and power sources, or rows of plain values");
            }

            if (ResultCmdletSupport.LooksLikeResult(input!, fields))
            {
                _records.Add(ResultConversion.FromFields(fields));
                return;
            }

            KeyValuePair<string, object?> nested = fields.FirstOrDefault(f => f.Value is not null && !IsScalar(f.Value));
            if (nested.Key is not null)
            {
                throw new EdgeLmInvalidResultException("NotFlat",
                    $"{nested.Key} holds a {nested.Value!.GetType().FullName}; a row to export holds single values only (Select-Object the ones to keep)");
            }

            _records.Add(new FlatRow(ResultCmdletSupport.TypeNameOf(input!), fields.Select(f => new KeyValuePair<string, object?>(f.Key, f.Value is Enum e ? e.ToString() : f.Value)).ToArray()));
        }
        catch (EdgeLmInvalidResultException e)
        {
            _refused = true;
            WriteError(ToErrorRecord(new EdgeLmInvalidResultException(e.ErrorId, $"input {_count}: {e.Message}"), input));
        }
    }

    private static bool IsScalar(object value) =>
        value is string or bool or char or Enum or DateTime or DateTimeOffset or TimeSpan or Guid or decimal or double or float
            or sbyte or byte or short or ushort or int or uint or long or ulong;
}
