using System.Runtime.InteropServices;

namespace EdgeLm.Core.Worker;

/// <summary>
/// Turns core dumps off for the worker process: a llama.cpp abort on a bad model would otherwise write the whole
/// address space (gigabytes of weights) to disk on boards with little of it. The host sees the signal either way.
/// </summary>
internal static class CoreDumps
{
    private const int RlimitCore = 4; // RLIMIT_CORE on Linux, x86-64 and arm64 alike

    [StructLayout(LayoutKind.Sequential)]
    private struct Limit
    {
        public ulong Current;
        public ulong Maximum;
    }

    /// <summary>Sets this process's core file size limit to 0; false where the C library refuses (nothing else changes).</summary>
    public static bool Disable()
    {
        try
        {
            var none = new Limit { Current = 0, Maximum = 0 };
            return setrlimit(RlimitCore, ref none) == 0;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setrlimit(int resource, ref Limit limit);
}
