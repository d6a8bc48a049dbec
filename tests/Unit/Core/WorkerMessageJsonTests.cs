using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using EdgeLm.Core.Worker;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Core;

/// <summary>
/// The worker protocol's lines, now from a compile-time contract (WorkerJson), are byte for byte what the reflection
/// serializer wrote with the same options, and read back to the same message. Messages are filled by reflection, so
/// a property added to any part of a message (or the run's settings renamed) is covered without a change here.
/// </summary>
public sealed class WorkerMessageJsonTests
{
    private static readonly JsonSerializerOptions Reflection = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    private static object Part(string property, int seed, bool nulls = false) =>
        SampleValues.Fill(typeof(WorkerMessage).GetProperty(property)!.PropertyType, seed, nulls);

    // Parts are set by name: the message's property types may change (the run's settings) without a change here.
    private static WorkerMessage Make(string type, string? property = null, object? part = null)
    {
        var message = new WorkerMessage { Type = type };
        if (property is not null)
        {
            typeof(WorkerMessage).GetProperty(property)!.SetValue(message, part);
        }

        return message;
    }

    public static TheoryData<string> Messages() => new() { "hello", "run", "run-nulls", "progress", "result", "result-not-finite", "error", "error-nulls", "cancel", "everything" };

    private static WorkerMessage Message(string kind) => kind switch
    {
        "hello" => Make(WorkerMessage.HelloType, "Hello", Part("Hello", 1)),
        "run" => Make(WorkerMessage.RunType, "Run", Part("Run", 2)),
        "run-nulls" => Make(WorkerMessage.RunType, "Run", Part("Run", 3, nulls: true)),
        "progress" => Make(WorkerMessage.ProgressType, "Progress", Part("Progress", 4)),
        "result" => Make(WorkerMessage.ResultType, "Result", Part("Result", 5)),
        "result-not-finite" => Make(WorkerMessage.ResultType, "Result", NotFinite((RunMeasurement)Part("Result", 6))),
        "error" => Make(WorkerMessage.ErrorType, "Error", Part("Error", 7)),
        "error-nulls" => Make(WorkerMessage.ErrorType, "Error", Part("Error", 8, nulls: true)),
        "cancel" => Make(WorkerMessage.CancelType),
        _ => SampleValues.Fill<WorkerMessage>(9),
    };

    // A measurement's figures are init-only: set here as the deserializer does.
    private static RunMeasurement NotFinite(RunMeasurement measurement)
    {
        void Set(string name, object? value) => typeof(RunMeasurement).GetProperty(name)!.SetValue(measurement, value);
        Set(nameof(RunMeasurement.DecodeTokensPerSecond), double.NaN);
        Set(nameof(RunMeasurement.PrefillTokensPerSecond), double.PositiveInfinity);
        Set(nameof(RunMeasurement.InterTokenMaxMs), double.NegativeInfinity);
        Set(nameof(RunMeasurement.InterTokenP99Ms), null);
        return measurement;
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void EveryMessageIsTheLineTheReflectionSerializerWrote(string kind)
    {
        WorkerMessage message = Message(kind);

        string line = message.ToLine();

        Assert.Equal(JsonSerializer.Serialize(message, Reflection), line);
        Assert.DoesNotContain('\n', line);
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void EveryLineReadsBackToTheSameMessage(string kind)
    {
        string line = Message(kind).ToLine();

        WorkerMessage? parsed = WorkerMessage.Parse(line);

        Assert.NotNull(parsed);
        Assert.Equal(line, parsed!.ToLine());
        Assert.Equal(JsonSerializer.Serialize(JsonSerializer.Deserialize<WorkerMessage>(line, Reflection), Reflection), line);
    }

    [Fact]
    public void NullsAreLeftOutAndNonFiniteNumbersAreNamed()
    {
        string line = Message("result-not-finite").ToLine();

        Assert.Contains("\"DecodeTokensPerSecond\":\"NaN\"", line);
        Assert.Contains("\"PrefillTokensPerSecond\":\"Infinity\"", line);
        Assert.Contains("\"InterTokenMaxMs\":\"-Infinity\"", line);
        Assert.DoesNotContain("\"InterTokenP99Ms\"", line);
        Assert.DoesNotContain("\"Hello\"", line);
    }

    [Theory]
    [InlineData("llama.cpp: a log line")]
    [InlineData("{not json")]
    [InlineData("{\"Type\":\"result\",\"Result\":{\"StartTimestamp\":\"soon\"}}")]
    public void StrayOutputIsNotAMessage(string line)
    {
        Assert.Null(WorkerMessage.Parse(line));
    }
}
