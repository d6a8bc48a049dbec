using EdgeLm.Core.Settings;
using EdgeLm.Core.Engine;
using System.Diagnostics;
using System.Text;
using EdgeLm.Core.Native;

namespace EdgeLm.Core.Worker;

/// <summary>
/// A model kept loaded across runs, in the process that measures: the worker, or the caller with -InProcess.
/// Each run starts from an empty KV cache; the context is rebuilt only when a run needs other settings than the
/// threads, which llama.cpp changes in place.
/// Timing follows docs/records.md.
/// </summary>
internal sealed class ModelSession : IDisposable
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    private RunSettings? _loadedFor;
    private LlamaModel? _model;
    private LlamaContext? _context;
    private SamplerChain? _sampler;
    private double _modelLoadMs;
    private double _contextMs;

    public ModelSession(string? nativeDirectory)
    {
        Runtime = LlamaRuntime.Initialize(nativeDirectory);
    }

    public LlamaRuntimeInfo Runtime { get; }

    /// <summary>Contexts created so far: a run that changes only the threads reuses the context.</summary>
    internal int ContextsCreated { get; private set; }

    /// <summary>The context the last run used.</summary>
    internal LlamaContext? Context => _context;

    /// <summary>Loads the model when needed, then measures one run of <paramref name="order"/>'s settings.</summary>
    public RunMeasurement Run(RunOrder order, Action<RunProgress>? progress, CancellationToken cancellationToken)
    {
        RunSettings spec = order.Settings;
        string? template = order.ChatTemplate;
        cancellationToken.ThrowIfCancellationRequested();
        if (_model is null || _loadedFor is null || !_loadedFor.SameModelAs(spec))
        {
            Load(spec, template, progress);
        }

        LlamaModel model = _model!;
        string? text = PromptText(spec, template);
        int[] prompt = text is null ? model.RandomPromptTokens(spec.PromptTokens ?? 0, spec.Seed) : model.Tokenize(text, parseSpecial: template is not null);
        ContextOptions options = ChooseContext(spec, prompt.Length, model.TrainedContext);
        bool automaticSize = spec.ContextSize is null;
        if (_context is not null && !Fits(_context.Options, options, automaticSize) &&
            Fits(_context.Options with { Threads = options.Threads, ThreadsBatch = options.ThreadsBatch }, options, automaticSize))
        {
            // Only the threads differ: llama.cpp changes them in place (as llama-bench does), cache and buffers stay.
            _context.SetThreads(options.Threads, options.ThreadsBatch);
        }

        if (_context is null || !Fits(_context.Options, options, automaticSize))
        {
            _context?.Dispose();
            _context = null;
            var create = Stopwatch.StartNew();
            _context = LlamaContext.Create(model, options);
            _contextMs = create.Elapsed.TotalMilliseconds;
            ContextsCreated++;
        }

        if (_sampler is null || _sampler.Options != Sampling(spec))
        {
            _sampler?.Dispose();
            _sampler = new SamplerChain(Sampling(spec));
        }

        RunMeasurement result = Measure(model, _context, _sampler, text, prompt, spec, template, progress, cancellationToken);
        result.ModelLoadMs = _modelLoadMs + _contextMs;
        return result;
    }

    public void Dispose()
    {
        _sampler?.Dispose();
        _context?.Dispose();
        _model?.Dispose();
        _sampler = null;
        _context = null;
        _model = null;
    }

    private void Load(RunSettings spec, string? template, Action<RunProgress>? progress)
    {
        Dispose();
        progress?.Invoke(new RunProgress("loading", 0, spec.MaxTokens));

        // Checks that need the tokenizer run on a vocabulary-only load (quick) so a prompt that cannot fit, or a
        // template llama.cpp does not know, is refused before the weights are read.
        if (spec.Prompt is not null)
        {
            using LlamaModel vocabulary = LlamaModel.Load(spec.ModelPath, 0, spec.NativeDirectory, vocabularyOnly: true);
            string text = PromptText(spec, template)!;
            ChooseContext(spec, vocabulary.Tokenize(text, parseSpecial: template is not null).Length, vocabulary.TrainedContext);
        }

        var load = Stopwatch.StartNew();
        _model = LlamaModel.Load(spec.ModelPath, spec.GpuLayers, spec.NativeDirectory);
        _modelLoadMs = load.Elapsed.TotalMilliseconds;
        _loadedFor = spec;
    }

    private static SamplingOptions Sampling(RunSettings spec) => new(spec.Temperature, spec.TopK, spec.TopP, spec.MinP, spec.Seed);

    private static string? PromptText(RunSettings spec, string? template)
    {
        if (spec.Prompt is null || template is null)
        {
            return spec.Prompt;
        }

        return ChatTemplates.Apply(template, spec.Prompt, spec.SystemPrompt) ?? throw new EdgeLmArgumentException("UnknownChatTemplate",
            $"llama.cpp does not recognise the chat template of {spec.ModelPath}; name a built-in one instead: {string.Join(", ", ChatTemplates.BuiltIn())}");
    }

    /// <summary>An existing context serves a run with the same settings, or (when sized automatically) a larger one.</summary>
    private static bool Fits(ContextOptions current, ContextOptions wanted, bool automaticSize) =>
        current with { ContextSize = wanted.ContextSize } == wanted &&
        (automaticSize ? current.ContextSize >= wanted.ContextSize : current.ContextSize == wanted.ContextSize);

    internal static ContextOptions ChooseContext(RunSettings spec, int promptTokens, int trainedContext)
    {
        spec.RequireContext(promptTokens);
        long needed = spec.ContextNeeded(promptTokens);
        if (trainedContext > 0 && needed > trainedContext)
        {
            // The host checked what it could; a text prompt's length is known only once tokenized, here.
            throw new EdgeLmArgumentException("ContextBeyondTraining",
                $"{needed} tokens (depth, the prompt's {promptTokens} and generation) is more than the model was trained for ({trainedContext} tokens); use a shorter prompt or fewer tokens");
        }

        int size;
        if (spec.ContextSize is int explicitSize)
        {
            size = explicitSize;
        }
        else
        {
            // Enough for prompt and generation, in llama.cpp's 256-cell steps, at least 512.
            int rounded = (int)Math.Min(int.MaxValue / 2, (needed + 255) / 256 * 256);
            size = Math.Max(512, rounded);
            if (trainedContext > 0 && size > trainedContext && needed <= trainedContext)
            {
                size = trainedContext;
            }
        }

        return new ContextOptions(size, spec.BatchTokens, Math.Min(spec.BatchTokens, 512), spec.ThreadCount, spec.ThreadCount, spec.FlashAttention);
    }

    private static RunMeasurement Measure(LlamaModel model, LlamaContext llama, SamplerChain sampler, string? text, int[] randomOrTokenized,
        RunSettings spec, string? template, Action<RunProgress>? progress, CancellationToken cancellationToken)
    {
        llama.ClearMemory();
        sampler.Reset();
        if (spec.DepthTokens > 0)
        {
            // Context already filled before the measured prompt (llama-bench's -d): decoded, not measured.
            progress?.Invoke(new RunProgress("depth", 0, spec.MaxTokens));
            llama.Decode(model.RandomPromptTokens(spec.DepthTokens, spec.Seed + 1), cancellationToken);
            llama.Synchronize();
        }

        bool peakReset = ProcessMemory.TryResetPeak();
        var stamps = new long[spec.MaxTokens];
        var output = new List<byte>();
        progress?.Invoke(new RunProgress("prefill", 0, spec.MaxTokens));
        llama.ResetCounters();

        long start = Stopwatch.GetTimestamp();
        // Tokenizing belongs to time to first token; random prompts are ids already.
        int[] prompt = text is null ? randomOrTokenized : model.Tokenize(text, parseSpecial: template is not null);
        long prefillStart = Stopwatch.GetTimestamp();
        llama.Decode(prompt, cancellationToken);
        llama.Synchronize();
        long prefillEnd = Stopwatch.GetTimestamp();

        int generated = 0;
        bool stoppedAtEos = false;
        long lastReport = prefillEnd;
        Span<int> one = stackalloc int[1];
        while (true)
        {
            int token = sampler.Sample(llama);
            if (spec.StopAtEos && model.IsEndOfGeneration(token))
            {
                stoppedAtEos = true;
                break;
            }

            output.AddRange(model.TokenToPiece(token));
            long now = Stopwatch.GetTimestamp();
            stamps[generated++] = now;
            if (generated >= spec.MaxTokens)
            {
                break;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (progress is not null && Stopwatch.GetElapsedTime(lastReport, now) >= ProgressInterval)
            {
                lastReport = now;
                progress(new RunProgress("decode", generated, spec.MaxTokens));
            }

            one[0] = token;
            llama.Decode(one, cancellationToken);
        }

        long end = Stopwatch.GetTimestamp();
        EngineCounters counters = llama.Counters;
        double prefillMs = Ms(prefillStart, prefillEnd);
        double? decodeMs = null, decodeRate = null, p50 = null, p95 = null, p99 = null, max = null;
        if (generated > 1)
        {
            decodeMs = Ms(stamps[0], stamps[generated - 1]);
            decodeRate = decodeMs > 0 ? (generated - 1) / decodeMs * 1000 : null;
            var gaps = new double[generated - 1];
            for (int i = 1; i < generated; i++)
            {
                gaps[i - 1] = Ms(stamps[i - 1], stamps[i]);
            }

            Array.Sort(gaps);
            (p50, p95, p99, max) = (Percentiles.Of(gaps, 50), Percentiles.Of(gaps, 95), Percentiles.Of(gaps, 99), gaps[^1]);
        }

        return new RunMeasurement
        {
            Threads = llama.Options.Threads,
            ContextSize = llama.Options.ContextSize,
            BatchSize = llama.Options.BatchSize,
            PromptTokens = prompt.Length,
            GeneratedTokens = generated,
            StoppedAtEos = stoppedAtEos,
            // With no token generated (EOS first, when stopping at EOS) the first token never came: TTFT is the whole run.
            TimeToFirstTokenMs = Ms(start, generated > 0 ? stamps[0] : end),
            PrefillMs = prefillMs,
            PrefillTokensPerSecond = prefillMs > 0 ? prompt.Length / prefillMs * 1000 : 0,
            DecodeMs = decodeMs,
            DecodeTokensPerSecond = decodeRate,
            InterTokenP50Ms = p50,
            InterTokenP95Ms = p95,
            InterTokenP99Ms = p99,
            InterTokenMaxMs = max,
            TotalMs = Ms(start, end),
            EnginePrefillMs = counters.PromptMs,
            EngineDecodeMs = counters.EvalMs,
            PeakRssBytes = ProcessMemory.PeakRssBytes(),
            PeakRssScope = peakReset ? ProcessMemory.RunScope : ProcessMemory.ProcessScope,
            KvCacheBytes = llama.Memory.KvCacheBytes,
            ComputeBufferBytes = llama.Memory.ComputeBufferBytes,
            Output = Encoding.UTF8.GetString(output.ToArray()),
            EnginePromptTokens = counters.PromptTokens,
            EngineDecodeTokens = counters.EvalTokens,
            StartTimestamp = start,
            PrefillStartTimestamp = prefillStart,
            FirstTokenTimestamp = generated > 0 ? stamps[0] : end,
            LastTokenTimestamp = generated > 0 ? stamps[generated - 1] : end,
            EndTimestamp = end,
        };
    }

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
}
