namespace EdgeLm.Cmdlets.Fleet;

/// <summary>
/// The PowerShell a fleet benchmark runs for each board: connecting and deploying in a local runspace (New-PSSession
/// and Copy-Item -ToSession do what users know from them), the rest on the board, in its remote runspace. Each is
/// one step, so a failure says which step failed on which board.
/// </summary>
internal static class BoardScripts
{
    /// <summary>Local: a session to the board over SSH (PowerShell's own transport: ssh, its config and agent).</summary>
    public const string Connect = """
        param([string] $HostName, [int] $Port, [string] $UserName, [string] $KeyFilePath, [hashtable] $Options, [int] $ConnectingTimeout)
        $session = @{ HostName = $HostName; ConnectingTimeout = $ConnectingTimeout; ErrorAction = 'Stop' }
        if ($Port -gt 0) { $session.Port = $Port }
        if ($UserName) { $session.UserName = $UserName }
        if ($KeyFilePath) { $session.KeyFilePath = $KeyFilePath }
        if ($Options) { $session.Options = $Options }
        New-PSSession @session
        """;

    /// <summary>
    /// Local: the module folder copied into the board user's module path (the first PSModulePath entry under its home,
    /// else ~/.local/share/powershell/Modules), replacing an EdgeLm folder there; says what it copied.
    /// </summary>
    public const string Deploy = """
        param([System.Management.Automation.Runspaces.PSSession] $Session, [string] $From)
        $ErrorActionPreference = 'Stop'
        $target = Invoke-Command -Session $Session -ScriptBlock {
            $modules = @($env:PSModulePath -split [IO.Path]::PathSeparator | Where-Object { $_ -and $_.StartsWith($HOME) })[0]
            if (-not $modules) { $modules = Join-Path $HOME '.local/share/powershell/Modules' }
            $target = Join-Path $modules 'EdgeLm'
            if (Test-Path -LiteralPath $target) { Remove-Item -LiteralPath $target -Recurse -Force }
            $null = New-Item -ItemType Directory -Force -Path $modules
            $target
        }
        Copy-Item -LiteralPath $From -Destination $target -ToSession $Session -Recurse -Force
        $files = @(Get-ChildItem -LiteralPath $From -Recurse -File)
        [pscustomobject]@{ Target = $target; Files = $files.Count; Bytes = ($files | Measure-Object -Property Length -Sum).Sum }
        """;

    /// <summary>Local: closes a session this command opened.</summary>
    public const string Disconnect = """
        param([System.Management.Automation.Runspaces.PSSession] $Session)
        Remove-PSSession -Session $Session -ErrorAction SilentlyContinue
        """;

    /// <summary>Board: the module, imported as a user there would; its version.</summary>
    public const string Import = """
        Import-Module EdgeLm -ErrorAction Stop
        (Get-Module EdgeLm).Version.ToString()
        """;

    /// <summary>
    /// Board: the plan's text saved in its EdgeLm cache (the same folder rule as the module's CacheFolder), beside its
    /// results file; without -Resume an earlier results file of the same plan is set aside as .previous, so the runs are
    /// made afresh. Says where both are and the board's DeviceName.
    /// </summary>
    public const string Prepare = """
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
        [pscustomobject]@{
            Plan = $plan
            Results = $results
            DeviceName = if ($env:EDGELM_DEVICE_NAME) { $env:EDGELM_DEVICE_NAME } else { [Environment]::MachineName }
        }
        """;

    /// <summary>Board: the plan, always resuming the board's own file, so a board that dropped off goes on where it stopped.</summary>
    public const string Run = """
        param([string] $Plan, [string] $Results, [bool] $AllowLarge, [string] $NativeLibraryPath)
        $benchmark = @{ Plan = $Plan; OutputPath = $Results; Resume = $true }
        if ($AllowLarge) { $benchmark.AllowLarge = $true }
        if ($NativeLibraryPath) { $benchmark.NativeLibraryPath = $NativeLibraryPath }
        Invoke-EdgeBenchmark @benchmark
        """;

    /// <summary>Board: its results file's text, for the runs it saved that never arrived; nothing when there is none.</summary>
    public const string ReadResults = """
        param([string] $Results)
        if (Test-Path -LiteralPath $Results) { [IO.File]::ReadAllText($Results) }
        """;
}
