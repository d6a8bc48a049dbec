using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using EdgeLm.Cmdlets.Fleet;
using EdgeLm.Core.Benchmarks;
using EdgeLm.Core.Engine;
using EdgeLm.Core.Host;
using EdgeLm.Core.Worker;
using EdgeLm.Core.Devices;

namespace EdgeLm.Cmdlets.Commands;

/// <summary>
/// Runs a benchmark: a YAML plan (-Plan), or a one-off sweep from parameters. Emits one InferenceResult per run as it
/// completes and appends it to the results file (flushed and synced); -Resume skips runs already there. With -HostName
/// or -Session, runs the plan on every board over PowerShell remoting, merging their records into one file (Fleet/).
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "EdgeBenchmark", DefaultParameterSetName = PlanSet)]
[OutputType(typeof(InferenceResult))]
public sealed class InvokeEdgeBenchmarkCommand : EdgeLmCmdlet
{
    private const string PlanSet = "Plan";
    private const string SweepSet = "Sweep";
    private const string FleetHostSet = "FleetHost";
    private const string FleetSessionSet = "FleetSession";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PlanSet)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = FleetHostSet)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = FleetSessionSet)]
    [ValidateNotNullOrEmpty]
    public string Plan { get; set; } = string.Empty;

    /// <summary>The boards to run the plan on over SSH: host, or host:port.</summary>
    [Parameter(Mandatory = true, ParameterSetName = FleetHostSet)]
    [ValidateNotNullOrEmpty]
    public string[] HostName { get; set; } = Array.Empty<string>();

    [Parameter(ParameterSetName = FleetHostSet)] [ValidateNotNullOrEmpty] public string? UserName { get; set; }
    [Parameter(ParameterSetName = FleetHostSet)] [ValidateNotNullOrEmpty] public string? KeyFilePath { get; set; }

    /// <summary>The SSH port of every board whose -HostName names none.</summary>
    [Parameter(ParameterSetName = FleetHostSet)] [ValidateRange(1, 65535)] public int Port { get; set; }

    /// <summary>ssh -o options for every board (New-PSSession -Options), e.g. @{ ConnectTimeout = 10 }.</summary>
    [Parameter(ParameterSetName = FleetHostSet)] public Hashtable? SshOption { get; set; }

    /// <summary>Sessions already open to the boards (New-PSSession); they are left open.</summary>
    [Parameter(Mandatory = true, ParameterSetName = FleetSessionSet)]
    [ValidateNotNullOrEmpty]
    public PSSession[] Session { get; set; } = Array.Empty<PSSession>();

    /// <summary>Copy this module's folder to each board's user module path before running.</summary>
    [Parameter(ParameterSetName = FleetHostSet)]
    [Parameter(ParameterSetName = FleetSessionSet)]
    public SwitchParameter DeployModule { get; set; }

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
        if (ParameterSetName is FleetHostSet or FleetSessionSet)
        {
            RunFleet();
            return;
        }

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

    /// <summary>The plan on every board: its text sent to each, their records merged into -OutputPath.</summary>
    private void RunFleet()
    {
        if (OutputPath is null)
        {
            ThrowTerminatingError(new ErrorRecord(new PSArgumentException(
                "a fleet's records are merged into one results file: give -OutputPath (a .jsonl file on this machine)", nameof(OutputPath)),
                "FleetWithoutOutput", ErrorCategory.InvalidArgument, null));
        }

        string output = ResolveFileSystemPath(OutputPath!, nameof(OutputPath));
        string planFile = ResolveFileSystemPath(Plan, nameof(Plan));
        IReadOnlyList<BoardTarget> boards;
        string planText;
        try
        {
            planText = File.ReadAllText(planFile);
            boards = ParameterSetName == FleetHostSet
                ? FleetBoards.Parse(HostName, IsBound(nameof(Port)) ? Port : null).Select(b => new BoardTarget(b.Name, b, null)).ToArray()
                : SessionBoards();
        }
        catch (Exception e) when (e is EdgeLm.Core.EdgeLmException or IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(ToErrorRecord(e, e is EdgeLm.Core.EdgeLmException ? HostName : Plan));
            return;
        }

        var request = new FleetRequest
        {
            PlanText = planText,
            Resume = Resume.IsPresent,
            AllowLarge = AllowLarge.IsPresent,
            NativeLibraryPath = NativeLibraryPath,
            DeployFrom = DeployModule.IsPresent ? ModuleFolder() : null,
            UserName = UserName,
            KeyFilePath = KeyFilePath is null ? null : ResolveFileSystemPath(KeyFilePath, nameof(KeyFilePath)),
            SshOptions = SshOption,
        };
        RunForItem(output, call => FleetRun.Run(boards, request, output, call));
    }

    // Sessions named by their computer; two sessions to one computer also by their session names.
    private BoardTarget[] SessionBoards()
    {
        PSSession[] sessions = Session.DistinctBy(s => s.InstanceId).ToArray();
        return sessions.Select(s => new BoardTarget(
            sessions.Count(o => o.ComputerName == s.ComputerName) > 1 ? $"{s.ComputerName} ({s.Name})" : s.ComputerName, null, s)).ToArray();
    }

    // The module folder this command was loaded from: bin/EdgeLm.Cmdlets.dll sits one level below EdgeLm.psd1.
    private string ModuleFolder()
    {
        string folder = Path.GetDirectoryName(Path.GetDirectoryName(typeof(InvokeEdgeBenchmarkCommand).Assembly.Location)!)!;
        if (!File.Exists(Path.Combine(folder, "EdgeLm.psd1")))
        {
            ThrowTerminatingError(new ErrorRecord(new PSArgumentException(
                $"-DeployModule copies the module folder this command was loaded from, but {folder} has no EdgeLm.psd1; import the module from its folder (out/EdgeLm) and try again",
                nameof(DeployModule)), "ModuleFolderNotFound", ErrorCategory.ObjectNotFound, folder));
        }

        return folder;
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
