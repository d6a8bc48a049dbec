using System.Diagnostics;
using System.Text;
using EdgeLm.Core.Models;
using EdgeLm.Core.Native;

namespace EdgeLm.Core.Inference;

/// <summary>
/// Runs a request in this process: loads the model once, then one measured run per repetition, each
/// from an empty KV cache. Timing follows shared/docs/records.md.
/// </summary>
public static class InferenceRunner
{
    public static IEnumerable<InferenceResult> Run(InferenceRequest request, CancellationToken cancellationToken = default)
    {
        // Everything that can be refused is refused before llama.cpp loads anything.
        ModelInfo info = Validate(request);
        LlamaRuntimeInfo runtime = LlamaRuntime.Initialize(request.NativeDirectory);
        return RunLoaded(request, info, runtime, cancellationToken);
    }

    private static IEnumerable<InferenceResult> RunLoaded(InferenceRequest request, ModelInfo info, LlamaRuntimeInfo runtime,
        CancellationToken cancellationToken)
    {
        var load = Stopwatch.StartNew();
        using LlamaModel model = LlamaModel.Load(info.ModelPath, request.GpuLayers, request.NativeDirectory);
        string prompt = request.Prompt ?? string.Empty;
        int promptTokens = model.Tokenize(prompt).Length;
        int threads = request.Threads ?? CpuTopology.PhysicalCores();
        int batch = request.BatchSize ?? 512;
        int context = ChooseContext(request, promptTokens, model.TrainedContext);
        using LlamaContext llama = LlamaContext.Create(model, new ContextOptions(context, batch, Math.Min(batch, 512), threads, threads, request.FlashAttention));
        using var sampler = new SamplerChain(new SamplingOptions(request.Temperature, request.TopK, request.TopP, request.MinP, request.Seed));
        double loadMs = load.Elapsed.TotalMilliseconds;

        for (int repetition = 1; repetition <= request.Repeat; repetition++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            InferenceResult result = Measure(model, llama, sampler, prompt, request, cancellationToken);
            result.Repetition = repetition;
            result.LoadMs = repetition == 1 ? loadMs : 0;
            Describe(result, info, runtime, request, llama.Options);
            yield return result;
        }
    }

    private static InferenceResult Measure(LlamaModel model, LlamaContext llama, SamplerChain sampler, string prompt,
        InferenceRequest request, CancellationToken cancellationToken)
    {
        llama.ClearMemory();
        llama.ResetCounters();
        sampler.Reset();

        long start = Stopwatch.GetTimestamp();
        int[] tokens = model.Tokenize(prompt);
        long prefillStart = Stopwatch.GetTimestamp();
        llama.Decode(tokens, cancellationToken);
        long prefillEnd = Stopwatch.GetTimestamp();
        int token = sampler.Sample(llama);
        long firstToken = Stopwatch.GetTimestamp();

        var output = new List<byte>();
        int generated = 0;
        bool stoppedAtEos = false;
        long lastToken = firstToken;
        Span<int> one = stackalloc int[1];
        while (true)
        {
            if (request.StopAtEos && model.IsEndOfGeneration(token))
            {
                stoppedAtEos = true;
                break;
            }

            generated++;
            output.AddRange(model.TokenToPiece(token));
            lastToken = Stopwatch.GetTimestamp();
            if (generated >= request.MaxTokens)
            {
                break;
            }

            one[0] = token;
            llama.Decode(one, cancellationToken);
            token = sampler.Sample(llama);
        }

        long end = Stopwatch.GetTimestamp();
        EngineCounters counters = llama.Counters;
        double prefillMs = Stopwatch.GetElapsedTime(prefillStart, prefillEnd).TotalMilliseconds;
        double? decodeMs = generated > 1 ? Stopwatch.GetElapsedTime(firstToken, lastToken).TotalMilliseconds : null;
        return new InferenceResult
        {
            PromptTokens = tokens.Length,
            RequestedTokens = request.MaxTokens,
            GeneratedTokens = generated,
            StoppedAtEos = stoppedAtEos,
            TimeToFirstTokenMs = Stopwatch.GetElapsedTime(start, firstToken).TotalMilliseconds,
            PrefillMs = prefillMs,
            PrefillTokensPerSecond = prefillMs > 0 ? tokens.Length / prefillMs * 1000 : 0,
            DecodeMs = decodeMs,
            DecodeTokensPerSecond = decodeMs is > 0 ? (generated - 1) / decodeMs.Value * 1000 : null,
            TotalMs = Stopwatch.GetElapsedTime(start, end).TotalMilliseconds,
            EnginePrefillMs = counters.PromptMs,
            EngineDecodeMs = counters.EvalMs,
            Output = Encoding.UTF8.GetString(output.ToArray()),
        };
    }

    private static void Describe(InferenceResult result, ModelInfo info, LlamaRuntimeInfo runtime, InferenceRequest request, ContextOptions options)
    {
        result.RunId = Guid.NewGuid().ToString("N");
        result.Timestamp = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        result.HostName = Environment.MachineName;
        result.DeviceName = Environment.MachineName;
        result.ModelName = info.ModelName;
        result.ModelPath = info.ModelPath;
        result.Architecture = info.Architecture;
        result.Quantization = info.Quantization;
        result.ParameterCount = info.ParameterCount;
        result.ModelBytes = info.ModelBytes;
        result.Threads = options.Threads;
        result.GpuLayers = request.GpuLayers;
        result.ContextSize = options.ContextSize;
        result.BatchSize = options.BatchSize;
        result.FlashAttention = options.FlashAttention.ToString().ToLowerInvariant();
        result.Temperature = request.Temperature;
        result.Seed = request.Seed;
        result.Backend = runtime.Backend;
        result.LlamaVersion = runtime.LlamaVersion;
    }

    private static ModelInfo Validate(InferenceRequest request)
    {
        if (request.MaxTokens <= 0)
        {
            throw new EdgeLmArgumentException("InvalidMaxTokens", $"MaxTokens is {request.MaxTokens}; generate at least 1 token");
        }

        if (request.Repeat <= 0)
        {
            throw new EdgeLmArgumentException("InvalidRepeat", $"Repeat is {request.Repeat}; run at least once");
        }

        if (request.Threads is <= 0)
        {
            throw new EdgeLmArgumentException("InvalidThreads", $"Threads is {request.Threads}; use at least 1");
        }

        if (request.BatchSize is <= 0)
        {
            throw new EdgeLmArgumentException("InvalidBatchSize", $"BatchSize is {request.BatchSize}; use at least 1");
        }

        if (request.ContextSize is <= 0)
        {
            throw new EdgeLmArgumentException("InvalidContextSize", $"ContextSize is {request.ContextSize}; use at least 1");
        }

        if (request.ContextSize is int c && c < request.MaxTokens + 1)
        {
            throw new EdgeLmArgumentException("ContextTooSmall",
                $"a context of {c} tokens cannot hold {request.MaxTokens} generated tokens after the prompt; use a context of at least {request.MaxTokens + 1}");
        }

        return ModelInspector.Inspect(request.ModelPath);
    }

    private static int ChooseContext(InferenceRequest request, int promptTokens, int trainedContext)
    {
        int needed = promptTokens + request.MaxTokens;
        if (request.ContextSize is int explicitSize)
        {
            if (explicitSize < needed)
            {
                throw new EdgeLmArgumentException("ContextTooSmall",
                    $"a context of {explicitSize} tokens is smaller than the prompt's {promptTokens} tokens plus {request.MaxTokens} generated ({needed}); use --context {needed} or more");
            }

            return explicitSize;
        }

        int rounded = (needed + 255) / 256 * 256;
        int size = Math.Max(512, rounded);
        return trainedContext > 0 && size > trainedContext && needed <= trainedContext ? trainedContext : size;
    }
}
