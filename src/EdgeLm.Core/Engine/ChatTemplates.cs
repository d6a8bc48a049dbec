using System.Runtime.InteropServices;
using System.Text;
using EdgeLm.Core.Native;

namespace EdgeLm.Core.Engine;

/// <summary>
/// Chat templates as llama.cpp applies them (llama_chat_apply_template): by built-in name (chatml, llama3, ...)
/// or a model's own template text, which llama.cpp recognises by its contents.
/// </summary>
internal static unsafe class ChatTemplates
{
    /// <summary>The name that asks for the model's own template (tokenizer.chat_template).</summary>
    public const string ModelTemplate = "model";

    /// <summary>The templates built into the loaded llama.cpp, by name.</summary>
    public static IReadOnlyList<string> BuiltIn()
    {
        int count = NativeMethods.llama_chat_builtin_templates(null, 0);
        var names = new IntPtr[Math.Max(count, 0)];
        fixed (IntPtr* p = names)
        {
            count = NativeMethods.llama_chat_builtin_templates(p, (nuint)names.Length);
        }

        // A loop rather than LINQ over IntPtr: the worker's hello lists these, and generic code over a value type
        // is compiled at run time.
        var result = new List<string>(Math.Min(count, names.Length));
        for (int i = 0; i < count && i < names.Length; i++)
        {
            string? name = Marshal.PtrToStringUTF8(names[i]);
            if (!string.IsNullOrEmpty(name))
            {
                result.Add(name);
            }
        }

        return result.ToArray();
    }

    /// <summary>
    /// <paramref name="userPrompt"/> as one user turn (after a system turn when <paramref name="systemPrompt"/> is
    /// given) followed by the assistant's opening, or null when llama.cpp does not recognise <paramref name="template"/>.
    /// </summary>
    public static string? Apply(string template, string userPrompt, string? systemPrompt = null)
    {
        byte[] templateUtf8 = NullTerminated(template);
        byte[] systemRole = NullTerminated("system");
        byte[] system = NullTerminated(systemPrompt ?? string.Empty);
        byte[] role = NullTerminated("user");
        byte[] content = NullTerminated(userPrompt);
        int turns = systemPrompt is null ? 1 : 2;
        int capacity = (content.Length + system.Length) * 2 + 256;
        llama_chat_message* messages = stackalloc llama_chat_message[2];
        while (true)
        {
            var buffer = new byte[capacity];
            int n;
            fixed (byte* t = templateUtf8)
            fixed (byte* sr = systemRole)
            fixed (byte* sc = system)
            fixed (byte* r = role)
            fixed (byte* c = content)
            fixed (byte* b = buffer)
            {
                messages[0] = new llama_chat_message { role = (IntPtr)sr, content = (IntPtr)sc };
                messages[1] = new llama_chat_message { role = (IntPtr)r, content = (IntPtr)c };
                n = NativeMethods.llama_chat_apply_template((IntPtr)t, messages + (2 - turns), (nuint)turns, true, b, buffer.Length);
            }

            if (n < 0)
            {
                return null;
            }

            if (n <= buffer.Length)
            {
                return Encoding.UTF8.GetString(buffer, 0, n);
            }

            capacity = n;
        }
    }

    private static byte[] NullTerminated(string text)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}
