using System.Text.RegularExpressions;

namespace EdgeLm.HelpBuilder;

/// <summary>Markdown inline syntax to the plain text Get-Help prints: code spans lose their backticks, links keep their text.</summary>
public static partial class MarkdownText
{
    public static string Plain(string markdown)
    {
        // Links first, then code spans: [`Get-EdgeModel`](Get-EdgeModel.md) becomes Get-EdgeModel.
        string text = LinkPattern().Replace(markdown, m =>
        {
            string label = m.Groups[1].Value;
            string target = m.Groups[2].Value;
            bool web = target.StartsWith("http://", StringComparison.Ordinal) || target.StartsWith("https://", StringComparison.Ordinal);
            return web && label.Trim('`') != target ? $"{label} ({target})" : label;
        });
        text = CodeSpanPattern().Replace(text, m => m.Groups[1].Value);
        text = StrongPattern().Replace(text, m => m.Groups[1].Value);
        return text.Replace("\\*", "*", StringComparison.Ordinal).Replace("\\_", "_", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\[([^\]]+)\]\(([^)\s]+)\)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex CodeSpanPattern();

    [GeneratedRegex(@"\*\*([^*]+)\*\*")]
    private static partial Regex StrongPattern();
}
