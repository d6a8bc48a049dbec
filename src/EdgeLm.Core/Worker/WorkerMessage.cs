using EdgeLm.Core.Settings;
using EdgeLm.Core.Engine;
using EdgeLm.Core.Models;
using EdgeLm.Core.Perplexity;
using System.Text.Json;

namespace EdgeLm.Core.Worker;

/// <summary>
/// One line of the worker protocol (JSON, one object per line). The host sends "run", "quantize" and "cancel";
/// the worker answers "hello" once when it starts, then per run any number of "progress" and one of "result",
/// "error" or "cancelled", and per quantization "quantized" or "error" (a quantization cannot be cancelled: the
/// host stops the worker instead). The host closing the worker's stdin ends the worker.
/// </summary>
internal sealed class WorkerMessage
{
    public const string HelloType = "hello", RunType = "run", CancelType = "cancel", ProgressType = "progress",
        ResultType = "result", ErrorType = "error", CancelledType = "cancelled", QuantizeType = "quantize",
        QuantizedType = "quantized";

    /// <summary>Perplexity over a text (Measure-EdgeQuality): "perplexity" in, any "progress" (phase "perplexity",
    /// chunks done of all), then "perplexity-result", "error" or "cancelled" out; "cancel" stops it within a chunk.</summary>
    public const string PerplexityType = "perplexity", PerplexityResultType = "perplexity-result";

    public string Type { get; set; } = string.Empty;
    public WorkerHello? Hello { get; set; }
    public RunOrder? Run { get; set; }
    public QuantizeOrder? Quantize { get; set; }
    public PerplexityOrder? Perplexity { get; set; }
    public PerplexityMeasurement? PerplexityResult { get; set; }
    public RunProgress? Progress { get; set; }
    public RunMeasurement? Result { get; set; }
    public WorkerError? Error { get; set; }

    public string ToLine() => JsonSerializer.Serialize(this, WorkerJson.Default.WorkerMessage);

    /// <summary>The message on <paramref name="line"/>, or null when the line is not one (stray output).</summary>
    public static WorkerMessage? Parse(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(line, WorkerJson.Default.WorkerMessage);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>What the worker says when it is ready: which llama.cpp it loaded and what that offers.</summary>
internal sealed record WorkerHello(int ProcessId, string LlamaVersion, string Backend, string NativeDirectory, string[] ChatTemplates);

/// <summary>A failure inside the worker, enough to raise the same EdgeLmException in the host.</summary>
internal sealed record WorkerError(string Kind, string ErrorId, string Message, string? Path)
{
    public static WorkerError From(Exception e) => e switch
    {
        EdgeLmArgumentException a => new WorkerError("argument", a.ErrorId, a.Message, null),
        EdgeLmInvalidFileException f => new WorkerError("file", f.ErrorId, f.Message, f.Path),
        EdgeLmNativeLibraryException n => new WorkerError("native", n.ErrorId, n.Message, null),
        EdgeLmException x => new WorkerError("general", x.ErrorId, x.Message, null),
        IOException or UnauthorizedAccessException => new WorkerError("general", "IOError", e.Message, null),
        _ => new WorkerError("general", "WorkerError", $"unexpected {e.GetType().Name} in the worker: {e.Message}", null),
    };

    public EdgeLmException ToException() => Kind switch
    {
        "argument" => new EdgeLmArgumentException(ErrorId, Message),
        "file" => new EdgeLmInvalidFileException(Path ?? string.Empty, ErrorId, Message),
        "native" => new EdgeLmNativeLibraryException(ErrorId, Message),
        _ => new EdgeLmException(ErrorId, Message),
    };
}
