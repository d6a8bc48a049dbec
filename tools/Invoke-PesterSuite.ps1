#Requires -Version 7.4
# Runs tests/Pester with the Pester version named by $env:PESTER_VERSION (default 5.7.1) and ends with
# one plain line, 'pester: N passed, N failed, N skipped'; exits 1 when any test, block or file failed.
# build.sh test calls it through tools/pwsh.sh's pwsh with the cached Pester first on PSModulePath.
param(
    [string[]] $Path = [IO.Path]::Combine($PSScriptRoot, '..', 'tests', 'Pester'),
    [string] $ResultPath = [IO.Path]::Combine($PSScriptRoot, '..', 'out', 'test-results', 'pester.xml'),
    [string] $Output = 'Detailed'
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$version = if ($env:PESTER_VERSION) { $env:PESTER_VERSION } else { '5.7.1' }
$pester = Get-Module -ListAvailable Pester | Where-Object { $_.Version -eq [version]$version } | Select-Object -First 1
if (-not $pester) {
    Write-Error "Pester $version is not on PSModulePath ($env:PSModulePath); run tools/pwsh.sh to install it."
    exit 1
}
Import-Module $pester.Path -Force

$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = $Output
# CI logs and redirected output get plain text, not ANSI escapes.
if ([Console]::IsOutputRedirected) {
    $configuration.Output.RenderMode = 'Plaintext'
    $PSStyle.OutputRendering = 'PlainText'
}
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputPath = $ResultPath
$configuration.TestResult.OutputFormat = 'NUnitXml'
$null = New-Item -ItemType Directory -Force -Path (Split-Path -Parent $ResultPath)
# The closing line, also kept beside the results for build.sh's closing block, which repeats it after a failure.
$countsPath = [IO.Path]::Combine((Split-Path -Parent $ResultPath), 'pester-counts.txt')
Remove-Item -LiteralPath $countsPath, $ResultPath -ErrorAction Ignore
function Write-Counts([string] $Counts) {
    Set-Content -LiteralPath $countsPath -Value $Counts
    $Counts | Out-Host
}

$result = Invoke-Pester -Configuration $configuration
if ($null -eq $result) {
    # Pester itself failed (a path it could not find, a broken configuration): that is a failed run.
    Write-Counts 'pester: 0 passed, 1 failed, 0 skipped'
    exit 1
}
# A file or block that fails to load or set up has no test counted as failed: count it too.
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
"Pester $($pester.Version) on pwsh $($PSVersionTable.PSVersion)" | Out-Host
Write-Counts "pester: $($result.PassedCount) passed, $failed failed, $($result.SkippedCount + $result.NotRunCount) skipped"
exit ([int]($failed -gt 0))
