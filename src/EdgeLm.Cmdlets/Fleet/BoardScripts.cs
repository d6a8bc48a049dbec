namespace EdgeLm.Cmdlets.Fleet;

/// <summary>
/// The PowerShell that drives one board. <see cref="Board"/> runs on this machine (in a child pwsh for a board reached
/// by host name, in a local runspace for a session given) and speaks to <see cref="BoardRun"/> in lines: `R json` a
/// record as the board saved it, `F json` a line of the board's results file read back, `P percent TAB seconds TAB
/// status` progress, `W` a warning, `I` information, `E id TAB category TAB message` an error, `D completed|stopped`
/// the end. Records travel as the board's own JSON lines, so nothing is lost converting objects.
/// </summary>
internal static class BoardScripts
{
    /// <summary>
    /// Board side: the plan run with -Resume against the board's own file; after each record, the lines the file grew
    /// by (the record is appended and synced before it is written to the pipeline), from where the file ended before.
    /// </summary>
    private const string Run = """
        param([string] $Plan, [string] $Results, [bool] $AllowLarge, [string] $NativeLibraryPath)
        $start = if (Test-Path -LiteralPath $Results) { (Get-Item -LiteralPath $Results).Length } else { 0 }
        $benchmark = @{ Plan = $Plan; OutputPath = $Results; Resume = $true }
        if ($AllowLarge) { $benchmark.AllowLarge = $true }
        if ($NativeLibraryPath) { $benchmark.NativeLibraryPath = $NativeLibraryPath }
        $reader = $null
        try {
            Invoke-EdgeBenchmark @benchmark | ForEach-Object {
                if (-not $reader) {
                    # A half line cut by an earlier kill was removed on open: the file may now end before $start.
                    $stream = [IO.FileStream]::new($Results, 'Open', 'Read', 'ReadWrite')
                    $null = $stream.Seek([Math]::Min($start, $stream.Length), 'Begin')
                    $reader = [IO.StreamReader]::new($stream)
                }
                while ($null -ne ($line = $reader.ReadLine())) { if ($line.Trim()) { $line } }
            }
        }
        finally { if ($reader) { $reader.Dispose() } }
        """;

    /// <summary>
    /// Board side: the plan's text saved in its EdgeLm cache (the module's CacheFolder rule), beside its results file;
    /// without -Resume an earlier results file of the same plan is set aside as .previous, so the runs are made afresh.
    /// </summary>
    private const string Prepare = """
        param([string] $PlanText, [string] $Stem, [string] $Folder, [bool] $Fresh)
        $ErrorActionPreference = 'Stop'
        $cache = if ($env:EDGELM_CACHE_DIR) { $env:EDGELM_CACHE_DIR }
            elseif ($env:XDG_CACHE_HOME) { Join-Path $env:XDG_CACHE_HOME 'edgelm' }
            else { Join-Path $HOME '.cache/edgelm' }
        $dir = Join-Path $cache $Folder
        $null = New-Item -ItemType Directory -Force -Path $dir
        $plan = Join-Path $dir "$Stem.yaml"
        $results = Join-Path $dir "$Stem.jsonl"
        [IO.File]::WriteAllText($plan, $PlanText)
        if ($Fresh -and (Test-Path -LiteralPath $results)) { Move-Item -LiteralPath $results -Destination "$results.previous" -Force }
        [pscustomobject]@{ Plan = $plan; Results = $results }
        """;

    /// <summary>This machine's side, for one board: connect, deploy, import, prepare, run, read the board's file back.</summary>
    public const string Board = """
        param(
            [string] $HostName, [int] $Port, [string] $UserName, [string] $KeyFilePath, [hashtable] $Options, [int] $ConnectingTimeout,
            [System.Management.Automation.Runspaces.PSSession] $Session,
            [string] $PlanText, [string] $Stem, [string] $Folder, [bool] $Fresh, [bool] $AllowLarge, [string] $NativeLibraryPath, [string] $DeployFrom)
        $ErrorActionPreference = 'Stop'
        $ProgressPreference = 'SilentlyContinue'
        function Line([string] $Kind, [string[]] $Fields) { "$Kind " + (($Fields | ForEach-Object { "$_" -replace '[\t\r\n]+', ' ' }) -join "`t") }
        function Failed([string] $Id, [string] $Category, [string] $Message) { Line 'E' $Id, $Category, $Message }
        function Status([string] $Text) { Line 'P' '-1', '-1', $Text }
        function Reason($Record) { "$($Record.Exception.Message)".TrimEnd('.') }

        $own = $null
        try {
            if (-not $Session) {
                Status 'connecting'
                $connect = @{ HostName = $HostName; ConnectingTimeout = $ConnectingTimeout }
                if ($Port -gt 0) { $connect.Port = $Port }
                if ($UserName) { $connect.UserName = $UserName }
                if ($KeyFilePath) { $connect.KeyFilePath = $KeyFilePath }
                if ($Options) { $connect.Options = $Options }
                try { $Session = $own = New-PSSession @connect }
                catch { Failed 'BoardUnreachable' 'ConnectionError' "could not connect ($(Reason $_))"; return }
            }

            if ($DeployFrom) {
                Status "copying the EdgeLm module from $DeployFrom"
                try {
                    # The board user's module path: the first PSModulePath entry under its home, else pwsh's default.
                    $target = Invoke-Command -Session $Session -ScriptBlock {
                        $modules = @($env:PSModulePath -split [IO.Path]::PathSeparator | Where-Object { $_ -and $_.StartsWith($HOME) })[0]
                        if (-not $modules) { $modules = Join-Path $HOME '.local/share/powershell/Modules' }
                        $target = Join-Path $modules 'EdgeLm'
                        if (Test-Path -LiteralPath $target) { Remove-Item -LiteralPath $target -Recurse -Force }
                        $null = New-Item -ItemType Directory -Force -Path $modules
                        $target
                    }
                    Copy-Item -LiteralPath $DeployFrom -Destination $target -ToSession $Session -Recurse -Force
                    $files = @(Get-ChildItem -LiteralPath $DeployFrom -Recurse -File)
                    $mib = ($files | Measure-Object -Property Length -Sum).Sum / 1MB
                    Line 'I' "copied the EdgeLm module ($($files.Count) files, $($mib.ToString('0.0', [cultureinfo]::InvariantCulture)) MiB) from $DeployFrom to $target"
                }
                catch { Failed 'BoardDeployFailed' 'WriteError' "could not copy the module folder $DeployFrom there ($(Reason $_))"; return }
            }

            Status 'importing EdgeLm'
            try { Invoke-Command -Session $Session -ScriptBlock { Import-Module EdgeLm -ErrorAction Stop } }
            catch {
                Failed 'BoardModuleMissing' 'ObjectNotFound' ("Import-Module EdgeLm failed there ($(Reason $_)); install the module on the board " +
                    '(Import-Module EdgeLm must work there), or give -DeployModule to copy this one')
                return
            }

            Status 'saving the plan'
            try { $prepared = Invoke-Command -Session $Session -ScriptBlock ([scriptblock]::Create(@'
        <<PREPARE>>
        '@)) -ArgumentList $PlanText, $Stem, $Folder, $Fresh }
            catch { Failed 'BoardPlanNotSaved' 'WriteError' "could not save the plan in its EdgeLm cache ($(Reason $_))"; return }

            # The board's pipeline, polled: its records, progress, warnings and errors as they come.
            Status 'starting the plan'
            $shell = [powershell]::Create()
            $shell.Runspace = $Session.Runspace
            $null = $shell.AddScript(@'
        <<RUN>>
        '@).AddParameter('Plan', $prepared.Plan).AddParameter('Results', $prepared.Results).AddParameter('AllowLarge', $AllowLarge).AddParameter('NativeLibraryPath', $NativeLibraryPath)
            $inputs = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $inputs.Complete()
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $seen = @{ Output = 0; Progress = 0; Warning = 0; Error = 0 }
            $drain = {
                while ($seen.Output -lt $output.Count) { Line 'R' "$($output[$seen.Output])"; $seen.Output++ }
                while ($seen.Progress -lt $shell.Streams.Progress.Count) {
                    $p = $shell.Streams.Progress[$seen.Progress]; $seen.Progress++
                    if ($p.RecordType -ne 'Completed') { Line 'P' "$($p.PercentComplete)", "$($p.SecondsRemaining)", $p.StatusDescription }
                }
                while ($seen.Warning -lt $shell.Streams.Warning.Count) { Line 'W' $shell.Streams.Warning[$seen.Warning].Message; $seen.Warning++ }
                while ($seen.Error -lt $shell.Streams.Error.Count) {
                    $e = $shell.Streams.Error[$seen.Error]; $seen.Error++
                    Failed ($e.FullyQualifiedErrorId -split ',')[0] "$($e.CategoryInfo.Category)" (Reason $e)
                }
            }
            $async = $shell.BeginInvoke($inputs, $output)
            while (-not $async.AsyncWaitHandle.WaitOne(200)) { . $drain }
            $ran = $true
            try { $shell.EndInvoke($async) }
            catch {
                $ran = $false
                $thrown = $_.Exception
                if ($thrown -is [System.Management.Automation.MethodInvocationException] -and $thrown.InnerException) { $thrown = $thrown.InnerException }
                $state = $Session.Runspace.RunspaceStateInfo.State
                if ($thrown -is [System.Management.Automation.Remoting.PSRemotingTransportException] -or "$state" -in 'Broken', 'Closed') {
                    Failed 'BoardDropped' 'ConnectionError' ("the connection dropped ($("$($thrown.Message)".TrimEnd('.'))); the board's runs are saved " +
                        'in its own results file: run the same command with -Resume to finish it')
                    return
                }
                $inner = if ($thrown.ErrorRecord) { $thrown.ErrorRecord } else { $_ }
                Failed ($inner.FullyQualifiedErrorId -split ',')[0] "$($inner.CategoryInfo.Category)" (Reason $inner)
            }
            . $drain
            if ($shell.HadErrors) { $ran = $false }

            Status 'reading its results file'
            try {
                $text = Invoke-Command -Session $Session -ArgumentList $prepared.Results -ScriptBlock {
                    param([string] $Results)
                    if (Test-Path -LiteralPath $Results) { [IO.File]::ReadAllText($Results) }
                }
            }
            catch { Failed 'BoardResultsUnreadable' 'ReadError' "could not read its results file $($prepared.Results) ($(Reason $_))"; return }
            foreach ($line in "$text" -split "`n") { if ($line.Trim()) { Line 'F' $line.Trim() } }
            Line 'D' $(if ($ran) { 'completed' } else { 'stopped' })
        }
        finally { if ($own) { Remove-PSSession -Session $own -ErrorAction SilentlyContinue } }
        """;

    /// <summary>The board script with the two board-side scripts in place.</summary>
    public static string Text { get; } = Board.Replace("<<PREPARE>>", Prepare).Replace("<<RUN>>", Run);

    /// <summary>
    /// What a child pwsh runs: its parameters as a JSON line on stdin, then the board script; each line it writes goes
    /// to stdout at once.
    /// </summary>
    public const string Child = """
        $parameters = [Console]::In.ReadLine() | ConvertFrom-Json -AsHashtable
        if ($parameters.Options) { $parameters.Options = [hashtable]$parameters.Options }
        $script = [scriptblock]::Create([Console]::In.ReadToEnd())
        & $script @parameters | ForEach-Object { [Console]::Out.WriteLine($_); [Console]::Out.Flush() }
        """;
}
