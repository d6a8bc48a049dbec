using System.Management.Automation;
using EdgeLm.Core.Benchmarks;
using EdgeLm.Core.Engine;
using EdgeLm.Core.Host;
using EdgeLm.Core.Worker;
using EdgeLm.Core.Devices;

namespace EdgeLm.Cmdlets.Commands;

/// <summary>
/// Runs a benchmark: a YAML plan (-Plan), or a one-off sweep from parameters. Emits one InferenceResult per run as it
/// completes and appends it to the results file (flushed and synced); -Resume skips runs already there.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "EdgeBenchmark", DefaultParameterSetName = PlanSet)]
[OutputType(typeof(InferenceResult))]
public sealed class InvokeEdgeBenchmarkCommand : EdgeLmCmdlet
{
    private const string PlanSet = "Plan";
    private const string SweepSet = "Sweep";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PlanSet)]
    [ValidateNotNullOrEmpty]
    public string Plan { get; set; } = string.Empty;

    /// <summary>Model files to sweep (a one-off sweep without a plan file).</summary>
    [Parameter(Mandatory = true, ParameterSetName = SweepSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "ModelPath")]
    [ValidateNotNullOrEmpty]
    public string[] Model { get; set; } = Array.Empty<string>();

    [Parameter(ParameterSetName = SweepSet)] public int[]? Threads { get; set; }
    [Parameter(ParameterSetName = SweepSet)] public int[]? GpuLayers { get; set; }
    [Parameter(ParameterSetName = SweepSet)] public int[]? ContextSize { get; set; }
    [Parameter(ParameterSetName = SweepSet)] public int[]? PromptTokens { get; set; }
    [Parameter(ParameterSetName = SweepSet)] public int[]? GenerationTokens { get; set; }
    [Parameter(ParameterSetName = SweepSet)] public int[]? Depth { get; set; }
    [Parameter(ParameterSetName = SweepSet)] [ValidateRange(1, int.MaxValue)] public int Repetitions { get; set; } = BenchmarkPlan.DefaultRepetitions;
    [Parameter(ParameterSetName = SweepSet)] [ValidateRange(0, int.MaxValue)] public int Warmups { get; set; } = BenchmarkPlan.DefaultWarmups;
    [Parameter(ParameterSetName = SweepSet)] [ValidateRange(0.0, double.MaxValue)] public double CooldownSeconds { get; set; }
    [Parameter(ParameterSetName = SweepSet)] public SwitchParameter MeasureEnergy { get; set; }
    [Parameter(ParameterSetName = SweepSet)] [ValidateRange(0.1, 100.0)] public double QuietBelow { get; set; }
    [Parameter(ParameterSetName = SweepSet)] [ValidateRange(0.0, 86400.0)] public double QuietMaxWaitSeconds { get; set; } = 300;
    [Parameter(ParameterSetName = SweepSet)] [ValidateRange(0.0, double.MaxValue)] public double BaselineSeconds { get; set; } = BenchmarkPlan.DefaultBaselineSeconds;

    /// <summary>A text to score each model's perplexity over once, before its speed runs; the figures go on every run.</summary>
    [Parameter(ParameterSetName = SweepSet)] [ValidateNotNullOrEmpty] public string? QualityTextPath { get; set; }

    /// <summary>The quality reference: a .gguf path, or a quantization (F16, Q8_0) among the swept files of the same model.</summary>
    [Parameter(ParameterSetName = SweepSet)] [ValidateNotNullOrEmpty] public string? QualityReference { get; set; }
    [Parameter(ParameterSetName = SweepSet)] [ValidateRange(8, 32768)] public int QualityContextSize { get; set; } = EdgeLm.Core.Perplexity.QualitySettings.DefaultContextSize;
    [Parameter(ParameterSetName = SweepSet)] [ValidateRange(1, int.MaxValue)] public int QualityChunks { get; set; }

    /// <summary>The results file (JSONL); with -Plan, overrides the plan's output. Without one, results are only written to the pipeline.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputPath { get; set; }

    [Parameter]
    public SwitchParameter Resume { get; set; }

    /// <summary>Run a plan or sweep that expands to more than 10,000 runs (refused otherwise, with its size).</summary>
    [Parameter]
    public SwitchParameter AllowLarge { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? NativeLibraryPath { get; set; }

    private readonly List<string> _models = new();

    protected override void ProcessRecord()
    {
        if (ParameterSetName == SweepSet)
        {
            _models.AddRange(Model.Select(m => ResolveFileSystemPath(m, nameof(Model))));
        }
    }

    protected override void EndProcessing()
    {
        string? output = OutputPath is null ? null : ResolveFileSystemPath(OutputPath, nameof(OutputPath));
        string? nativeDirectory = NativeLibraryPath is null ? null : ResolveFileSystemPath(NativeLibraryPath, nameof(NativeLibraryPath));
        LoadedPlan plan;
        try
        {
            plan = ParameterSetName == PlanSet ? PlanReader.Read(ResolveFileSystemPath(Plan, nameof(Plan)), AllowLarge.IsPresent) : Sweep().ToPlan();
        }
        catch (EdgeLm.Core.EdgeLmException e)
        {
            ThrowTerminatingError(ToErrorRecord(e, ParameterSetName == PlanSet ? Plan : null));
            return;
        }

        RunForItem(plan.File, call =>
        {
            var options = new BenchmarkOptions
            {
                OutputPath = output,
                Resume = Resume.IsPresent,
                NativeDirectory = nativeDirectory,
                Notice = call.WriteWarning,
                Host = new InferenceHostOptions
                {
                    Worker = WorkerHost.Find(),
                    Log = LlamaLogTo(() => call),
                    Warning = call.WriteWarning,
                },
            };
            var progress = new BenchmarkProgressWriter(call);
            foreach (InferenceResult result in BenchmarkRunner.Run(plan, options, progress, call.CancellationToken))
            {
                call.WriteObject(result);
            }
        });
    }

    private BenchmarkSweep Sweep() => new()
    {
        Models = _models,
        Threads = Threads,
        GpuLayers = GpuLayers,
        Contexts = ContextSize,
        PromptTokens = PromptTokens,
        GenerationTokens = GenerationTokens,
        Depths = Depth,
        Repetitions = Repetitions,
        Warmups = Warmups,
        CooldownSeconds = CooldownSeconds,
        MeasureEnergy = MeasureEnergy.IsPresent,
        BaselineSeconds = IsBound(nameof(BaselineSeconds)) ? BaselineSeconds : null,
        Folder = SessionState.Path.CurrentFileSystemLocation.Path,
        AllowLarge = AllowLarge.IsPresent,
        QuietBelow = IsBound(nameof(QuietBelow)) ? QuietBelow : null,
        QuietMaxWaitSeconds = IsBound(nameof(QuietMaxWaitSeconds)) ? QuietMaxWaitSeconds : null,
        QualityText = QualityTextPath is null ? null : ResolveFileSystemPath(QualityTextPath, nameof(QualityTextPath)),
        // A quantization name stays a name; a path is resolved as PowerShell resolves paths.
        QualityReference = QualityReference is null || !(QualityReference.Contains('/') || QualityReference.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase))
            ? QualityReference : ResolveFileSystemPath(QualityReference, nameof(QualityReference)),
        QualityContextSize = IsBound(nameof(QualityContextSize)) ? QualityContextSize : null,
        QualityChunks = IsBound(nameof(QualityChunks)) ? QualityChunks : null,
    };

    private sealed class BenchmarkProgressWriter(CoreCall call) : IProgress<BenchmarkProgress>
    {
        public void Report(BenchmarkProgress value)
        {
            var record = new ProgressRecord(1, "Invoke-EdgeBenchmark", $"{value.Done} of {value.Total} runs: {value.Configuration} {value.Status}".Trim())
            {
                PercentComplete = (int)Math.Clamp(value.Fraction * 100, 0, 100),
                SecondsRemaining = value.Remaining is TimeSpan left ? (int)left.TotalSeconds : -1,
            };
            call.WriteProgress(record);
        }
    }
}
