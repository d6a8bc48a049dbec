using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace EdgeLm.Core.Native;

/// <summary>
/// Captures llama.cpp's and ggml's log. Silent by default; the last lines are always kept so an
/// error can quote what llama.cpp said just before it failed.
/// </summary>
public static class LlamaLog
{
    private const int KeptLines = 64;
    private static readonly object Gate = new();
    private static readonly Queue<(int Level, string Text)> Recent = new();
    private static readonly StringBuilder Pending = new();
    private static int _pendingLevel = LlamaProblems.Unknown;
    private static Action<string>? _sink;
    private static List<string>? _captured;

    /// <summary>Receives each complete log line (set by --verbose / -Verbose); null keeps llama.cpp silent.</summary>
    public static Action<string>? Sink
    {
        get { lock (Gate) { return _sink; } }
        set { lock (Gate) { _sink = value; } }
    }

    /// <summary>The last lines llama.cpp logged, oldest first.</summary>
    public static IReadOnlyList<string> RecentLines()
    {
        lock (Gate)
        {
            return Recent.Select(l => l.Text).ToArray();
        }
    }

    /// <summary>
    /// The last <paramref name="count"/> lines that say what went wrong (warnings and errors, build-machine paths cut
    /// to file names), for an error to quote; see <see cref="LlamaProblems"/>.
    /// </summary>
    internal static IReadOnlyList<string> RecentProblems(int count = 3)
    {
        lock (Gate)
        {
            return LlamaProblems.Select(Recent.ToArray(), count);
        }
    }

    /// <summary><see cref="RecentProblems"/> as the words an error message ends with.</summary>
    internal static string SaidAboutFailure() => LlamaProblems.Quote(RecentProblems());

    /// <summary>
    /// Collects every line logged until the returned scope is disposed, for figures llama.cpp only reports in
    /// its log (buffer sizes). One capture at a time: a session creates one context at a time.
    /// </summary>
    internal static LogCapture Capture()
    {
        lock (Gate)
        {
            _captured = new List<string>();
            return new LogCapture(_captured);
        }
    }

    internal static string[] Copy(List<string> lines)
    {
        lock (Gate)
        {
            return lines.ToArray();
        }
    }

    internal static void EndCapture(List<string> lines)
    {
        lock (Gate)
        {
            if (ReferenceEquals(_captured, lines))
            {
                _captured = null;
            }
        }
    }

    internal static unsafe void Install()
    {
        NativeMethods.ggml_log_set(&OnLog, IntPtr.Zero);
        NativeMethods.llama_log_set(&OnLog, IntPtr.Zero);
    }

    // llama.cpp calls this from its own threads, with whole lines or pieces of one (level CONT).
    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static void OnLog(int level, IntPtr text, IntPtr userData)
    {
        string? piece = Marshal.PtrToStringUTF8(text);
        if (string.IsNullOrEmpty(piece))
        {
            return;
        }

        Append(piece, level);
    }

    /// <summary>
    /// Adds a piece of log text; <paramref name="level"/> is ggml's (a continuation piece keeps its line's level), so
    /// an error can tell llama.cpp's warnings and errors from its description of the model.
    /// </summary>
    internal static void Append(string piece, int level = LlamaProblems.Unknown)
    {
        List<string>? complete = null;
        Action<string>? sink;
        lock (Gate)
        {
            if (Pending.Length == 0 && level != LlamaProblems.Cont)
            {
                _pendingLevel = level;
            }

            Pending.Append(piece);
            int newline;
            while ((newline = IndexOfNewline(Pending)) >= 0)
            {
                string line = Pending.ToString(0, newline);
                int lineLevel = _pendingLevel;
                Pending.Remove(0, newline + 1);
                // What follows in this piece began at the piece's own level.
                if (level != LlamaProblems.Cont)
                {
                    _pendingLevel = level;
                }

                if (line.Length == 0)
                {
                    continue;
                }

                Recent.Enqueue((lineLevel, line));

                _captured?.Add(line);
                while (Recent.Count > KeptLines)
                {
                    Recent.Dequeue();
                }

                (complete ??= new List<string>()).Add(line);
            }

            sink = _sink;
        }

        if (sink is not null && complete is not null)
        {
            foreach (string line in complete)
            {
                sink(line);
            }
        }
    }

    private static int IndexOfNewline(StringBuilder builder)
    {
        for (int i = 0; i < builder.Length; i++)
        {
            if (builder[i] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>Lines logged while the capture was open; see <see cref="LlamaLog.Capture"/>.</summary>
internal sealed class LogCapture : IDisposable
{
    private readonly List<string> _lines;

    internal LogCapture(List<string> lines) => _lines = lines;

    public IReadOnlyList<string> Lines => LlamaLog.Copy(_lines);

    public void Dispose() => LlamaLog.EndCapture(_lines);
}
