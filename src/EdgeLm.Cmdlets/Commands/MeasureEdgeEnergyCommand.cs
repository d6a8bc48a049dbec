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
        EnergySession? session = null;
        try
        {
            // Discovery and the baseline run off the pipeline thread (cancellable); the script block must run on it.
            session = RunCore(call =>
            {
                EnergySession opened = EnergySession.Open(options);
                foreach (string warning in opened.Selection.Warnings)
                {
                    call.WriteVerbose(warning);
                }

                return opened;
            });
            double? idle = null;
            if (BaselineSeconds > 0)
            {
                EnergySession s = session;
                idle = RunCore(call =>
                {
                    call.WriteProgress(new ProgressRecord(1, "Measure-EdgeEnergy", $"idle baseline ({BaselineSeconds:0.#} s)") { PercentComplete = -1 });
                    return s.MeasureBaseline(BaselineSeconds, call.CancellationToken);
                });
            }

            long from = session.Begin();
            ScriptOutcome? outcome = null;
            if (ParameterSetName == ScriptSet)
            {
                outcome = RunScript();
            }
            else
            {
                RunCore(call => call.CancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(Duration)));
                StopToken.ThrowIfCancellationRequested();
            }

            EnergyMeasurement measurement = session.End(from, idle, BaselineSeconds > 0 ? BaselineSeconds : null, outcome?.ExitCode);
            if (outcome is not null)
            {
                measurement.Succeeded = outcome.Error is null && outcome.ExitCode is null or 0;
                measurement.ErrorMessage = outcome.Error?.Exception.Message;
            }

            // The measurement first: a block that threw still cost energy, and with -ErrorAction Stop the error ends the pipeline.
            WriteObject(measurement);
            if (outcome?.Error is ErrorRecord error)
            {
                WriteError(error);
            }
        }
        catch (Exception e) when (e is EdgeLm.Core.EdgeLmException)
        {
            ReportError(e, Source);
        }
        finally
        {
            session?.Dispose();
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
