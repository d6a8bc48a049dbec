using System.Globalization;
using System.Reflection;

namespace EdgeLm.Cli;

/// <summary>
/// Prints records to stdout as they arrive: a table (default columns like the module's format views),
/// CSV (header once) or JSON Lines.
/// </summary>
internal sealed class RecordPrinter
{
    private static readonly Dictionary<Type, string[]> TableColumns = new()
    {
        [typeof(ModelInfo)] = new[] { "ModelName", "Architecture", "ParameterCount", "Quantization", "ContextLength", "Layers", "EmbeddingSize", "FileBytes" },
        [typeof(EdgeLm.Core.Benchmarks.BudgetResult)] = new[] { "Passed", "Value", "Runs", "Rule" },
        [typeof(PowerSourceInfo)] = new[] { "Name", "Kind", "Scope", "Method", "Readable", "Default", "Reason" },
        [typeof(EnergyMeasurement)] = new[]
        {
            "DurationSeconds", "EnergyJoules", "AveragePowerWatts", "PeakPowerWatts", "IdlePowerWatts", "NetEnergyJoules", "Samples",
            "EnergySource", "EnergyScope", "EnergyMethod",
        },
        [typeof(DeviceProfile)] = new[]
        {
            "DeviceName", "BoardModel", "CpuModel", "PhysicalCores", "LogicalCores", "MaxCpuFrequencyMHz", "TotalMemoryBytes",
            "GpuName", "PowerMode", "MaxTemperatureCelsius", "Throttled", "MemoryBandwidthBytesPerSecond",
        },
        [typeof(InferenceResult)] = new[]
        {
            "ModelName", "Quantization", "Threads", "PromptTokens", "GeneratedTokens", "TimeToFirstTokenMs",
            "PrefillTokensPerSecond", "DecodeTokensPerSecond", "PeakRssBytes", "Output",
        },
    };

    private const int OutputColumnWidth = 40;
    private readonly TextWriter _out;
    private readonly OutputFormat _format;
    private readonly HashSet<Type> _headerWritten = new();

    public RecordPrinter(TextWriter output, OutputFormat format)
    {
        _out = output;
        _format = format;
    }

    public void Print(object record)
    {
        Type type = record.GetType();
        switch (_format)
        {
            case OutputFormat.Json:
                _out.WriteLine(RecordText.ToJsonLine(record));
                break;
            case OutputFormat.Csv:
                if (_headerWritten.Add(type))
                {
                    _out.WriteLine(RecordText.CsvHeader(record));
                }

                _out.WriteLine(RecordText.ToCsvLine(record));
                break;
            default:
                PrintRow(record, type);
                break;
        }

        _out.Flush();
    }

    // A flat record's table leaves out the spread statistics (CSV and JSON have them all): medians and verdicts remain.
    private static readonly string[] Spread = { "Mean", "StdDev", "P5", "P95", "CiLow", "CiHigh", "CoefficientOfVariation", "NoisyFigures" };

    // Rows are printed as they complete, so widths come from the header and a per-column minimum.
    private void PrintRow(object record, Type type)
    {
        IReadOnlyList<KeyValuePair<string, object?>> fields = RecordText.FieldsOf(record);
        string[] columns = TableColumns.TryGetValue(type, out string[]? names)
            ? names
            : record is EdgeLm.IFlatRecord
                ? fields.Select(f => f.Key).Where(k => k.StartsWith("Ratio", StringComparison.Ordinal) || !Spread.Any(k.EndsWith)).ToArray()
                : fields.Select(f => f.Key).ToArray();
        int[] widths = columns.Select(c => Math.Max(c.Length, c switch { "Output" => OutputColumnWidth, "ModelName" => 24, _ => 10 })).ToArray();
        if (_headerWritten.Add(type))
        {
            _out.WriteLine(string.Join(" ", columns.Select((c, i) => Pad(c, widths[i], c == "Output" || c == "ModelName"))));
            _out.WriteLine(string.Join(" ", widths.Select(w => new string('-', w))));
        }

        var cells = columns.Select((c, i) =>
        {
            object? value = fields.FirstOrDefault(f => f.Key == c).Value;
            string text = Cell(value);
            bool left = value is string || (value is null && type.GetProperty(c)?.PropertyType == typeof(string));
            return Pad(c == "Output" ? Truncate(text, widths[i]) : text, widths[i], left);
        });
        _out.WriteLine(string.Join(" ", cells));
    }

    private static string Cell(object? value) => value switch
    {
        null => "",
        double d => d.ToString("0.00", CultureInfo.InvariantCulture),
        string s => s.ReplaceLineEndings(" "),
        _ => RecordText.Invariant(value),
    };

    private static string Truncate(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";

    private static string Pad(string text, int width, bool left) => left ? text.PadRight(width) : text.PadLeft(width);
}
