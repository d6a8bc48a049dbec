namespace EdgeLm.Tests.Support;

/// <summary>
/// A copy of the tiny model whose byte-fallback tokens for 0x80-0xFF are renamed, as a corrupt vocabulary
/// would have them. It loads, but tokenizing any non-ASCII text makes llama.cpp throw out of its C API
/// (std::out_of_range from llama_vocab::byte_to_token), which terminates the process with SIGABRT.
/// </summary>
public static class AbortingModel
{
    public const string Prompt = "h\u00e9llo";

    public static string Write(string tinyModel, string path)
    {
        byte[] bytes = File.ReadAllBytes(tinyModel);
        for (int b = 0x80; b <= 0xFF; b++)
        {
            byte[] name = System.Text.Encoding.ASCII.GetBytes($"<0x{b:X2}>");
            int at = bytes.AsSpan().IndexOf(name);
            Assert.True(at > 0, $"byte token <0x{b:X2}> not found in {tinyModel}");
            bytes[at + 1] = (byte)'1'; // "<1xNN>": same length, so every offset in the file stays valid
        }

        File.WriteAllBytes(path, bytes);
        return path;
    }
}
