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
            if (ParameterSetName == ScriptSet)
            {
                ScriptBlock.Invoke();
            }
            else
            {
                RunCore(call => call.CancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(Duration)));
                StopToken.ThrowIfCancellationRequested();
            }

            WriteObject(session.End(from, idle, BaselineSeconds > 0 ? BaselineSeconds : null));
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
}
