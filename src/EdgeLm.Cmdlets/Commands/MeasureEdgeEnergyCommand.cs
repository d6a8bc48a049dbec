using System.Management.Automation;
using EdgeLm.Core.Energy;

namespace EdgeLm.Cmdlets.Commands;

/// <summary>
/// Energy while a script block runs (like Measure-Command) or over -Duration seconds, after an optional idle
/// baseline (-BaselineSeconds): gross, idle and net joules with the source, scope and method they come from.
/// The script block's output is discarded, as Measure-Command does.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "EdgeEnergy", DefaultParameterSetName = ScriptSet)]
[OutputType(typeof(EnergyMeasurement))]
public sealed class MeasureEdgeEnergyCommand : EdgeLmCmdlet
{
    private const string ScriptSet = "ScriptBlock";
    private const string DurationSet = "Duration";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ScriptSet)]
    public ScriptBlock ScriptBlock { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = DurationSet)]
    [ValidateRange(0.001, double.MaxValue)]
    public double Duration { get; set; }

    /// <summary>Seconds of idle measured first; 0 (the default) skips the baseline and leaves net energy empty.</summary>
    [Parameter]
    [ValidateRange(0.0, double.MaxValue)]
    public double BaselineSeconds { get; set; }

    /// <summary>Power sources to read ('+'-joined names from Get-EdgePowerSource); default: the widest trustworthy scope.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PowerSourceCompleter))]
    public string? Source { get; set; }

    [Parameter]
    [ValidateRange(1, 60_000)]
    public int IntervalMs { get; set; } = 100;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Root { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MeterCompleter))]
    public string? Meter { get; set; }

    protected override void EndProcessing()
    {
        var options = new EnergyOptions { Root = ResolveRoot(Root), Source = Source, Meter = Meter, Interval = TimeSpan.FromMilliseconds(IntervalMs) };
        ErrorRecord? scriptError = null;
        try
        {
            // Core measures on the worker thread; the script block must run on the pipeline thread, so it is handed there.
            EnergyMeasurement measurement = RunCore(call => EnergyMeasurements.Measure(options, BaselineSeconds,
                ParameterSetName == DurationSet ? Duration : null,
                ParameterSetName == ScriptSet ? _ => call.InvokeOnPipeline(() =>
                {
                    ScriptOutcome outcome = RunScript();
                    scriptError = outcome.Error;
                    return new WorkloadOutcome(outcome.ExitCode, outcome.Error?.Exception.Message);
                }) : null,
                status => call.WriteProgress(new ProgressRecord(1, "Measure-EdgeEnergy", status) { PercentComplete = -1 }),
                call.CancellationToken));
            foreach (string warning in (measurement.Warnings ?? string.Empty).Split("; ", StringSplitOptions.RemoveEmptyEntries))
            {
                WriteVerbose(warning);
            }

            // The measurement first: a block that threw still cost energy, and with -ErrorAction Stop the error ends the pipeline.
            WriteObject(measurement);
            if (scriptError is not null)
            {
                WriteError(scriptError);
            }
        }
        catch (Exception e) when (e is EdgeLm.Core.EdgeLmException)
        {
            ReportError(e, Source);
        }
    }

    private sealed record ScriptOutcome(int? ExitCode, ErrorRecord? Error);

    /// <summary>
    /// Runs the block on the pipeline thread. A throw or terminating error ends it and is kept for after the measurement;
    /// Ctrl+C is not caught. ExitCode is $LASTEXITCODE when a native command in the block set it (else it stays as it was).
    /// </summary>
    private ScriptOutcome RunScript()
    {
        PSVariable? lastExitCode = SessionState.PSVariable.Get("global:LASTEXITCODE");
        object? before = lastExitCode?.Value;
        SessionState.PSVariable.Remove("global:LASTEXITCODE");
        ErrorRecord? error = null;
        try
        {
            ScriptBlock.Invoke();
        }
        catch (RuntimeException e) when (e is not PipelineStoppedException)
        {
            error = e.ErrorRecord is { } record ? new ErrorRecord(record, e) : new ErrorRecord(e, "ScriptBlockFailed", ErrorCategory.OperationStopped, null);
        }

        object? after = SessionState.PSVariable.GetValue("global:LASTEXITCODE");
        if (after is null && before is not null)
        {
            SessionState.PSVariable.Set("global:LASTEXITCODE", before);
        }

        // A block may leave anything in $LASTEXITCODE; only a whole number that fits is an exit code, and no value
        // of it may cost the measurement.
        int? exitCode = after is not null && LanguagePrimitives.TryConvertTo(after, System.Globalization.CultureInfo.InvariantCulture, out int code) ? code : null;
        return new ScriptOutcome(exitCode, error);
    }
}
