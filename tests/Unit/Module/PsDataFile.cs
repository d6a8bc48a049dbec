using System.Globalization;
using System.Text;

namespace EdgeLm.Tests.Module;

/// <summary>
/// A strict reader for the subset of PowerShell data files (.psd1) that EdgeLm's manifest uses, so the
/// manifest can be checked without pwsh: one hashtable <c>@{ }</c> whose values are single- or
/// double-quoted strings (no variables, subexpressions or escapes), arrays <c>@( )</c> or comma lists,
/// nested hashtables, $true/$false/$null, and # / &lt;# #&gt; comments. Anything else is an error naming the
/// line, so a construct this reader does not understand cannot pass unnoticed.
/// Hashtables come back as case-insensitive dictionaries, arrays as lists of values, strings as strings.
/// </summary>
internal sealed class PsDataFile
{
    private readonly string _text;
    private int _pos;

    private PsDataFile(string text)
    {
        _text = text;
    }

    public static Dictionary<string, object?> Parse(string text)
    {
        var reader = new PsDataFile(text);
        reader.SkipTrivia(newlines: true);
        if (!reader.Peek("@{"))
        {
            throw reader.Error("a data file must hold exactly one hashtable @{ ... }");
        }

        Dictionary<string, object?> result = reader.ReadHashtable();
        reader.SkipTrivia(newlines: true);
        if (reader._pos != reader._text.Length)
        {
            throw reader.Error("unexpected text after the hashtable");
        }

        return result;
    }

    private Dictionary<string, object?> ReadHashtable()
    {
        Expect("@{");
        var table = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            SkipTrivia(newlines: true);
            if (TryConsume("}"))
            {
                return table;
            }

            int keyAt = _pos;
            string key = ReadKey();
            SkipTrivia(newlines: false);
            Expect("=");
            SkipTrivia(newlines: true);
            object? value = ReadValue(allowCommaList: true);
            if (!table.TryAdd(key, value))
            {
                _pos = keyAt;
                throw Error($"the key '{key}' appears twice");
            }

            // A key/value pair ends with a newline, ';' or the closing brace.
            SkipTrivia(newlines: false);
            if (TryConsume(";") || TryConsumeNewline() || Peek("}"))
            {
                continue;
            }

            throw Error("expected a newline, ';' or '}' after a value");
        }
    }

    private List<object?> ReadArray()
    {
        Expect("@(");
        var items = new List<object?>();
        bool needSeparator = false;
        while (true)
        {
            SkipTrivia(newlines: false);
            if (TryConsume(")"))
            {
                return items;
            }

            if (TryConsumeNewline())
            {
                needSeparator = false;
                continue;
            }

            if (needSeparator)
            {
                if (!TryConsume(","))
                {
                    throw Error("expected ',', a newline or ')' between array items");
                }

                SkipTrivia(newlines: true);
            }

            items.Add(ReadValue(allowCommaList: false));
            needSeparator = true;
        }
    }

    private object? ReadValue(bool allowCommaList)
    {
        object? first = ReadSingle();
        if (!allowCommaList)
        {
            return first;
        }

        SkipTrivia(newlines: false);
        if (!Peek(","))
        {
            return first;
        }

        // 'a', 'b' without @( ): PowerShell's array literal.
        var items = new List<object?> { first };
        while (TryConsume(","))
        {
            SkipTrivia(newlines: true);
            items.Add(ReadSingle());
            SkipTrivia(newlines: false);
        }

        return items;
    }

    private object? ReadSingle()
    {
        if (Peek("@{"))
        {
            return ReadHashtable();
        }

        if (Peek("@("))
        {
            return ReadArray();
        }

        if (Peek("'"))
        {
            return ReadSingleQuoted();
        }

        if (Peek("\""))
        {
            return ReadDoubleQuoted();
        }

        foreach ((string literal, object? value) in new (string, object?)[] { ("$true", true), ("$false", false), ("$null", null) })
        {
            if (string.Compare(_text, _pos, literal, 0, literal.Length, StringComparison.OrdinalIgnoreCase) == 0
                && !IsWordChar(CharAt(_pos + literal.Length)))
            {
                _pos += literal.Length;
                return value;
            }
        }

        throw Error("expected a quoted string, @( ), @{ }, $true, $false or $null");
    }

    private string ReadKey()
    {
        if (Peek("'"))
        {
            return ReadSingleQuoted();
        }

        if (Peek("\""))
        {
            return ReadDoubleQuoted();
        }

        int start = _pos;
        while (_pos < _text.Length && IsWordChar(_text[_pos]))
        {
            _pos++;
        }

        if (_pos == start)
        {
            throw Error("expected a key");
        }

        return _text[start.._pos];
    }

    private string ReadSingleQuoted()
    {
        Expect("'");
        var value = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw Error("unterminated single-quoted string");
            }

            char c = _text[_pos++];
            if (c == '\'')
            {
                if (CharAt(_pos) == '\'')
                {
                    value.Append('\'');
                    _pos++;
                    continue;
                }

                return value.ToString();
            }

            value.Append(c);
        }
    }

    private string ReadDoubleQuoted()
    {
        Expect("\"");
        int start = _pos;
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw Error("unterminated double-quoted string");
            }

            char c = _text[_pos];
            if (c is '$' or '`')
            {
                throw Error($"'{c}' inside a double-quoted string would be expanded by PowerShell; use a single-quoted string");
            }

            if (c == '"')
            {
                string value = _text[start.._pos];
                _pos++;
                return value;
            }

            _pos++;
        }
    }

    // Spaces, tabs, comments; newlines too when asked.
    private void SkipTrivia(bool newlines)
    {
        while (_pos < _text.Length)
        {
            char c = _text[_pos];
            if (c is ' ' or '\t' or '\uFEFF' || (newlines && c is '\r' or '\n'))
            {
                _pos++;
            }
            else if (c == '#')
            {
                while (_pos < _text.Length && _text[_pos] != '\n')
                {
                    _pos++;
                }
            }
            else if (Peek("<#"))
            {
                int end = _text.IndexOf("#>", _pos + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    throw Error("unterminated <# comment");
                }

                _pos = end + 2;
            }
            else
            {
                return;
            }
        }
    }

    private bool TryConsumeNewline()
    {
        if (TryConsume("\r\n") || TryConsume("\n"))
        {
            return true;
        }

        return false;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private char CharAt(int index) => index < _text.Length ? _text[index] : '\0';

    private bool Peek(string token) => string.CompareOrdinal(_text, _pos, token, 0, token.Length) == 0;

    private bool TryConsume(string token)
    {
        if (!Peek(token))
        {
            return false;
        }

        _pos += token.Length;
        return true;
    }

    private void Expect(string token)
    {
        if (!TryConsume(token))
        {
            throw Error($"expected '{token}'");
        }
    }

    private FormatException Error(string message)
    {
        int line = 1;
        for (int i = 0; i < _pos && i < _text.Length; i++)
        {
            if (_text[i] == '\n')
            {
                line++;
            }
        }

        return new FormatException(string.Create(CultureInfo.InvariantCulture, $"line {line}: {message}"));
    }
}
