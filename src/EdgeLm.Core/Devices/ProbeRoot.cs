using System.Runtime.InteropServices;

namespace EdgeLm.Core.Devices;

/// <summary>
/// The filesystem a probe reads: "/" on the device itself, or a snapshot tree of another board in tests
/// (`--root`, `-Root`). A file that is missing or unreadable is never an exception: the read returns null
/// and, where the file was expected, the reason joins <see cref="Warnings"/>.
/// </summary>
internal sealed class ProbeRoot
{
    private readonly List<string> _warnings = new();
    private readonly HashSet<string> _denied = new(StringComparer.Ordinal);

    public ProbeRoot(string root = "/")
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    /// <summary>True when the root is this machine's own filesystem (so live tools such as llama.cpp describe it too).</summary>
    public bool IsLiveSystem => Root == "/";

    public IReadOnlyList<string> Warnings => _warnings;

    public void Warn(string message)
    {
        if (!_warnings.Contains(message))
        {
            _warnings.Add(message);
        }
    }

    /// <summary>
    /// Makes reads of <paramref name="absolute"/> fail as permission denied: tests run as root, whom the kernel
    /// never refuses, yet must show how a root-only file (RAPL's energy_uj) is reported.
    /// </summary>
    internal void DenyForTesting(string absolute) => _denied.Add(absolute);

    /// <summary>Reads a file's raw text, throwing what the filesystem throws (for callers that report errors themselves).</summary>
    public string ReadRaw(string absolute)
    {
        // Under --root any file can be a FIFO or a device (a snapshot is not to be trusted): only regular files are
        // read, and at most MaxFileBytes of them, so a probe never blocks or balloons.
        string path = PathOf(absolute);
        FileKind kind = InputFiles.KindOf(path);
        if (kind == FileKind.Missing)
        {
            throw new FileNotFoundException($"{path} does not exist", path);
        }

        if (kind == FileKind.Unknown)
        {
            throw Unexaminable();
        }

        if (kind != FileKind.Regular)
        {
            throw new IOException($"{InputFiles.Describe(kind)}, not a regular file");
        }

        // After the kind check, as the kernel does it: a folder is a folder even to a reader it would refuse.
        if (_denied.Contains(absolute))
        {
            throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096);
        try
        {
            return InputFiles.ReadBounded(stream, MaxFileBytes, "system file");
        }
        catch (EdgeLmInvalidFileException e)
        {
            throw new IOException(e.Message, e);
        }
    }

    /// <summary>
    /// Why a path could not even be examined (statx failed with other than ENOENT): a symbolic-link loop, a folder on
    /// the way that cannot be searched, a name too long. KindOf has just made the failed call on this thread, so its
    /// error number is still the last one; saying "not a regular file" here would name the wrong fault.
    /// </summary>
    private static IOException Unexaminable()
    {
        int errno = Marshal.GetLastPInvokeError();
        return errno switch
        {
            0 => new IOException("of a kind of file EdgeLm does not read, not a regular file"),
            EAccess => new IOException("permission denied while looking it up: a folder on its path cannot be searched"),
            _ => new IOException($"cannot be looked up: {Marshal.GetPInvokeErrorMessage(errno)}"),
        };
    }

    private const int EAccess = 13;

    /// <summary>The largest /proc or /sys file read: /proc/cpuinfo of a many-core server is a few hundred KiB.</summary>
    internal const long MaxFileBytes = 4 << 20;

    /// <summary>The path of <paramref name="absolute"/> (such as /proc/cpuinfo) under the root.</summary>
    public string PathOf(string absolute) => Path.Combine(Root, absolute.TrimStart('/'));

    /// <summary>The file's text, trimmed of whitespace and NULs; null (with a warning when <paramref name="expected"/>) when it cannot be read.</summary>
    public string? Read(string absolute, bool expected = true)
    {
        try
        {
            return ReadRaw(absolute).Trim().Trim('\0').Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            if (expected)
            {
                Warn($"{absolute}: not found");
            }
        }
        catch (UnauthorizedAccessException)
        {
            Warn($"{absolute}: permission denied");
        }
        catch (IOException e)
        {
            Warn($"{absolute}: {e.Message}");
        }

        return null;
    }

    /// <summary>A file's value as a number, or null.</summary>
    public long? ReadLong(string absolute, bool expected = true) =>
        long.TryParse(Read(absolute, expected), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long value)
            ? value
            : null;

    /// <summary>Sub-folders of <paramref name="absolute"/> whose names start with <paramref name="prefix"/>, sorted; empty when it does not exist.</summary>
    public IReadOnlyList<string> Folders(string absolute, string prefix)
    {
        string path = PathOf(absolute);
        try
        {
            return Directory.Exists(path)
                ? Directory.GetDirectories(path, prefix + "*").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray()
                : Array.Empty<string>();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Warn($"{absolute}: {e.Message}");
            return Array.Empty<string>();
        }
    }

    public bool Exists(string absolute) => File.Exists(PathOf(absolute)) || Directory.Exists(PathOf(absolute));
}
