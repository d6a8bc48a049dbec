using System.Runtime.InteropServices;
using System.Text;

namespace EdgeLm.Core.Energy;

/// <summary>
/// The Raspberry Pi firmware's general-command mailbox (/dev/vcio), as vcgencmd uses it, without starting a
/// process per sample: an ioctl with a GET_GENCMD_RESULT (0x00030080) property buffer holding the command text.
/// Needs membership of the video group, as vcgencmd does.
/// </summary>
internal sealed unsafe class VcioMailbox : IDisposable
{
    private const int Words = 263;
    private readonly int _fd;
    private readonly delegate* unmanaged<int, nuint, void*, int> _ioctl;
    private readonly delegate* unmanaged<int, int> _close;

    private VcioMailbox(int fd, IntPtr ioctl, IntPtr close)
    {
        _fd = fd;
        _ioctl = (delegate* unmanaged<int, nuint, void*, int>)ioctl;
        _close = (delegate* unmanaged<int, int>)close;
    }

    /// <summary>Opens the mailbox, or returns null with the reason (no device, no permission, not glibc).</summary>
    public static VcioMailbox? TryOpen(string device, out string? reason)
    {
        reason = null;
        if (!File.Exists(device))
        {
            reason = $"{device} not found";
            return null;
        }

        if (!NativeLibrary.TryLoad("libc.so.6", out IntPtr libc) || !NativeLibrary.TryGetExport(libc, "open", out IntPtr open) ||
            !NativeLibrary.TryGetExport(libc, "ioctl", out IntPtr ioctl) || !NativeLibrary.TryGetExport(libc, "close", out IntPtr close))
        {
            reason = "libc.so.6 not available";
            return null;
        }

        byte[] path = Encoding.UTF8.GetBytes(device + "\0");
        int fd;
        fixed (byte* p = path)
        {
            fd = ((delegate* unmanaged<byte*, int, int>)open)(p, 2 /* O_RDWR */);
        }

        if (fd < 0)
        {
            reason = $"{device} cannot be opened (error {Marshal.GetLastSystemError()}); add the user to the video group: sudo usermod -aG video $USER";
            return null;
        }

        return new VcioMailbox(fd, ioctl, close);
    }

    /// <summary>The firmware's answer to <paramref name="command"/> (such as "pmic_read_adc").</summary>
    public string Command(string command)
    {
        uint* buffer = stackalloc uint[Words];
        new Span<uint>(buffer, Words).Clear();
        buffer[0] = Words * 4;
        buffer[1] = 0;            // process request
        buffer[2] = 0x00030080;   // GET_GENCMD_RESULT
        buffer[3] = 1024;         // value buffer size
        buffer[4] = 0;
        buffer[5] = 0;            // firmware error code out
        byte[] text = Encoding.ASCII.GetBytes(command);
        text.AsSpan(0, Math.Min(text.Length, 1000)).CopyTo(new Span<byte>((byte*)buffer + 24, 1000));
        // _IOWR(100, 0, char*): the size field is the pointer size, so 32-bit ARM differs.
        nuint request = IntPtr.Size == 8 ? 0xC0086400u : 0xC0046400u;
        if (_ioctl(_fd, request, buffer) < 0)
        {
            throw new EnergyReadException($"/dev/vcio ioctl failed (error {Marshal.GetLastSystemError()})");
        }

        if (buffer[5] != 0)
        {
            throw new EnergyReadException($"the firmware refused '{command}' (error {buffer[5]})");
        }

        var reply = new ReadOnlySpan<byte>((byte*)buffer + 24, 1024);
        int end = reply.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? reply : reply[..end]);
    }

    public void Dispose() => _close(_fd);
}
