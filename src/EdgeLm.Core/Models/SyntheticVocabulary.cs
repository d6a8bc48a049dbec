namespace EdgeLm.Core.Models;

/// <summary>
/// A SentencePiece-style ("llama") vocabulary that can encode any text: control tokens, the 256
/// byte-fallback tokens llama.cpp requires, printable ASCII, then letter n-grams (with and without
/// the word-start mark) until the requested size. Prompts therefore tokenize into realistic mixes of
/// multi-character pieces instead of one token per byte.
/// </summary>
internal static class SyntheticVocabulary
{
    public const int UnknownId = 0;
    public const int BosId = 1;
    public const int EosId = 2;
    private const string WordStart = "\u2581"; // SentencePiece's space mark

    // Token types of llama.h's llama_token_type.
    private const int Normal = 1, Unknown = 2, Control = 3, Byte = 6;

    /// <summary>Control tokens, byte tokens, the word-start mark and printable ASCII.</summary>
    public static int MinimumSize => 3 + 256 + 1 + 94;

    public static (string[] Tokens, float[] Scores, int[] Types) Build(int size)
    {
        if (size < MinimumSize)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"at least {MinimumSize} tokens are needed");
        }

        var tokens = new List<string>(size) { "<unk>", "<s>", "</s>" };
        var types = new List<int>(size) { Unknown, Control, Control };
        for (int b = 0; b < 256; b++)
        {
            tokens.Add($"<0x{b:X2}>");
            types.Add(Byte);
        }

        foreach (string piece in Pieces())
        {
            if (tokens.Count == size)
            {
                break;
            }

            tokens.Add(piece);
            types.Add(Normal);
        }

        // Longer pieces score higher so the tokenizer prefers them, as a trained vocabulary would.
        var scores = new float[size];
        for (int i = 0; i < size; i++)
        {
            scores[i] = types[i] == Normal ? tokens[i].Length - i * 1e-6f : 0f;
        }

        return (tokens.ToArray(), scores, types.ToArray());
    }

    private static IEnumerable<string> Pieces()
    {
        yield return WordStart;
        for (char c = '!'; c <= '~'; c++)
        {
            yield return c.ToString();
        }

        const string letters = "etaoinshrdlcumwfgypbvkjxqz";
        for (int length = 1; ; length++)
        {
            foreach (string gram in Grams(letters, length))
            {
                yield return WordStart + gram;
                if (length > 1)
                {
                    yield return gram;
                }
            }
        }
    }

    private static IEnumerable<string> Grams(string letters, int length)
    {
        if (length == 1)
        {
            foreach (char c in letters)
            {
                yield return c.ToString();
            }

            yield break;
        }

        foreach (string prefix in Grams(letters, length - 1))
        {
            foreach (char c in letters)
            {
                yield return prefix + c;
            }
        }
    }
}
