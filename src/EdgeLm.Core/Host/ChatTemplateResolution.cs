using EdgeLm.Core.Settings;
using EdgeLm.Core.Engine;
using EdgeLm.Core.Worker;
using EdgeLm.Core.Models;

namespace EdgeLm.Core.Host;

/// <summary>Which chat template a run applies, chosen in the host where the model's own and llama.cpp's built-in ones are known.</summary>
internal static class ChatTemplateResolution
{
    /// <summary>
    /// The template to hand llama.cpp: null for none, a built-in name, or the model's own template text. Refuses
    /// an unknown name or "model" for a model without one, listing what would work.
    /// </summary>
    public static string? Resolve(string? requested, ModelInfo info, IReadOnlyList<string> builtIn)
    {
        if (string.IsNullOrEmpty(requested))
        {
            return null;
        }

        string choices = $"use '{ChatTemplates.ModelTemplate}' for the model's own template or one of: {string.Join(", ", builtIn)}";
        if (string.Equals(requested, ChatTemplates.ModelTemplate, StringComparison.OrdinalIgnoreCase))
        {
            return string.IsNullOrEmpty(info.ChatTemplate)
                ? throw new EdgeLmArgumentException("NoChatTemplate", $"{info.ModelPath} has no chat template of its own; name a built-in one: {string.Join(", ", builtIn)}")
                : info.ChatTemplate;
        }

        return builtIn.FirstOrDefault(b => string.Equals(b, requested, StringComparison.OrdinalIgnoreCase))
            ?? throw new EdgeLmArgumentException("UnknownChatTemplate", $"unknown chat template '{requested}'; {choices}");
    }
}
