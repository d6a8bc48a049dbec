namespace EdgeLm.Core.Quality;

/// <summary>
/// A prompt suite as written in YAML (docs/prompts.md): prompts, each with checks on the answer. Every key is a
/// property here, so <see cref="YamlTypes"/> names a wrong type or an unknown key from these types alone.
/// </summary>
internal sealed class PromptSuite
{
    /// <summary>The suite's name in the records; default: the file's name without extension.</summary>
    public string? Name { get; set; }

    /// <summary>A system turn before every prompt that does not give its own (needs a chat template).</summary>
    public string? SystemPrompt { get; set; }

    /// <summary>Tokens a prompt may generate unless it says otherwise; generation stops earlier at end-of-generation.</summary>
    public int MaxTokens { get; set; } = DefaultMaxTokens;

    /// <summary>0 is greedy (argmax): the same model gives the same answer, so two quantizations compare.</summary>
    public float Temperature { get; set; }

    public uint Seed { get; set; } = 42;

    public List<PromptSpec> Prompts { get; set; } = new();

    public const int DefaultMaxTokens = 128;
}

/// <summary>One prompt and its checks.</summary>
internal sealed class PromptSpec
{
    /// <summary>Unique in the suite: the key answers are compared by across models.</summary>
    public string? Id { get; set; }

    public string? Prompt { get; set; }

    public string? SystemPrompt { get; set; }

    public int? MaxTokens { get; set; }

    public List<PromptCheck> Checks { get; set; } = new();
}

/// <summary>One check on an answer: exactly one of its kinds (contains, regex, exact, json, length, tokens).</summary>
internal sealed class PromptCheck
{
    /// <summary>The answer contains this text.</summary>
    public string? Contains { get; set; }

    /// <summary>The answer matches this .NET regular expression somewhere (anchor it with ^ and $ for the whole).</summary>
    public string? Regex { get; set; }

    /// <summary>The answer, trimmed of white space at both ends, is this text (itself trimmed).</summary>
    public string? Exact { get; set; }

    /// <summary>true: the answer (trimmed, without one surrounding Markdown code fence) parses as JSON.</summary>
    public bool? Json { get; set; }

    /// <summary>The answer's length in characters (UTF-16 code units, as .NET and PowerShell count).</summary>
    public CheckBounds? Length { get; set; }

    /// <summary>The answer's length in generated tokens, as the engine counted them.</summary>
    public CheckBounds? Tokens { get; set; }

    /// <summary>contains, exact and regex ignore case.</summary>
    public bool IgnoreCase { get; set; }
}

/// <summary>A length bound: min, max or both, inclusive.</summary>
internal sealed class CheckBounds
{
    public int? Min { get; set; }

    public int? Max { get; set; }
}
