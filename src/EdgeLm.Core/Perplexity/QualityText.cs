using System.Security.Cryptography;
using System.Text;

namespace EdgeLm.Core.Perplexity;

/// <summary>A text to score: what llama-perplexity's -f would read, its SHA-256 and its size.</summary>
internal sealed record QualityText(string Path, string Text, string Sha256, long Bytes)
{
    /// <summary>
    /// Reads a text file: a regular file only (a FIFO or a device is refused before it is opened), at most
    /// <see cref="QualitySettings.MaxTextBytes"/>, UTF-8 without NUL bytes (binary files are refused with the offset
    /// of the first bad byte), not empty. As llama-perplexity's -f, one trailing newline is removed.
    /// </summary>
    public static QualityText Read(string path)
    {
        string full = InputFiles.RequireRegular(path, "text", "TextNotFound");
        byte[] bytes = InputFiles.ReadBytes(full, QualitySettings.MaxTextBytes, "text", "TextNotFound");
        int nul = Array.IndexOf(bytes, (byte)0);
        if (nul >= 0)
        {
            throw new EdgeLmInvalidFileException(full, "TextIsBinary",
                $"{full} holds a NUL byte at offset {nul}: it is binary, not text; give a UTF-8 text file");
        }

        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new EdgeLmInvalidFileException(full, "TextNotUtf8",
                $"{full} is not UTF-8 (invalid bytes at offset {e.Index}); convert it to UTF-8 first (iconv -t UTF-8)", e);
        }

        // UTF8Encoding.GetString keeps a byte-order mark as U+FEFF, so the bytes tokenized are the file's, as in llama.cpp.
        if (text.EndsWith('\n'))
        {
            text = text[..^1];
        }

        if (text.Trim().Length == 0)
        {
            throw new EdgeLmInvalidFileException(full, "TextEmpty",
                $"{full} holds no text ({bytes.Length} bytes of white space at most); perplexity needs at least twice the context in tokens");
        }

        return new QualityText(full, text, Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant(), bytes.Length);
    }
}
