using EdgeLm.Core.Engine;
using EdgeLm.Core.Worker;
using EdgeLm.Core.Models;

namespace EdgeLm.Core.Host;

/// <summary>The checks a request must pass before any model loads, each refusal naming the numbers and the fix.</summary>
internal static class InferenceValidation
{
    public static ModelInfo Validate(InferenceRequest request)
    {
        Require(request.MaxTokens > 0, "InvalidMaxTokens", $"MaxTokens is {request.MaxTokens}; generate at least 1 token");
        Require(request.Repeat > 0, "InvalidRepeat", $"Repeat is {request.Repeat}; run at least once");
        Require(request.DepthTokens >= 0, "InvalidDepth", $"DepthTokens is {request.DepthTokens}; use 0 or more");
        Require(request.Warmup >= 0, "InvalidWarmup", $"Warmup is {request.Warmup}; use 0 or more warm-up runs");
        Require(request.Threads is null or > 0, "InvalidThreads", $"Threads is {request.Threads}; use at least 1");
        Require(request.BatchSize is null or > 0, "InvalidBatchSize", $"BatchSize is {request.BatchSize}; use at least 1");
        Require(request.ContextSize is null or > 0, "InvalidContextSize", $"ContextSize is {request.ContextSize}; use at least 1");
        Require(request.BaselineSeconds >= 0, "InvalidBaseline", $"BaselineSeconds is {request.BaselineSeconds}; use 0 (no baseline) or more");
        EdgeLm.Core.Energy.EnergyArguments.RequireMeasureEnergy(request.MeasureEnergy, request.EnergySource, request.Meter, null);
        Require(request.GpuLayers >= -1, "InvalidGpuLayers", $"GpuLayers is {request.GpuLayers}; use -1 (all), 0 (none) or a layer count");
        if (request.PromptTokens is int count)
        {
            Require(request.Prompt is null, "PromptAndPromptTokens", "give either a prompt or a number of prompt tokens, not both");
            Require(count > 0, "InvalidPromptTokens", $"PromptTokens is {count}; use at least 1");
            Require(request.ChatTemplate is null, "ChatTemplateWithPromptTokens", "a chat template applies to a text prompt, not to random prompt tokens");
            if (request.ContextSize is int size)
            {
                int needed = request.DepthTokens + count + request.MaxTokens;
                string depth = request.DepthTokens > 0 ? $"the depth of {request.DepthTokens} plus " : string.Empty;
                Require(size >= needed, "ContextTooSmall",
                    $"a context of {size} tokens is smaller than {depth}the prompt's {count} tokens plus {request.MaxTokens} generated ({needed}); use a context of {needed} or more");
            }
        }
        else if (request.ContextSize is int size)
        {
            // The text's token count needs the tokenizer (checked in the worker before the weights load); generation alone must fit.
            Require(size >= request.MaxTokens + 1, "ContextTooSmall",
                $"a context of {size} tokens cannot hold the prompt plus {request.MaxTokens} generated tokens; use a context of at least {request.MaxTokens + 1} plus the prompt's tokens");
        }

        return ModelInspector.Inspect(request.ModelPath);
    }

    /// <summary>
    /// The template to hand llama.cpp: null for none, a built-in name, or the model's own template text. Refuses
    /// an unknown name or "model" for a model without one, listing what would work.
    /// </summary>
    public static string? ResolveChatTemplate(string? requested, ModelInfo info, IReadOnlyList<string> builtIn)
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

    private static void Require(bool condition, string errorId, string message)
    {
        if (!condition)
        {
            throw new EdgeLmArgumentException(errorId, message);
        }
    }
}
