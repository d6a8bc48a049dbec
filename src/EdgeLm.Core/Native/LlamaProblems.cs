using System.Text.RegularExpressions;

namespace EdgeLm.Core.Native;

/// <summary>
/// Which of llama.cpp's log lines say what went wrong, for an error to quote. The log before a failure is mostly
/// the model's description (print_info:, llama_model_loader: - kv ..., load_tensors:), which says nothing about
/// the fault and buries the one line that does; and ggml's asserts name their source file by the path on the
/// machine that built the library (/home/runner/work/.../ggml.c:1234), which is no path on the user's.
/// </summary>
internal static class LlamaProblems
{
    /// <summary>ggml's log levels (ggml.h, enum ggml_log_level); Unknown where a line's level was not given (a worker's stderr).</summary>
    public const int Unknown = -1, Warn = 3, Error = 4, Cont = 5;

    // Words that say something failed. Whole words, so "errors" in a tensor name such as "error_head" would not count
    // while "error loading model" does; the C++ runtime's and ggml's abort texts are matched as written.
    private static readonly Regex Trouble = new(
        @"\b(error|errors|failed|failure|fatal|abort|aborted|assert|assertion|exception|cannot|unable|invalid|unsupported|warning)\b" +
        @"|(?-i:GGML_ASSERT|GGML_ABORT)|terminate called|what\(\)|out of memory|could not|can't|not found|segmentation fault",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    // Lines that print the model's own values (a name or a template may hold any word), and a backtrace's frames
    // (ggml_abort, raise): never a diagnosis.
    private static readonly Regex Dump = new(@"^\s*(print_info:|llama_model_loader: - |load_tensors: |#\d+\s+0x)",
        RegexOptions.CultureInvariant);

    // A source file path followed by its line (ggml_abort writes "%s:%d: "): Unix or Windows, any depth.
    private static readonly Regex SourcePath = new(
        @"(?:(?<![\w.])/|\b[A-Za-z]:[\\/])(?:[^\s:'""()\\/]+[\\/])+([^\s:'""()\\/]+\.(?:c|cc|cpp|cxx|h|hpp|cu|cuh|m|mm|metal))(:\d+|\(\d+\))",
        RegexOptions.CultureInvariant);

    /// <summary>
    /// The last <paramref name="count"/> lines that report a problem: a warning or error by its level where the level
    /// is known, by its words where not (a worker's stderr, where the C++ runtime and ggml's asserts write too).
    /// </summary>
    public static IReadOnlyList<string> Select(IEnumerable<(int Level, string Text)> lines, int count) =>
        lines.Where(l => IsProblem(l.Level, l.Text)).Select(l => Clean(l.Text)).TakeLast(count).ToArray();

    /// <summary>The same for lines of unknown level.</summary>
    public static IReadOnlyList<string> Select(IEnumerable<string> lines, int count) =>
        Select(lines.Select(l => (Unknown, l)), count);

    public static bool IsProblem(int level, string text) => level switch
    {
        Warn or Error => true,
        Unknown => !Dump.IsMatch(text) && Trouble.IsMatch(text),
        _ => false,
    };

    /// <summary>A line with build-machine source paths cut to the file name: ggml.c:1234.</summary>
    public static string Clean(string line) => SourcePath.Replace(line.Trim(), m => m.Groups[1].Value + m.Groups[2].Value);

    /// <summary>The quote an error message ends with.</summary>
    public static string Quote(IReadOnlyList<string> problems) =>
        problems.Count > 0 ? string.Join(" | ", problems) : "nothing that names the fault (--verbose shows its whole log)";
}
