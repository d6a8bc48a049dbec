using System.Management.Automation;
using EdgeLm.Core;
using EdgeLm.Core.Host;
using EdgeLm.Core.Quality;
using EdgeLm.Core.Settings;

namespace EdgeLm.Cmdlets.Commands;

/// <summary>
/// Runs a prompt suite (YAML) on each model given or piped: one PromptCheckResult per prompt as its answer completes,
/// or with -Summary one PromptSuiteSummary per model (one type per call, so Format-Table shows either as a table). The first model is the reference the others' answers are compared with.
/// A model that fails is an error for that model; the next one still runs.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "EdgePrompt")]
[OutputType(typeof(PromptCheckResult), typeof(PromptSuiteSummary))]
public sealed class TestEdgePromptCommand : EdgeLmCmdlet
{
    private const int ProgressActivity = 1;

    private PromptSuiteRunner? _runner;
    private CoreCall? _current;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "ModelPath")]
    [ValidateNotNullOrEmpty]
    public string[] Model { get; set; } = Array.Empty<string>();

    /// <summary>The prompt suite: a YAML file of prompts and their checks.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Suite { get; set; } = string.Empty;

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Threads { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int ContextSize { get; set; }

    [Parameter]
    [ValidateRange(-1, int.MaxValue)]
    public int GpuLayers { get; set; }

    /// <summary>Default: the model's own when it has one, else none; 'none', or a llama.cpp built-in name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ChatTemplateCompleter))]
    public string? ChatTemplate { get; set; }

    /// <summary>One PromptSuiteSummary per model instead of the prompt records.</summary>
    [Parameter]
    public SwitchParameter Summary { get; set; }

    /// <summary>Run llama.cpp in this PowerShell process instead of a worker: for debugging only.</summary>
    [Parameter]
    public SwitchParameter InProcess { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? NativeLibraryPath { get; set; }

    protected override void BeginProcessing()
    {
        try
        {
            var machine = new RunSettings
            {
                Threads = IsBound(nameof(Threads)) ? Threads : null,
                ContextSize = IsBound(nameof(ContextSize)) ? ContextSize : null,
                GpuLayers = GpuLayers,
                ChatTemplate = ChatTemplate,
                InProcess = InProcess.IsPresent,
                NativeDirectory = NativeLibraryPath is null ? null : ResolveFileSystemPath(NativeLibraryPath, nameof(NativeLibraryPath)),
            };
            var options = new InferenceHostOptions
            {
                Worker = InProcess.IsPresent ? null : WorkerHost.Find(),
                Log = LlamaLogTo(() => _current),
                Warning = message => _current?.WriteWarning(message),
            };
            _runner = PromptSuiteRunner.Open(ResolveFileSystemPath(Suite, nameof(Suite)), machine, options);
        }
        catch (EdgeLmException e)
        {
            // A bad suite fails every model alike: one terminating error, before any model loads.
            ThrowTerminatingError(ToErrorRecord(e, Suite));
        }
    }

    protected override void ProcessRecord()
    {
        foreach (string model in Model)
        {
            string modelPath = ResolveFileSystemPath(model, nameof(Model));
            WriteVerbose($"Running suite '{_runner!.SuiteName}' ({_runner.PromptCount} prompts) on {modelPath}");
            RunForItem(modelPath, call =>
            {
                _current = call;
                try
                {
                    foreach (PromptCheckResult result in _runner.Run(modelPath, new CallProgress(call), call.CancellationToken))
                    {
                        if (!Summary.IsPresent)
                        {
                            call.WriteObject(result);
                        }
                    }
                }
                finally
                {
                    _current = null;
                }
            });
        }
    }

    protected override void EndProcessing()
    {
        if (_runner is not null && Summary.IsPresent)
        {
            WriteObject(_runner.Summaries, enumerateCollection: true);
        }

        ReleaseResources();
    }

    protected override void ReleaseResources()
    {
        _runner?.Dispose();
        _runner = null;
    }

    /// <summary>Write-Progress for the prompt running: one bar per model.</summary>
    private sealed class CallProgress(CoreCall call) : IProgress<InferenceProgress>
    {
        private string _last = string.Empty;

        public void Report(InferenceProgress value)
        {
            if (value.Status == _last)
            {
                return;
            }

            _last = value.Status;
            call.WriteProgress(new ProgressRecord(ProgressActivity, $"Test-EdgePrompt {value.ModelName}", value.Status)
            {
                PercentComplete = (int)Math.Clamp(value.Fraction * 100, 0, 100),
            });
        }
    }
}
