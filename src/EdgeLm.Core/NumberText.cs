using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace EdgeLm.Core;

/// <summary>
/// Why a text is not a number as EdgeLm reads numbers everywhere (command line, plans, budgets, results files):
/// the invariant culture, the ASCII digits 0-9, a dot as decimal point and no digit grouping. The same text must
/// mean the same number on every machine, so a comma is never guessed to be a decimal point (1,234 is 1.234 in
/// German and 1234 in English); what the text looks like instead is said, with the fix.
/// </summary>
internal static class NumberText
{
    /// <summary>How numbers are written for EdgeLm, for the end of messages.</summary>
    public const string Rule = "EdgeLm reads numbers with the digits 0-9, a dot as decimal point and no thousands separators";

    // 12,5 or 0,8279: a decimal comma (German, French, Excel under such a locale).
    private static readonly Regex CommaDecimal = new(@"^[+-]?[0-9]*,[0-9]+$", RegexOptions.CultureInvariant);

    // 1,234,567 / 1.234.567,5 / 1 234 / 1'234: digits grouped by a separator.
    private static readonly Regex Grouped = new(@"^[+-]?[0-9]{1,3}([,.' \u00A0\u202F][0-9]{3})+([.,][0-9]+)?$", RegexOptions.CultureInvariant);

    /// <summary>
    /// True for a number whose only separator is one comma (12,5 or 1,234): a decimal comma as a culture that writes
    /// one formats numbers (ToString() never groups digits, so there 1,234 is 1.234).
    /// </summary>
    public static bool IsDecimalComma(string text) => CommaDecimal.IsMatch(text.Trim());

    /// <summary>
    /// Why <paramref name="text"/> is no number EdgeLm reads, when the text shows it (a digit that is not 0-9, a
    /// comma, grouped digits, a typographic minus); null when it shows nothing more than "not a number".
    /// </summary>
    public static string? Why(string text)
    {
        string trimmed = text.Trim();
        foreach (Rune rune in trimmed.EnumerateRunes())
        {
            if (Rune.IsDigit(rune) && !(rune.Value is >= '0' and <= '9'))
            {
                return $"'{rune}' (U+{rune.Value:X4}) is not one of the digits 0-9; {Rule}";
            }
        }

        if (trimmed.Length > 0 && trimmed[0] is '\u2212' or '\u2013' or '\u2012')
        {
            return $"it starts with '{trimmed[0]}' (U+{(int)trimmed[0]:X4}), not the minus sign '-'; {Rule}";
        }

        if (CommaDecimal.IsMatch(trimmed) && !Grouped.IsMatch(trimmed))
        {
            return $"it has a decimal comma; write {trimmed.Replace(',', '.')} ({Rule})";
        }

        if (Grouped.IsMatch(trimmed))
        {
            return $"its digits are grouped (or its decimal point is a comma); write it without separators, with a dot decimal ({Rule})";
        }

        return null;
    }
}
