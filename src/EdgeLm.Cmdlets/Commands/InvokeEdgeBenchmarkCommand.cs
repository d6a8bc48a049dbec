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
    [Parameter(ParameterSetName = SweepSet)] [ValidateRange(1, int.MaxValue)] public int Repetitions { get; set; } = 3;
    [Parameter(ParameterSetName = SweepSet)] [ValidateRange(0, int.MaxValue)] public int Warmups { get; set; } = 1;
    [Parameter(ParameterSetName = SweepSet)] [ValidateRange(0.0, double.MaxValue)] public double CooldownSeconds { get; set; }
    [Parameter(ParameterSetName = SweepSet)] public SwitchParameter MeasureEnergy { get; set; }
    [Parameter(ParameterSetName = SweepSet)] [ValidateRange(0.0, double.MaxValue)] public double BaselineSeconds { get; set; } = 10;

    /// <summary>The results file (JSONL); with -Plan, overrides the plan's output.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputPath { get; set; }

    [Parameter]
    public SwitchParameter Resume { get; set; }

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
        LoadedPlan plan;
        try
        {
            plan = ParameterSetName == PlanSet ? PlanReader.Read(ResolveFileSystemPath(Plan, nameof(Plan))) : SweepPlan(output);
        }
        catch (EdgeLm.Core.EdgeLmException e)
        {
            ThrowTerminatingError(ToErrorRecord(e, Plan));
            return;
        }

        RunForItem(plan.File, call =>
        {
            var options = new BenchmarkOptions
            {
                OutputPath = output,
                Resume = Resume.IsPresent,
                Notice = call.WriteWarning,
                Host = new InferenceHostOptions
                {
                    Worker = WorkerHost.Find(),
                    Log = IsVerbose() ? line => call.WriteVerbose("llama.cpp: " + line) : null,
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

    // The parameters as a plan, validated the same way (as YAML, so errors read the same).
    private LoadedPlan SweepPlan(string? output)
    {
        if (output is null)
        {
            throw new EdgeLm.Core.EdgeLmArgumentException("NoOutput", "a sweep needs -OutputPath for its results file");
        }

        static string List(IEnumerable<int>? values, string fallback) => values is null ? fallback : "[" + string.Join(", ", values) + "]";
        string yaml = string.Join("\n", new[]
        {
            "models:",
            string.Join("\n", _models.Select(m => $"  - path: '{m.Replace("'", "''")}'")),
            Threads is null ? null : $"threads: {List(Threads, "")}",
            ContextSize is null ? null : $"contexts: {List(ContextSize, "")}",
            $"gpuLayers: {List(GpuLayers, "[0]")}",
            $"promptTokens: {List(PromptTokens, "[128]")}",
            $"generationTokens: {List(GenerationTokens, "[128]")}",
            $"depths: {List(Depth, "[0]")}",
            $"repetitions: {Repetitions}",
            $"warmups: {Warmups}",
            CooldownSeconds > 0 ? $"cooldown: {{ seconds: {CooldownSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} }}" : null,
            $"energy: {(MeasureEnergy.IsPresent ? "true" : "false")}",
            $"baselineSeconds: {BaselineSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
        }.OfType<string>());
        return PlanReader.Parse(yaml, Path.Combine(SessionState.Path.CurrentFileSystemLocation.Path, "(parameters)"));
    }

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
