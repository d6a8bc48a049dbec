using EdgeLm.Core.Host;
using EdgeLm.Core.Models;
using EdgeLm.Core.Settings;

namespace EdgeLm.Core.Quality;

/// <summary>
/// Runs one prompt suite on one model after another (Test-EdgePrompt, edgelm prompts): each model loads once in
/// the host's worker, every prompt runs greedy (unless the suite says otherwise) with the model's own chat template
/// when it has one, stops at end-of-generation, and becomes a <see cref="PromptCheckResult"/>. The first model that
/// answers is the reference: later models' records say whether each answer changed, so two quantizations of one
/// model show what quantizing cost in answers. Dispose to stop the worker.
/// </summary>
public sealed class PromptSuiteRunner : IDisposable
{
    /// <summary>The chat template value that asks for none, even where the model has its own.</summary>
    public const string NoTemplate = "none";

    private readonly LoadedSuite _suite;
    private readonly RunSettings _machine;
    private readonly InferenceHost _host;
    private readonly List<PromptSuiteSummary> _summaries = new();
    private Dictionary<string, string>? _reference;
    private string? _referencePath;

    private PromptSuiteRunner(LoadedSuite suite, RunSettings machine, InferenceHostOptions? options)
    {
        _suite = suite;
        _machine = machine;
        _host = new InferenceHost(options);
    }

    /// <summary>
    /// Reads the suite now (refusing a bad one before any model loads). <paramref name="machine"/> holds how to run
    /// (threads, GPU layers, context, in-process, native libraries) and the chat template: null for the model's own
    /// when it has one, <see cref="NoTemplate"/>, or a llama.cpp built-in name; the suite gives the rest.
    /// </summary>
    public static PromptSuiteRunner Open(string suitePath, RunSettings machine, InferenceHostOptions? options = null) =>
        new(PromptSuiteReader.Read(suitePath), machine, options);

    public string SuiteName => _suite.Name;

    public int PromptCount => _suite.Prompts.Count;

    /// <summary>One summary per model whose every prompt ran, in the order they ran.</summary>
    public IReadOnlyList<PromptSuiteSummary> Summaries => _summaries;

    /// <summary>Runs every prompt on the model at <paramref name="modelPath"/>, yielding each record as its answer completes.</summary>
    public IEnumerable<PromptCheckResult> Run(string modelPath, IProgress<InferenceProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        string full = Path.GetFullPath(modelPath);
        ModelInfo info = ModelInspector.Inspect(full);
        bool synthetic = SyntheticWeights.Of(full);
        string? template = Template(_machine.ChatTemplate, info);
        return RunModel(full, info, synthetic, template, progress, cancellationToken);
    }

    public void Dispose() => _host.Dispose();

    /// <summary>The template a model's prompts use: the model's own when it has one, unless the caller chose.</summary>
    internal static string? Template(string? requested, ModelInfo info) => requested switch
    {
        null => string.IsNullOrEmpty(info.ChatTemplate) ? null : Engine.ChatTemplates.ModelTemplate,
        _ when string.Equals(requested, NoTemplate, StringComparison.OrdinalIgnoreCase) => null,
        _ => requested,
    };

    /// <summary>
    /// The settings of one prompt's run. Without a template a system prompt has no turn of its own: it goes before the
    /// prompt as plain text, separated by a blank line, so the model still reads it.
    /// </summary>
    internal static RunSettings Settings(RunSettings machine, LoadedSuite suite, LoadedPrompt prompt, string modelPath, string? template) => machine with
    {
        ModelPath = modelPath,
        Prompt = template is null && prompt.SystemPrompt is not null ? $"{prompt.SystemPrompt}\n\n{prompt.Prompt}" : prompt.Prompt,
        PromptTokens = null,
        SystemPrompt = template is null ? null : prompt.SystemPrompt,
        ChatTemplate = template,
        MaxTokens = prompt.MaxTokens,
        Temperature = suite.Suite.Temperature,
        Seed = suite.Suite.Seed,
        StopAtEos = true,
        Repeat = 1,
        Warmup = 0,
        IncludeWarmup = false,
        MeasureEnergy = false,
    };

    private IEnumerable<PromptCheckResult> RunModel(string modelPath, ModelInfo info, bool synthetic, string? template,
        IProgress<InferenceProgress>? progress, CancellationToken cancellationToken)
    {
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        bool reference = _reference is null;
        var records = new List<PromptCheckResult>(_suite.Prompts.Count);
        for (int i = 0; i < _suite.Prompts.Count; i++)
        {
            LoadedPrompt prompt = _suite.Prompts[i];
            RunSettings settings = Settings(_machine, _suite, prompt, modelPath, template);
            int number = i + 1;
            var each = progress is null ? null : new Relabel(progress, $"{info.ModelName} '{prompt.Id}' ({number}/{_suite.Prompts.Count})");
            foreach (InferenceResult run in _host.Run(settings, each, cancellationToken))
            {
                PromptCheckResult record = PromptRecord.Build(run, _suite, prompt, synthetic);
                answers[prompt.Id] = record.Output;
                if (!reference && _reference is not null)
                {
                    record.ReferenceModelPath = _referencePath;
                    record.OutputChanged = _reference.TryGetValue(prompt.Id, out string? before) ? !string.Equals(before, record.Output, StringComparison.Ordinal) : null;
                }

                records.Add(record);
                yield return record;
            }
        }

        if (reference)
        {
            _reference = answers;
            _referencePath = modelPath;
        }

        _summaries.Add(PromptRecord.Summarize(records, _suite, info, synthetic, reference ? null : _referencePath));
    }

    /// <summary>Progress of one prompt's run, named by the model and the prompt rather than the model alone.</summary>
    private sealed class Relabel(IProgress<InferenceProgress> inner, string name) : IProgress<InferenceProgress>
    {
        public void Report(InferenceProgress value) => inner.Report(value with { ModelName = name });
    }
}
