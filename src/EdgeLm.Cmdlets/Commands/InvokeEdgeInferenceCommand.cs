using System.Management.Automation;
using EdgeLm.Core.Inference;

namespace EdgeLm.Cmdlets.Commands;

/// <summary>Runs a prompt through a model with llama.cpp and measures it: one InferenceResult per run.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "EdgeInference")]
[OutputType(typeof(InferenceResult))]
public sealed class InvokeEdgeInferenceCommand : EdgeLmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "ModelPath")]
    [ValidateNotNullOrEmpty]
    public string Model { get; set; } = string.Empty;

    [Parameter(Position = 1, ValueFromPipeline = true)]
    [TextOnlyTransformation]
    [AllowEmptyString]
    public string? Prompt { get; set; }

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

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? NativeLibraryPath { get; set; }

    protected override void ProcessRecord()
    {
        string modelPath = ResolveFileSystemPath(Model, nameof(Model));
        // Only what the user bound is set; Core's defaults stand for the rest.
        var request = new InferenceRequest
        {
            ModelPath = modelPath,
            Prompt = Prompt,
            MaxTokens = MaxTokens,
        };
        if (IsBound(nameof(Threads))) request.Threads = Threads;
        if (IsBound(nameof(ContextSize))) request.ContextSize = ContextSize;
        if (IsBound(nameof(BatchSize))) request.BatchSize = BatchSize;
        if (IsBound(nameof(GpuLayers))) request.GpuLayers = GpuLayers;
        if (IsBound(nameof(Temperature))) request.Temperature = Temperature;
        if (IsBound(nameof(TopK))) request.TopK = TopK;
        if (IsBound(nameof(TopP))) request.TopP = TopP;
        if (IsBound(nameof(MinP))) request.MinP = MinP;
        if (IsBound(nameof(Seed))) request.Seed = Seed;
        if (IsBound(nameof(StopAtEos))) request.StopAtEos = StopAtEos.IsPresent;
        if (IsBound(nameof(Repeat))) request.Repeat = Repeat;
        if (IsBound(nameof(FlashAttention))) request.FlashAttention = FlashAttention;
        if (NativeLibraryPath is not null)
        {
            request.NativeDirectory = ResolveFileSystemPath(NativeLibraryPath, nameof(NativeLibraryPath));
        }

        WriteVerbose($"Running {modelPath}: {MaxTokens} tokens");
        RunForItem(modelPath, call =>
        {
            foreach (InferenceResult result in InferenceRunner.Run(request, call.CancellationToken))
            {
                call.WriteObject(result);
            }
        });
    }
}
