namespace EdgeLm.Core.Models;

/// <summary>llama.cpp's file types (enum llama_ftype): what general.file_type stores and what quantize targets.</summary>
internal static class FileTypes
{
    private static readonly (int Id, string Name, bool QuantizeTarget)[] Table =
    {
        (0, "F32", true), (1, "F16", true), (2, "Q4_0", true), (3, "Q4_1", true), (7, "Q8_0", true),
        (8, "Q5_0", true), (9, "Q5_1", true), (10, "Q2_K", true), (11, "Q3_K_S", true), (12, "Q3_K_M", true),
        (13, "Q3_K_L", true), (14, "Q4_K_S", true), (15, "Q4_K_M", true), (16, "Q5_K_S", true),
        (17, "Q5_K_M", true), (18, "Q6_K", true), (19, "IQ2_XXS", false), (20, "IQ2_XS", false),
        (21, "Q2_K_S", true), (22, "IQ3_XS", false), (23, "IQ3_XXS", false), (24, "IQ1_S", false),
        (25, "IQ4_NL", false), (26, "IQ3_S", false), (27, "IQ3_M", false), (28, "IQ2_S", false),
        (29, "IQ2_M", false), (30, "IQ4_XS", false), (31, "IQ1_M", false), (32, "BF16", true),
        (36, "TQ1_0", false), (37, "TQ2_0", false), (38, "MXFP4_MOE", false), (39, "NVFP4", false),
        (40, "Q1_0", false), (41, "Q2_0", false),
    };

    /// <summary>Types a synthetic model or Convert-EdgeModel can produce (the importance-matrix types need real data).</summary>
    public static IReadOnlyList<string> QuantizeTargets { get; } =
        Table.Where(t => t.QuantizeTarget).Select(t => t.Name).ToArray();

    public static string? Name(long id)
    {
        // Bit 10 (1024) marks a guessed type; the low bits are the type.
        long type = id & ~1024L;
        foreach (var entry in Table)
        {
            if (entry.Id == type)
            {
                return entry.Name;
            }
        }

        return null;
    }

    /// <summary>The llama_ftype for a name such as "q4_k_m" (case-insensitive), or null.</summary>
    public static int? Parse(string name)
    {
        foreach (var entry in Table)
        {
            if (string.Equals(entry.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return entry.Id;
            }
        }

        return null;
    }
}
