using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeLm;

/// <summary>
/// The records' JSON contracts, generated at compile time (no reflection when a record is written or a results
/// line read). Flat records (<see cref="IFlatRecord"/>) and records of the layers above are written field by field,
/// each value through its scalar type's contract here. Options as the records have always been written: nulls
/// kept, numbers as numbers, relaxed escaping (<see cref="Text"/>).
/// </summary>
[JsonSerializable(typeof(InferenceResult))]
[JsonSerializable(typeof(ModelInfo))]
[JsonSerializable(typeof(DeviceProfile))]
[JsonSerializable(typeof(EnergyMeasurement))]
[JsonSerializable(typeof(PowerSourceInfo))]
[JsonSerializable(typeof(QualityResult))]
[JsonSerializable(typeof(PromptSuiteSummary))]
// The scalars a flat record's field can hold (Export-EdgeResult takes rows of these).
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(char))]
[JsonSerializable(typeof(DateTime))]
[JsonSerializable(typeof(DateTimeOffset))]
[JsonSerializable(typeof(TimeSpan))]
[JsonSerializable(typeof(Guid))]
[JsonSerializable(typeof(decimal))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(float))]
[JsonSerializable(typeof(sbyte))]
[JsonSerializable(typeof(byte))]
[JsonSerializable(typeof(short))]
[JsonSerializable(typeof(ushort))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(uint))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(ulong))]
internal sealed partial class RecordJson : JsonSerializerContext
{
    /// <summary>Relaxed escaping: JSON Lines for files and pipes, not HTML, so '+' and '&lt;' stay readable.</summary>
    // Named NaN and infinities: a figure that ever came out non-finite is written as "NaN" (and refused on import)
    // rather than stopping the writer in the middle of a benchmark. Finite numbers are written as before.
    public static RecordJson Text { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    });
}
