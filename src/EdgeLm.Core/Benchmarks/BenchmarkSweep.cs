using EdgeLm.Core.Energy;

namespace EdgeLm.Core.Benchmarks;

/// <summary>
/// A one-off sweep without a plan file: Invoke-EdgeBenchmark -Model ... and edgelm bench --model ... both build
/// one and run the plan it becomes. Every axis and knob is a plan's, with a plan's defaults where it is null, and
/// the plan is checked by the same rules as a plan file; a refusal names the value instead of a line.
/// </summary>
public sealed record BenchmarkSweep
{
    /// <summary>Model files; relative paths are relative to <see cref="Folder"/>.</summary>
    public IReadOnlyList<string> Models { get; init; } = Array.Empty<string>();

    /// <summary>Generation threads to sweep; null = the physical cores.</summary>
    public IReadOnlyList<int>? Threads { get; init; }

    public IReadOnlyList<int>? GpuLayers { get; init; }

    /// <summary>Context sizes to sweep; null = sized to fit each run.</summary>
    public IReadOnlyList<int>? Contexts { get; init; }

    public IReadOnlyList<int>? PromptTokens { get; init; }
    public IReadOnlyList<int>? GenerationTokens { get; init; }
    public IReadOnlyList<int>? Depths { get; init; }
    public int? Repetitions { get; init; }
    public int? Warmups { get; init; }

    /// <summary>Seconds of rest between configurations; null or 0 = none.</summary>
    public double? CooldownSeconds { get; init; }

    public bool MeasureEnergy { get; init; }

    /// <summary>Seconds of idle baseline before the first run; only with <see cref="MeasureEnergy"/>.</summary>
    public double? BaselineSeconds { get; init; }

    /// <summary>Where relative model paths are found; default the current directory.</summary>
    public string? Folder { get; init; }

    /// <summary>Wait before each run until CPU pressure is below this percent (null: do not wait).</summary>
    public double? QuietBelow { get; init; }

    /// <summary>The longest wait for a quiet machine; null = the plan default.</summary>
    public double? QuietMaxWaitSeconds { get; init; }

    /// <summary>Run even when the sweep expands to more than <see cref="PlanReader.MaxRuns"/> runs.</summary>
    public bool AllowLarge { get; init; }

    /// <summary>A text to score every model's perplexity over once, before the speed runs (a plan's quality.text); null = no quality.</summary>
    public string? QualityText { get; init; }

    /// <summary>The quality reference: a .gguf path, or a quantization among the swept files of the same model (quality.reference).</summary>
    public string? QualityReference { get; init; }

    /// <summary>Tokens per perplexity chunk; null = the plan default.</summary>
    public int? QualityContextSize { get; init; }

    /// <summary>At most this many chunks; null = every whole chunk.</summary>
    public int? QualityChunks { get; init; }

    /// <summary>The plan this sweep is, validated as a plan file is; refusals are <see cref="EdgeLmArgumentException"/>s naming the value.</summary>
    public LoadedPlan ToPlan()
    {
        EnergyArguments.RequireMeasureEnergy(MeasureEnergy, null, null, BaselineSeconds);
        var defaults = new BenchmarkPlan();
        var plan = new BenchmarkPlan
        {
            Models = Models.Select(m => new PlanModel { Path = m }).ToList(),
            Threads = Threads?.ToList() ?? defaults.Threads,
            GpuLayers = GpuLayers?.ToList() ?? defaults.GpuLayers,
            Contexts = Contexts?.ToList() ?? defaults.Contexts,
            PromptTokens = PromptTokens?.ToList() ?? defaults.PromptTokens,
            GenerationTokens = GenerationTokens?.ToList() ?? defaults.GenerationTokens,
            Depths = Depths?.ToList() ?? defaults.Depths,
            Repetitions = Repetitions ?? defaults.Repetitions,
            Warmups = Warmups ?? defaults.Warmups,
            Cooldown = CooldownSeconds is double seconds and not 0 ? new PlanCooldown { Seconds = seconds } : null,
            Energy = MeasureEnergy,
            BaselineSeconds = BaselineSeconds ?? defaults.BaselineSeconds,
            AllowLarge = AllowLarge,
            QuietBelow = QuietBelow,
            QuietMaxWaitSeconds = QuietMaxWaitSeconds ?? defaults.QuietMaxWaitSeconds,
            Quality = QualityText is null ? null : new PlanQuality
            {
                Text = QualityText,
                Reference = QualityReference,
                Context = QualityContextSize ?? new PlanQuality().Context,
                Chunks = QualityChunks,
            },
        };
        if (QualityText is null && (QualityReference ?? QualityContextSize ?? (object?)QualityChunks) is not null)
        {
            throw new EdgeLmArgumentException("QualityTextMissing",
                "the quality reference, context and chunks apply to a quality measurement: give the text to score too (-QualityTextPath, --quality-text)");
        }

        string folder = Path.GetFullPath(Folder ?? Environment.CurrentDirectory);
        PlanReader.Validate(plan, new Parameters(this, folder), folder);
        return new LoadedPlan(plan, Path.Combine(folder, "(parameters)"), folder);
    }

    /// <summary>A sweep's values come from parameters: a refusal names the value, and a bad model file stays a file error.</summary>
    private sealed class Parameters(BenchmarkSweep sweep, string folder) : IPlanSource
    {
        public bool Has(string key) => key switch
        {
            "threads" => sweep.Threads is not null,
            "contexts" => sweep.Contexts is not null,
            _ => true,
        };

        public EdgeLmException Error(string errorId, string message, params object[] path) =>
            errorId == "PlanModelNotFound" && path is [_, int index, ..]
                ? new EdgeLmInvalidFileException(Path.GetFullPath(Path.Combine(folder, sweep.Models[index])), errorId, message)
                : new EdgeLmArgumentException(errorId, message);
    }
}
