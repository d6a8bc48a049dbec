using System.Text.Json;
using System.Text.RegularExpressions;

namespace EdgeLm.Core.Quality;

/// <summary>
/// One check ready to run on an answer: what it asks, in the words a failure names it by ("regex '^\d+$'"), and
/// how it judges the text and the engine's token count. Built once per suite (<see cref="PromptChecks.Compile"/>).
/// </summary>
internal sealed record CheckRule(string Description, Func<string, int, string?> Failure)
{
    /// <summary>Null when the check holds; else why not, in a few words.</summary>
    public string? Judge(string output, int tokens) => Failure(output, tokens);
}

/// <summary>The check kinds of a prompt suite, judged on strings alone (no model), so each is tested directly.</summary>
internal static class PromptChecks
{
    /// <summary>
    /// A regex that backtracks without end must not hang a suite: past this it fails the check, saying so. Far
    /// beyond what any sane pattern needs on a few thousand characters of answer.
    /// </summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The check's rule; throws <see cref="ArgumentException"/> for a regex .NET cannot parse (the reader names the prompt).</summary>
    public static CheckRule Compile(PromptCheck check)
    {
        StringComparison comparison = check.IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        string suffix = check.IgnoreCase ? " (ignoring case)" : string.Empty;
        if (check.Contains is string needle)
        {
            return new CheckRule($"contains {Quote(needle)}{suffix}", (output, _) => output.Contains(needle, comparison) ? null : "not found");
        }

        if (check.Exact is string exact)
        {
            string expected = exact.Trim();
            return new CheckRule($"exact {Quote(expected)}{suffix}", (output, _) =>
                string.Equals(output.Trim(), expected, comparison) ? null : $"got {Quote(output.Trim())}");
        }

        if (check.Regex is string pattern)
        {
            var regex = new Regex(pattern, RegexOptions.CultureInvariant | (check.IgnoreCase ? RegexOptions.IgnoreCase : RegexOptions.None), RegexTimeout);
            return new CheckRule($"regex {Quote(pattern)}{suffix}", (output, _) =>
            {
                try
                {
                    return regex.IsMatch(output) ? null : "no match";
                }
                catch (RegexMatchTimeoutException)
                {
                    return $"gave up after {RegexTimeout.TotalSeconds:0} s of matching (simplify the pattern)";
                }
            });
        }

        if (check.Json == true)
        {
            return new CheckRule("json", (output, _) => JsonFailure(output));
        }

        if (check.Length is { } length)
        {
            return new CheckRule($"length {Bounds(length)}", (output, _) => Outside(output.Length, length, "characters"));
        }

        if (check.Tokens is { } tokens)
        {
            return new CheckRule($"tokens {Bounds(tokens)}", (_, count) => Outside(count, tokens, "tokens"));
        }

        throw new InvalidOperationException("a check of no kind reached Compile; the reader refuses those");
    }

    /// <summary>Every failing rule as "rule: why", in the suite's order.</summary>
    public static IReadOnlyList<string> Failures(IEnumerable<CheckRule> rules, string output, int tokens) =>
        rules.Select(r => r.Judge(output, tokens) is string why ? $"{r.Description}: {why}" : null).OfType<string>().ToArray();

    /// <summary>
    /// Null when the answer is JSON. Chat models often wrap JSON in a Markdown fence (```json … ```): one fence around
    /// the whole answer is taken off first, since the JSON inside is what a program would use.
    /// </summary>
    private static string? JsonFailure(string output)
    {
        string text = Unfenced(output.Trim());
        if (text.Length == 0)
        {
            return "the answer is empty";
        }

        try
        {
            using JsonDocument _ = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
            return null;
        }
        catch (JsonException e)
        {
            return $"not JSON ({JsonProblem(e.Message)})";
        }
    }

    internal static string Unfenced(string text)
    {
        if (!text.StartsWith("```", StringComparison.Ordinal) || !text.EndsWith("```", StringComparison.Ordinal) || text.Length < 6)
        {
            return text;
        }

        int firstLine = text.IndexOf('\n');
        return firstLine < 0 ? text : text[(firstLine + 1)..^3].Trim();
    }

    // System.Text.Json's message up to its position, without the "Path: $ | " noise.
    private static string JsonProblem(string message)
    {
        int path = message.IndexOf(" Path:", StringComparison.Ordinal);
        string head = (path > 0 ? message[..path] : message).TrimEnd('.', ' ');
        return head.Length <= 100 ? head : head[..100] + "…";
    }

    private static string? Outside(int value, CheckBounds bounds, string unit) =>
        bounds.Min is int min && value < min ? $"{value} {unit}, fewer than {min}"
        : bounds.Max is int max && value > max ? $"{value} {unit}, more than {max}"
        : null;

    internal static string Bounds(CheckBounds bounds) => (bounds.Min, bounds.Max) switch
    {
        (int min, int max) => $"{min}..{max}",
        (int min, null) => $">= {min}",
        (null, int max) => $"<= {max}",
        _ => "unbounded",
    };

    /// <summary>A text in a failure message: quoted, on one line, cut short so a long answer cannot flood it.</summary>
    internal static string Quote(string text)
    {
        string line = text.ReplaceLineEndings("\\n");
        return $"'{(line.Length <= 60 ? line : line[..60] + "…")}'";
    }
}
