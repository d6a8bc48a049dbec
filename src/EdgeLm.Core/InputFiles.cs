using System.Runtime.InteropServices;
using System.Text;

namespace EdgeLm.Core;

/// <summary>What a path names, as the kernel says (stat's file type).</summary>
internal enum FileKind
{
    Missing,
    Regular,
    Directory,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Socket,
    Unknown,
}

/// <summary>
/// Every file EdgeLm reads comes through here: only regular files are opened (a FIFO with no writer would block
/// open() forever; /dev/zero would never end), and each kind of file has a size limit that names itself, so
/// bad input is a clear refusal within milliseconds, never a hang or gigabytes of memory.
/// </summary>
internal static class InputFiles
{
    /// <summary>The most a plan, budget or board catalog may hold: a page of YAML is a few KiB; this refuses /dev/zero-like input at once.</summary>
    public const long MaxDocumentBytes = 1 << 20;

    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1, StatxSize = 0x200;

    /// <summary>The file's kind; symbolic links are followed. Without statx (very old C libraries), .NET's view.</summary>
    public static FileKind KindOf(string path)
    {
        try
        {
            Span<byte> buffer = stackalloc byte[256];
            if (Statx(path, buffer) is uint mode)
            {
                return (mode & 0xF000) switch
                {
                    0x8000 => FileKind.Regular,
                    0x4000 => FileKind.Directory,
                    0x1000 => FileKind.Fifo,
                    0x2000 => FileKind.CharacterDevice,
                    0x6000 => FileKind.BlockDevice,
                    0xC000 => FileKind.Socket,
                    _ => FileKind.Unknown,
                };
            }

            return Marshal.GetLastPInvokeError() is 2 or 20 ? FileKind.Missing : FileKind.Unknown; // ENOENT, ENOTDIR
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return Directory.Exists(path) ? FileKind.Directory : File.Exists(path) ? FileKind.Regular : FileKind.Missing;
        }
    }

    /// <summary>How people call a kind of file, for messages.</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Directory => "a folder",
        FileKind.Fifo => "a named pipe (FIFO)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        FileKind.Missing => "missing",
        _ => "not a regular file",
    };

    /// <summary>
    /// Refuses anything but an existing regular file, naming what it is instead; <paramref name="what"/> says what
    /// the file should have been ("plan", "GGUF model"), <paramref name="notFoundId"/> the error for a missing one.
    /// </summary>
    public static string RequireRegular(string path, string what, string notFoundId = "FileNotFound")
    {
        string full = Path.GetFullPath(path);
        FileKind kind = KindOf(full);
        return kind switch
        {
            FileKind.Regular => full,
            FileKind.Missing => throw new EdgeLmInvalidFileException(full, notFoundId, $"{full} does not exist; check the path of the {what}"),
            _ => throw new EdgeLmInvalidFileException(full, "NotARegularFile",
                $"{full} is {Describe(kind)}, not a regular file; EdgeLm reads a {what} only from a regular file (save it to one first)"),
        };
    }

    /// <summary>Opens a regular file for reading, refusing any other kind (see <see cref="RequireRegular"/>).</summary>
    public static FileStream OpenRegular(string path, string what, string notFoundId = "FileNotFound", FileOptions options = FileOptions.None)
    {
        string full = RequireRegular(path, what, notFoundId);
        try
        {
            return new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EdgeLmInvalidFileException(full, "FileUnreadable", $"{full} cannot be opened: {e.Message}", e);
        }
    }

    /// <summary>A regular file's text, refused when larger than <paramref name="maxBytes"/> (the limit named in the message).</summary>
    public static string ReadText(string path, long maxBytes, string what, string notFoundId = "FileNotFound")
    {
        using FileStream stream = OpenRegular(path, what, notFoundId);
        return ReadBounded(stream, maxBytes, what);
    }

    /// <summary>
    /// Up to <paramref name="maxBytes"/> of a stream as UTF-8 text; more is refused. Reads until the end rather than
    /// trusting Length, which sysfs and procfs files report as 4096 or 0 whatever they hold.
    /// </summary>
    public static string ReadBounded(Stream stream, long maxBytes, string what)
    {
        string name = stream is FileStream file ? file.Name : what;
        var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new EdgeLmInvalidFileException(name, "FileTooLarge",
                    $"{name} is over {Size(maxBytes)}, the most a {what} may hold; is it the right file?");
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>A regular file's bytes, refused when more than <paramref name="maxBytes"/> (read to the end, never trusting Length).</summary>
    public static byte[] ReadBytes(string path, long maxBytes, string what, string notFoundId = "FileNotFound")
    {
        using FileStream stream = OpenRegular(path, what, notFoundId);
        var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new EdgeLmInvalidFileException(stream.Name, "FileTooLarge",
                    $"{stream.Name} is over {Size(maxBytes)}, the most a {what} may hold; is it the right file?");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// A regular file's lines, each refused when longer than <paramref name="maxLineChars"/> (the limit and the
    /// line number named), read as enumerated.
    /// </summary>
    public static IEnumerable<string> ReadLines(string path, int maxLineChars, string what, string notFoundId = "FileNotFound")
    {
        using FileStream stream = OpenRegular(path, what, notFoundId);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var line = new StringBuilder();
        int number = 0;
        var chunk = new char[16 * 1024];
        int read;
        bool pending = false;
        while ((read = reader.Read(chunk, 0, chunk.Length)) > 0)
        {
            for (int i = 0; i < read; i++)
            {
                char c = chunk[i];
                if (c == '\n')
                {
                    number++;
                    yield return TrimCarriageReturn(line);
                    line.Clear();
                    pending = false;
                    continue;
                }

                if (line.Length >= maxLineChars)
                {
                    throw new EdgeLmInvalidFileException(stream.Name, "LineTooLong",
                        $"{stream.Name}: line {number + 1} is over {maxLineChars} characters, more than a {what} holds; is it the right file?");
                }

                line.Append(c);
                pending = true;
            }
        }

        if (pending)
        {
            yield return TrimCarriageReturn(line);
        }
    }

    private static string TrimCarriageReturn(StringBuilder line) =>
        line.Length > 0 && line[^1] == '\r' ? line.ToString(0, line.Length - 1) : line.ToString();

    /// <summary>Bytes in the units people read limits in.</summary>
    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.#} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.#} MiB",
        >= 1L << 10 => $"{bytes / (double)(1L << 10):0.#} KiB",
        _ => $"{bytes} bytes",
    };

    private static unsafe uint? Statx(string path, Span<byte> buffer)
    {
        fixed (byte* statx = buffer)
        {
            if (NativeStatx(AtFdCwd, path, 0, StatxType | StatxSize, statx) != 0)
            {
                return null;
            }

            // struct statx: stx_mode is the __u16 at byte 28 on every architecture.
            return *(ushort*)(statx + 28);
        }
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern unsafe int NativeStatx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte* buffer);
}
