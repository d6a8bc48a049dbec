using System.Text.Json.Serialization;

namespace EdgeLm.Core.Worker;

/// <summary>
/// The worker protocol's JSON contract, generated at compile time so neither side pays for reflection: one root,
/// <see cref="WorkerMessage"/>, whose properties reach every type a line carries (the run's settings, progress,
/// the measurement and its record, hello, error). Nulls are left out; NaN and infinities travel as named literals.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(WorkerMessage))]
internal sealed partial class WorkerJson : JsonSerializerContext;
