namespace EdgeLm.Core.Models;

/// <summary>One ggml tensor type: its GGUF id, name, and how many bytes a block of elements takes.</summary>
internal sealed record GgmlType(int Id, string Name, int BlockSize, int TypeSize)
{
    /// <summary>Bytes for a row of <paramref name="elements"/> elements (must be a whole number of blocks).</summary>
    public long RowBytes(long elements) => elements / BlockSize * TypeSize;
}

/// <summary>
/// ggml's type table (ggml.c type_traits in llama.cpp 0.5.0). The unit tests compare every entry with
/// ggml_type_size / ggml_blck_size from the shipped library, so a drifting table fails.
/// </summary>
internal static class GgmlTypes
{
    /// <summary>Type ids llama.cpp once had and removed (ggml.h keeps their numbers reserved), by name.</summary>
    private static readonly Dictionary<uint, string> RemovedTypes = new()
    {
        [4] = "Q4_2", [5] = "Q4_3", [31] = "Q4_0_4_4", [32] = "Q4_0_4_8", [33] = "Q4_0_8_8",
        [36] = "IQ4_NL_4_4", [37] = "IQ4_NL_4_8", [38] = "IQ4_NL_8_8",
    };

    /// <summary>The name of a type llama.cpp removed, or null.</summary>
    public static string? Removed(uint id) => RemovedTypes.GetValueOrDefault(id);

    public static readonly GgmlType F32 = new(0, "F32", 1, 4);
    public static readonly GgmlType F16 = new(1, "F16", 1, 2);
    public static readonly GgmlType Q4_0 = new(2, "Q4_0", 32, 18);
    public static readonly GgmlType Q8_0 = new(8, "Q8_0", 32, 34);

    private static readonly GgmlType[] All =
    {
        F32, F16, Q4_0,
        new(3, "Q4_1", 32, 20),
        new(6, "Q5_0", 32, 22),
        new(7, "Q5_1", 32, 24),
        Q8_0,
        new(9, "Q8_1", 32, 36),
        new(10, "Q2_K", 256, 84),
        new(11, "Q3_K", 256, 110),
        new(12, "Q4_K", 256, 144),
        new(13, "Q5_K", 256, 176),
        new(14, "Q6_K", 256, 210),
        new(15, "Q8_K", 256, 292),
        new(16, "IQ2_XXS", 256, 66),
        new(17, "IQ2_XS", 256, 74),
        new(18, "IQ3_XXS", 256, 98),
        new(19, "IQ1_S", 256, 50),
        new(20, "IQ4_NL", 32, 18),
        new(21, "IQ3_S", 256, 110),
        new(22, "IQ2_S", 256, 82),
        new(23, "IQ4_XS", 256, 136),
        new(24, "I8", 1, 1),
        new(25, "I16", 1, 2),
        new(26, "I32", 1, 4),
        new(27, "I64", 1, 8),
        new(28, "F64", 1, 8),
        new(29, "IQ1_M", 256, 56),
        new(30, "BF16", 1, 2),
        new(34, "TQ1_0", 256, 54),
        new(35, "TQ2_0", 256, 66),
        new(39, "MXFP4", 32, 17),
        new(40, "NVFP4", 64, 36),
        new(41, "Q1_0", 128, 18),
        new(42, "Q2_0", 64, 18),
    };

    private static readonly Dictionary<int, GgmlType> ById = All.ToDictionary(t => t.Id);

    public static IReadOnlyList<GgmlType> Known => All;

    /// <summary>The highest type id this llama.cpp knows: a higher one is from a newer llama.cpp.</summary>
    public static uint HighestId { get; } = (uint)All.Max(t => t.Id);

    public static GgmlType? Find(int id) => ById.TryGetValue(id, out GgmlType? type) ? type : null;
}
