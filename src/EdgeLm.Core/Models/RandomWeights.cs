using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace EdgeLm.Core.Models;

/// <summary>
/// Seeded random weights, generated straight as bit patterns: sign and mantissa random, exponent
/// limited so every value is finite with magnitude in [2^-7, 2^-5). Speed and memory do not depend on
/// weight values, so this is all a synthetic model needs, at memory-copy speed.
/// </summary>
internal static class RandomWeights
{
    // F16: keep sign (bit 15), exponent's lowest bit (bit 10) and mantissa; fix the exponent to 8 or 9.
    private const ulong HalfKeep = 0x87FF_87FF_87FF_87FFUL;
    private const ulong HalfSet = 0x2000_2000_2000_2000UL;
    // F32: keep sign, exponent bit 23 and mantissa; fix the exponent to 120 or 121.
    private const ulong FloatKeep = 0x80FF_FFFF_80FF_FFFFUL;
    private const ulong FloatSet = 0x3C00_0000_3C00_0000UL;

    /// <summary>Fills <paramref name="destination"/> (a whole number of 8-byte words) with random F16 or F32 values.</summary>
    public static void Fill(Span<byte> destination, GgmlType type, ulong seed)
    {
        (ulong keep, ulong set) = type.Id switch
        {
            0 => (FloatKeep, FloatSet),
            1 => (HalfKeep, HalfSet),
            _ => throw new ArgumentException($"random weights are written as F32 or F16, not {type.Name}", nameof(type)),
        };

        Span<ulong> words = MemoryMarshal.Cast<byte, ulong>(destination);
        var rng = new Xoshiro256(seed);
        for (int i = 0; i < words.Length; i++)
        {
            words[i] = (rng.Next() & keep) | set;
        }

        Span<byte> tail = destination[(words.Length * 8)..];
        if (!tail.IsEmpty)
        {
            Span<byte> last = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(last, (rng.Next() & keep) | set);
            last[..tail.Length].CopyTo(tail);
        }
    }

    /// <summary>Fills with the F32 value 1.0 (norm weights: random norms would only add noise).</summary>
    public static void FillOnes(Span<byte> destination) => MemoryMarshal.Cast<byte, float>(destination).Fill(1.0f);

    /// <summary>An independent seed for chunk <paramref name="chunk"/> of tensor <paramref name="tensor"/>.</summary>
    public static ulong ChunkSeed(ulong seed, int tensor, long chunk) =>
        SplitMix(SplitMix(seed ^ ((ulong)tensor * 0x9E3779B97F4A7C15UL)) ^ (ulong)chunk);

    private static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    private struct Xoshiro256
    {
        private ulong _s0, _s1, _s2, _s3;

        public Xoshiro256(ulong seed)
        {
            _s0 = SplitMix(seed);
            _s1 = SplitMix(_s0);
            _s2 = SplitMix(_s1);
            _s3 = SplitMix(_s2);
        }

        public ulong Next()
        {
            ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
            ulong t = _s1 << 17;
            _s2 ^= _s0;
            _s3 ^= _s1;
            _s1 ^= _s2;
            _s0 ^= _s3;
            _s2 ^= t;
            _s3 = ulong.RotateLeft(_s3, 45);
            return result;
        }
    }
}
