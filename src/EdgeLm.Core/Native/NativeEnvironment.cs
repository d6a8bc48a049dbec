using System.Runtime.InteropServices;

namespace EdgeLm.Core.Native;

/// <summary>
/// The C library's own environment, which native code reads with getenv. .NET keeps a copy of its own, so
/// Environment.SetEnvironmentVariable never reaches llama.cpp in this process.
/// </summary>
internal static class NativeEnvironment
{
    /// <summary>
    /// ggml's crash handler forks gdb to print a backtrace onto stdout: into the user's terminal, pipeline or
    /// CSV when llama.cpp runs in the caller's process (-InProcess). Turned off before ggml loads.
    /// </summary>
    public const string NoBacktrace = "GGML_NO_BACKTRACE";

    /// <summary>Sets <paramref name="name"/> for native code unless it is set already; false where libc refuses.</summary>
    public static bool SetDefault(string name, string value)
    {
        try
        {
            return setenv(name, value, overwrite: 0) == 0;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    /// <summary>What native code sees for <paramref name="name"/>, or null.</summary>
    public static string? Get(string name)
    {
        try
        {
            return Marshal.PtrToStringUTF8(getenv(name));
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    [DllImport("libc")]
    private static extern IntPtr getenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
