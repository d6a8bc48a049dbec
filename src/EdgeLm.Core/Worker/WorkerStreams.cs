using EdgeLm.Core.Engine;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace EdgeLm.Core.Worker;

/// <summary>
/// The worker's three streams. The protocol gets a private duplicate of stdout, and stdout itself is pointed
/// at stderr, so anything native code prints can never corrupt a protocol line. Where libc cannot be reached
/// (not glibc), stdout is used as it is and the host skips lines that are not messages.
/// </summary>
internal sealed unsafe class WorkerStreams : IDisposable
{
    private WorkerStreams(TextReader input, TextWriter output, TextWriter log)
    {
        Input = input;
        Output = output;
        Log = log;
    }

    public TextReader Input { get; }
    public TextWriter Output { get; }
    public TextWriter Log { get; }

    public static WorkerStreams Claim()
    {
        var utf8 = new UTF8Encoding(false);
        TextReader input = new StreamReader(Console.OpenStandardInput(), utf8);
        TextWriter log = new StreamWriter(Console.OpenStandardError(), utf8) { AutoFlush = true };
        Stream protocol = PrivateStdout() ?? Console.OpenStandardOutput();
        return new WorkerStreams(input, new StreamWriter(protocol, utf8) { AutoFlush = false }, log);
    }

    public void Dispose()
    {
        Output.Dispose();
        Log.Dispose();
        Input.Dispose();
    }

    private static Stream? PrivateStdout()
    {
        if (!NativeLibrary.TryLoad("libc.so.6", out IntPtr libc) ||
            !NativeLibrary.TryGetExport(libc, "dup", out IntPtr dup) ||
            !NativeLibrary.TryGetExport(libc, "dup2", out IntPtr dup2))
        {
            return null;
        }

        int copy = ((delegate* unmanaged<int, int>)dup)(1);
        if (copy < 0)
        {
            return null;
        }

        if (((delegate* unmanaged<int, int, int>)dup2)(2, 1) < 0)
        {
            return null;
        }

        return new FileStream(new SafeFileHandle(copy, ownsHandle: true), FileAccess.Write, 1);
    }
}
