using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace EdgeLm.Core.Quality;

/// <summary>A suite read and checked: its prompts with their rules compiled, and where it came from.</summary>
internal sealed record LoadedSuite(string Name, string File, PromptSuite Suite, IReadOnlyList<LoadedPrompt> Prompts);

/// <summary>One prompt ready to run: its settings resolved against the suite's defaults, its checks compiled.</summary>
internal sealed record LoadedPrompt(string Id, string Prompt, string? SystemPrompt, int MaxTokens, IReadOnlyList<CheckRule> Checks);

/// <summary>
/// Reads a prompt suite strictly, as plans are read: through <see cref="InputFiles"/> (only a regular file, at most
/// 1 MiB) and <see cref="YamlLimits"/> (no deep nesting, few aliases); an unknown key, a wrong type, a missing
/// prompt, a duplicate id, a check of no kind or of two, a bad bound or a regex .NET cannot parse is refused with
/// the file, line and column and the prompt's id, before any model loads.
/// </summary>
internal static class PromptSuiteReader
{
    /// <summary>Far more prompts than a suite run by hand needs; a bigger file is likely the wrong one.</summary>
    public const int MaxPrompts = 10_000;

    private static readonly YamlTypes Types = new(typeof(PromptSuite), "the suite", Special);

    public static LoadedSuite Read(string path)
    {
        string full = Path.GetFullPath(path);
        string text = InputFiles.ReadText(full, InputFiles.MaxDocumentBytes, "prompt suite", "SuiteNotFound");
        return Parse(text, full);
    }

    public static LoadedSuite Parse(string text, string file)
    {
        PromptSuite? suite;
        var stream = new YamlStream();
        YamlNode? document = null;
        try
        {
            YamlLimits.Check(text, file, "prompt suite");
            stream.Load(new StringReader(text));
            document = stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
            Types.RequireValues(document, file, "SuiteInvalid");
            suite = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build().Deserialize<PromptSuite>(text);
        }
        catch (YamlException e)
        {
            string why = Types.UnknownKey(e) ?? Types.Explain(e, document)
                ?? (document is not null ? "this value has the wrong type for its key (see docs/prompts.md)" : e.InnerException?.Message ?? e.Message);
            throw new EdgeLmInvalidFileException(file, "SuiteInvalid", $"{YamlTypes.At(file, e.Start)}: {why}");
        }

        var at = new Positions(file, document as YamlMappingNode);
        if (suite?.Prompts is not { Count: > 0 } prompts)
        {
            throw at.Error("SuiteEmpty", "the suite has no prompts; give 'prompts:' with at least one prompt (see docs/prompts.md)", "prompts");
        }

        if (prompts.Count > MaxPrompts)
        {
            throw at.Error("SuiteTooLarge", $"the suite has {prompts.Count} prompts, more than {MaxPrompts}; split it into several suites", "prompts");
        }

        Positive(suite.MaxTokens, at, "maxTokens");
        if (!float.IsFinite(suite.Temperature) || suite.Temperature is < 0 or > 100)
        {
            throw at.Error("SuiteOutOfRange", $"temperature is {suite.Temperature}; use 0 (greedy, the default) up to 100", "temperature");
        }

        if (suite.Seed > Settings.RunSettings.MaxSeed)
        {
            throw at.Error("SuiteOutOfRange", $"seed is {suite.Seed}, which llama.cpp takes as 'a random seed each run'; use 0 to {Settings.RunSettings.MaxSeed}", "seed");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var loaded = new List<LoadedPrompt>(prompts.Count);
        for (int i = 0; i < prompts.Count; i++)
        {
            loaded.Add(Load(prompts[i], i, suite, ids, at));
        }

        string name = string.IsNullOrWhiteSpace(suite.Name) ? Path.GetFileNameWithoutExtension(file) : suite.Name.Trim();
        return new LoadedSuite(name, file, suite, loaded);
    }

    private static LoadedPrompt Load(PromptSpec? spec, int i, PromptSuite suite, HashSet<string> ids, Positions at)
    {
        if (spec is null)
        {
            throw at.Error("SuiteInvalidPrompt", $"prompts[{i}] is empty; give 'id', 'prompt' and 'checks'", "prompts", i);
        }

        if (string.IsNullOrWhiteSpace(spec.Id))
        {
            throw at.Error("SuiteInvalidPrompt", $"prompts[{i}] has no 'id'; give each prompt a short unique id (answers are compared by it)", "prompts", i);
        }

        string id = spec.Id.Trim();
        if (!ids.Add(id))
        {
            throw at.Error("SuiteDuplicateId", $"prompt id '{id}' is used twice; ids are how answers are compared across models, so each must be unique", "prompts", i, "id");
        }

        if (string.IsNullOrEmpty(spec.Prompt))
        {
            throw at.Error("SuiteInvalidPrompt", $"prompt '{id}' has no 'prompt' text; give the question to ask", "prompts", i);
        }

        if (spec.MaxTokens is int max)
        {
            Positive(max, at, "prompts", i, "maxTokens");
        }

        if (spec.Checks is null)
        {
            throw at.Error("SuiteInvalidCheck", $"prompt '{id}': 'checks' is empty (~); give a list of checks, or leave the key out", "prompts", i, "checks");
        }

        var rules = new List<CheckRule>(spec.Checks.Count);
        for (int c = 0; c < spec.Checks.Count; c++)
        {
            rules.Add(Compile(spec.Checks[c], id, at, i, c));
        }

        return new LoadedPrompt(id, spec.Prompt, spec.SystemPrompt ?? suite.SystemPrompt, spec.MaxTokens ?? suite.MaxTokens, rules);
    }

    private static CheckRule Compile(PromptCheck? check, string id, Positions at, int prompt, int index)
    {
        object[] path = { "prompts", prompt, "checks", index };
        string[] kinds = check is null ? Array.Empty<string>() : new[]
        {
            check.Contains is null ? null : "contains",
            check.Regex is null ? null : "regex",
            check.Exact is null ? null : "exact",
            check.Json is null ? null : "json",
            check.Length is null ? null : "length",
            check.Tokens is null ? null : "tokens",
        }.OfType<string>().ToArray();
        if (kinds.Length != 1)
        {
            throw at.Error("SuiteInvalidCheck", kinds.Length == 0
                ? $"prompt '{id}': check {index + 1} has no kind; give one of contains, regex, exact, json, length, tokens"
                : $"prompt '{id}': check {index + 1} has {string.Join(" and ", kinds)}; a check has one kind, so write them as separate checks (all must hold)", path);
        }

        if (check!.Json == false)
        {
            throw at.Error("SuiteInvalidCheck", $"prompt '{id}': 'json: false' checks nothing; write 'json: true' or drop the check", path);
        }

        if (check.Contains is "" || check.Regex is "")
        {
            throw at.Error("SuiteInvalidCheck", $"prompt '{id}': check {index + 1}'s {kinds[0]} is empty, which every answer passes; give the text to look for", path);
        }

        foreach ((string kind, CheckBounds? bounds) in new[] { ("length", check.Length), ("tokens", check.Tokens) })
        {
            if (bounds is null)
            {
                continue;
            }

            if (bounds.Min is null && bounds.Max is null)
            {
                throw at.Error("SuiteInvalidCheck", $"prompt '{id}': {kind} needs min, max or both, e.g. {{ max: 200 }}", path.Append(kind).ToArray());
            }

            if (bounds.Min < 0 || bounds.Max < 0 || bounds.Min > bounds.Max)
            {
                throw at.Error("SuiteInvalidCheck", $"prompt '{id}': {kind} {PromptChecks.Bounds(bounds)} can never hold; use 0 <= min <= max", path.Append(kind).ToArray());
            }
        }

        try
        {
            return PromptChecks.Compile(check);
        }
        catch (ArgumentException e)
        {
            // .NET's message says what is wrong and where in the pattern ("Invalid pattern '(' at offset 1. Not enough )'s.").
            throw at.Error("SuiteInvalidRegex", $"prompt '{id}': regex {PromptChecks.Quote(check.Regex ?? string.Empty)} is not a valid .NET regular expression: {e.Message}", path.Append("regex").ToArray());
        }
    }

    private static void Positive(int value, Positions at, params object[] path)
    {
        if (value < 1)
        {
            throw at.Error("SuiteOutOfRange", $"{string.Join(".", path.Select(p => p is int i ? $"[{i}]" : p)).Replace(".[", "[")} is {value}; generate at least 1 token", path);
        }
    }

    private static string? Special(Type type) =>
        type == typeof(List<PromptSpec>) ? "a list of prompts, each a mapping with 'id', 'prompt' and 'checks'"
        : type == typeof(List<PromptCheck>) ? "a list of checks, each a mapping with one of contains, regex, exact, json, length, tokens"
        : type == typeof(PromptSpec) ? "a prompt: a mapping with 'id', 'prompt' and 'checks'"
        : type == typeof(PromptCheck) ? "a check: a mapping with one of contains, regex, exact, json, length, tokens"
        : type == typeof(CheckBounds) ? "a mapping with min, max or both, e.g. { max: 200 }"
        : type == typeof(PromptSuite) ? "a mapping of keys such as 'name' and 'prompts'"
        : null;

    /// <summary>Line and column of a suite's nodes, for refusals found after deserialization.</summary>
    private sealed class Positions(string file, YamlMappingNode? root)
    {
        public EdgeLmException Error(string errorId, string message, params object[] path) => YamlTypes.ErrorAt(file, root, errorId, message, path);
    }
}
