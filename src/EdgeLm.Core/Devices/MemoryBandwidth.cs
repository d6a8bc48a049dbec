using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;

namespace EdgeLm.Core.Devices;

/// <summary>
/// Sustained memory read bandwidth, the physical limit of memory-bound decoding: every thread sums its share of
/// a buffer far larger than the last-level cache with SIMD loads; the best of several passes counts (as STREAM
/// reports its best). A read, not a copy, because decoding reads the weights and writes little.
/// </summary>
internal static unsafe class MemoryBandwidth
{
    /// <summary>Bytes per second read, using every logical core.</summary>
    public static double Measure(long lastLevelCacheBytes, long? availableMemoryBytes, int passes = 5, CancellationToken cancellationToken = default)
    {
        long size = BufferSize(lastLevelCacheBytes, availableMemoryBytes);
        int threads = Environment.ProcessorCount;
        long slice = size / threads / 4096 * 4096;
        IntPtr buffer = (IntPtr)NativeMemory.AlignedAlloc((nuint)(slice * threads), 4096);
        try
        {
            // Touch every page first so the measurement reads memory, not page faults of fresh zero pages.
            {
                Parallel.For(0, threads, t => new Span<byte>((byte*)buffer + t * slice, (int)Math.Min(slice, int.MaxValue)).Fill(1));
                for (long offset = int.MaxValue; offset < slice; offset += int.MaxValue)
                {
                    long o = offset;
                    Parallel.For(0, threads, t => new Span<byte>((byte*)buffer + t * slice + o, (int)Math.Min(slice - o, int.MaxValue)).Fill(1));
                }
            }

            double best = 0;
            var sums = new long[threads];
            for (int pass = 0; pass < passes; pass++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var ready = new Barrier(threads + 1);
                var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
                {
                    ready.SignalAndWait();
                    sums[t] = Sum(buffer + (nint)(t * slice), slice);
                }) { IsBackground = true }).ToArray();
                foreach (Thread worker in workers)
                {
                    worker.Start();
                }

                ready.SignalAndWait();
                long start = Stopwatch.GetTimestamp();
                foreach (Thread worker in workers)
                {
                    worker.Join();
                }

                double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                best = Math.Max(best, slice * threads / seconds);
            }

            GC.KeepAlive(sums);
            return best;
        }
        finally
        {
            NativeMemory.AlignedFree((void*)buffer);
        }
    }

    /// <summary>At least 8x the last-level cache and 256 MiB, at most a quarter of the available memory and 2 GiB.</summary>
    public static long BufferSize(long lastLevelCacheBytes, long? availableMemoryBytes)
    {
        long wanted = Math.Max(256L << 20, 8 * lastLevelCacheBytes);
        long cap = Math.Min(2L << 30, availableMemoryBytes is long a ? a / 4 : 2L << 30);
        return Math.Max(64L << 20, Math.Min(wanted, cap));
    }

    private static unsafe long Sum(IntPtr start, long bytes)
    {
        var total = Vector<long>.Zero;
        var total2 = Vector<long>.Zero;
        long* p = (long*)start;
        long count = bytes / sizeof(long);
        int width = Vector<long>.Count;
        long i = 0;
        for (; i + 2 * width <= count; i += 2 * width)
        {
            total += *(Vector<long>*)(p + i);
            total2 += *(Vector<long>*)(p + i + width);
        }

        return Vector.Sum(total + total2);
    }
}
