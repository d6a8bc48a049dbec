using EdgeLm.Core.Settings;
using System.Management.Automation;
using EdgeLm.Core;
using EdgeLm.Core.Engine;
using EdgeLm.Core.Host;
using EdgeLm.Core.Worker;
using EdgeLm.Core.Devices;

namespace EdgeLm.Cmdlets.Commands;

/// <summary>
/// Runs a prompt through a model with llama.cpp and measures it: one InferenceResult per run. Runs happen in a
/// worker process that keeps the model loaded for every prompt piped to one invocation; a worker that dies
/// becomes an error for that prompt and the next prompt gets a fresh worker.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "EdgeInference", DefaultParameterSetName = PromptSet)]
[OutputType(typeof(InferenceResult))]
public sealed class InvokeEdgeInferenceCommand : EdgeLmCmdlet
{
    private const string PromptSet = "Prompt";
    private const string PromptTokensSet = "PromptTokens";
    private const int ProgressActivity = 1;

    private InferenceHost? _host;
    private CoreCall? _current;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "ModelPath")]
    [ValidateNotNullOrEmpty]
    public string Model { get; set; } = string.Empty;

    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ParameterSetName = PromptSet)]
    [TextOnlyTransformation]
    [AllowEmptyString]
    public string Prompt { get; set; } = string.Empty;

    /// <summary>A prompt of this many seeded random token ids (llama-bench style) instead of text.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PromptTokensSet)]
    [ValidateRange(1, int.MaxValue)]
    public int PromptTokens { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int MaxTokens { get; set; } = 128;

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Threads { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int ContextSize { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int BatchSize { get; set; }

    [Parameter]
    [ValidateRange(-1, int.MaxValue)]
    public int GpuLayers { get; set; }

    [Parameter]
    [ValidateRange(0.0f, 100.0f)]
    public float Temperature { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int TopK { get; set; }

    [Parameter]
    [ValidateRange(0.0f, 1.0f)]
    public float TopP { get; set; }

    [Parameter]
    [ValidateRange(0.0f, 1.0f)]
    public float MinP { get; set; }

    [Parameter]
    public uint Seed { get; set; }

    [Parameter]
    public SwitchParameter StopAtEos { get; set; }

    /// <summary>Flash attention: Auto (llama.cpp decides), On or Off.</summary>
    [Parameter]
    public FlashAttention FlashAttention { get; set; } = FlashAttention.Auto;

    /// <summary>Measured runs of the same prompt (the model loads once).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Repeat { get; set; } = 1;

    /// <summary>Unmeasured runs before the measured ones; emitted (Warmup = $true) only with -IncludeWarmup.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Warmup { get; set; }

    [Parameter]
    public SwitchParameter IncludeWarmup { get; set; }

    /// <summary>"model" for the model's own chat template, or a llama.cpp built-in name such as chatml or llama3.</summary>
    [Parameter(ParameterSetName = PromptSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ChatTemplateCompleter))]
    public string? ChatTemplate { get; set; }

    /// <summary>Measures energy of every run (EnergyJoules, JoulesPerToken, prefill and decode energy).</summary>
    [Parameter]
    public SwitchParameter MeasureEnergy { get; set; }

    /// <summary>Power sources to read ('+'-joined names from Get-EdgePowerSource); default: the widest trustworthy scope.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PowerSourceCompleter))]
    public string? EnergySource { get; set; }

    /// <summary>Idle baseline before the first run, measured once per session and power source (default 10 s; 0 = none).</summary>
    [Parameter]
    [ValidateRange(0.0, double.MaxValue)]
    public double BaselineSeconds { get; set; }

    /// <summary>An external meter, KIND=ADDRESS (shelly-gen1, shelly-gen2, tasmota, command).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MeterCompleter))]
    public string? Meter { get; set; }

    /// <summary>Run llama.cpp in this PowerShell process instead of a worker: for debugging only.</summary>
    [Parameter]
    public SwitchParameter InProcess { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? NativeLibraryPath { get; set; }

    protected override void BeginProcessing()
    {
        WorkerLaunch? worker = null;
        try
        {
            EdgeLm.Core.Energy.EnergyArguments.RequireMeasureEnergy(MeasureEnergy.IsPresent, EnergySource, Meter, IsBound(nameof(BaselineSeconds)) ? BaselineSeconds : null);
            worker = InProcess.IsPresent ? null : WorkerHost.Find();
        }
        catch (EdgeLmException e)
        {
            ThrowTerminatingError(ToErrorRecord(e, null));
        }

        _host = new InferenceHost(new InferenceHostOptions
        {
            Worker = worker,
            // The host outlives one record's call; these forward to whichever call is running.
            Log = LlamaLogTo(() => _current),
            Warning = message => _current?.WriteWarning(message),
        });
    }

    protected override void ProcessRecord()
    {
        string modelPath = ResolveFileSystemPath(Model, nameof(Model));
        RunSettings request = BuildRequest(modelPath);
        WriteVerbose($"Running {modelPath}: {MaxTokens} tokens, {Repeat} run(s) after {Warmup} warm-up(s)");
        RunForItem(modelPath, call =>
        {
            _current = call;
            try
            {
                var progress = new Progress(call);
                foreach (InferenceResult result in _host!.Run(request, progress, call.CancellationToken))
                {
                    call.WriteObject(result);
                }
            }
            finally
            {
                _current = null;
            }
        });
    }

    protected override void EndProcessing() => ReleaseResources();

    protected override void ReleaseResources()
    {
        _host?.Dispose();
        _host = null;
    }

    private RunSettings BuildRequest(string modelPath)
    {
        // Only what the user bound is taken; Core's defaults stand for the rest.
        var defaults = new RunSettings();
        T Bound<T>(string name, T value, T otherwise) => IsBound(name) ? value : otherwise;
        return new RunSettings
        {
            ModelPath = modelPath,
            MaxTokens = MaxTokens,
            PromptTokens = ParameterSetName == PromptTokensSet ? PromptTokens : null,
            Prompt = ParameterSetName == PromptTokensSet ? null : Prompt,
            Threads = Bound<int?>(nameof(Threads), Threads, defaults.Threads),
            ContextSize = Bound<int?>(nameof(ContextSize), ContextSize, defaults.ContextSize),
            BatchSize = Bound<int?>(nameof(BatchSize), BatchSize, defaults.BatchSize),
            GpuLayers = Bound(nameof(GpuLayers), GpuLayers, defaults.GpuLayers),
            Temperature = Bound(nameof(Temperature), Temperature, defaults.Temperature),
            TopK = Bound(nameof(TopK), TopK, defaults.TopK),
            TopP = Bound(nameof(TopP), TopP, defaults.TopP),
            MinP = Bound(nameof(MinP), MinP, defaults.MinP),
            Seed = Bound(nameof(Seed), Seed, defaults.Seed),
            StopAtEos = Bound(nameof(StopAtEos), StopAtEos.IsPresent, defaults.StopAtEos),
            Repeat = Bound(nameof(Repeat), Repeat, defaults.Repeat),
            Warmup = Bound(nameof(Warmup), Warmup, defaults.Warmup),
            FlashAttention = Bound(nameof(FlashAttention), FlashAttention, defaults.FlashAttention),
            IncludeWarmup = IncludeWarmup.IsPresent,
            MeasureEnergy = MeasureEnergy.IsPresent,
            EnergySource = EnergySource,
            Meter = Meter,
            BaselineSeconds = Bound(nameof(BaselineSeconds), BaselineSeconds, defaults.BaselineSeconds),
            InProcess = InProcess.IsPresent,
            ChatTemplate = ChatTemplate,
            NativeDirectory = NativeLibraryPath is null ? null : ResolveFileSystemPath(NativeLibraryPath, nameof(NativeLibraryPath)),
        };
    }

    /// <summary>Write-Progress for runs and tokens: one bar for the whole request.</summary>
    private sealed class Progress(CoreCall call) : IProgress<InferenceProgress>
    {
        private string _last = string.Empty;

        public void Report(InferenceProgress value)
        {
            string status = value.Status;
            if (status == _last)
            {
                return;
            }

            _last = status;
            call.WriteProgress(new ProgressRecord(ProgressActivity, $"Invoke-EdgeInference {value.ModelName}", status)
            {
                PercentComplete = (int)Math.Clamp(value.Fraction * 100, 0, 100),
            });
        }
    }
}
