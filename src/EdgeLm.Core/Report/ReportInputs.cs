using System.Text.Json;

namespace EdgeLm.Core.Report;

/// <summary>
/// The report's other inputs, read from files: quality records (Measure-EdgeQuality's QualityResult and
/// Test-EdgePrompt -Summary's PromptSuiteSummary, as JSON Lines) and device profiles (Get-DeviceProfile, edgelm device,
/// as JSON). Each line must be one of them: anything else names the file and line, so a wrong file is never drawn as
/// an empty section.
/// </summary>
public static class ReportInputs
{
    /// <summary>The most a quality or profile file may hold: thousands of records are a few MB.</summary>
    public const long MaxBytes = 64L << 20;

    public static (IReadOnlyList<QualityResult> Quality, IReadOnlyList<PromptSuiteSummary> Prompts) ReadQuality(string path)
    {
        var quality = new List<QualityResult>();
        var prompts = new List<PromptSuiteSummary>();
        foreach ((JsonElement record, string full, int line) in Records(path, "quality file", "QualityFileNotFound"))
        {
            if (record.TryGetProperty(nameof(QualityResult.TextSha256), out _) && record.TryGetProperty(nameof(QualityResult.Perplexity), out _))
            {
                quality.Add(Convert(record, RecordJson.Text.QualityResult, full, line, "QualityResult"));
            }
            else if (record.TryGetProperty(nameof(PromptSuiteSummary.PassRate), out _))
            {
                prompts.Add(Convert(record, RecordJson.Text.PromptSuiteSummary, full, line, "PromptSuiteSummary"));
            }
            else
            {
                throw new EdgeLmInvalidFileException(full, "NotAQualityRecord",
                    $"{full} line {line} is neither a QualityResult (edgelm quality --format json) nor a PromptSuiteSummary (edgelm prompts --summary --format json)");
            }
        }

        return (quality, prompts);
    }

    public static IReadOnlyList<DeviceProfile> ReadProfiles(string path)
    {
        var profiles = new List<DeviceProfile>();
        foreach ((JsonElement record, string full, int line) in Records(path, "device profile", "ProfileNotFound"))
        {
            if (!record.TryGetProperty(nameof(DeviceProfile.DeviceName), out _) || !record.TryGetProperty(nameof(DeviceProfile.CpuModel), out _))
            {
                throw new EdgeLmInvalidFileException(full, "NotADeviceProfile", $"{full} line {line} is not a device profile (edgelm device --format json writes one)");
            }

            profiles.Add(Convert(record, RecordJson.Text.DeviceProfile, full, line, "device profile"));
        }

        return profiles;
    }

    private static T Convert<T>(JsonElement record, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string file, int line, string what)
    {
        try
        {
            return record.Deserialize(type)!;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new EdgeLmInvalidFileException(file, "NotAQualityRecord", $"{file} line {line} looks like a {what} but a value has the wrong type ({e.Message.Split('.')[0]})");
        }
    }

    // One JSON object per line (blank lines skipped); a file holding one object spread over lines is read whole.
    private static IEnumerable<(JsonElement Record, string File, int Line)> Records(string path, string what, string notFoundId)
    {
        string full = Path.GetFullPath(path);
        string text = InputFiles.ReadText(full, MaxBytes, what, notFoundId);
        string trimmed = text.TrimStart();
        string[] lines = trimmed.StartsWith('{') && !trimmed.Contains("}\n{", StringComparison.Ordinal) && !trimmed.Contains("}\r\n{", StringComparison.Ordinal)
            ? new[] { text } : text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0)
            {
                continue;
            }

            JsonElement record;
            try
            {
                using JsonDocument document = JsonDocument.Parse(lines[i], new JsonDocumentOptions { MaxDepth = 8 });
                record = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new EdgeLmInvalidFileException(full, "NotJson", $"{full} line {i + 1} is not JSON ({e.Message.Split('.')[0]}); the {what} is read as JSON Lines");
            }

            if (record.ValueKind != JsonValueKind.Object)
            {
                throw new EdgeLmInvalidFileException(full, "NotJson", $"{full} line {i + 1} is not a JSON object; the {what} is read as JSON Lines, one record per line");
            }

            yield return (record, full, i + 1);
        }
    }
}
