#Requires -Version 7.4
# Lists the failed tests of the xunit run (a .trx file) and of the Pester run (NUnit XML), a few lines each, so the
# end of a long CI log says what failed without scrolling back through both suites. build.sh test calls it when
# anything failed. Prints nothing for a file that is missing; exits 0 (it reports, it does not judge).
param(
    [string] $UnitResults = [IO.Path]::Combine($PSScriptRoot, '..', 'out', 'test-results', 'unit.trx'),
    [string] $PesterResults = [IO.Path]::Combine($PSScriptRoot, '..', 'out', 'test-results', 'pester.xml'),
    [int] $MessageLines = 6,
    [int] $MaxTests = 20
)
$ErrorActionPreference = 'Stop'

function Read-Results([string] $Path) {
    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) {
        "  (no results at $Path)" | Out-Host
        return $null
    }
    try {
        $document = [xml]::new()
        $document.Load($Path)
        return $document
    }
    catch {
        "  (results at $Path could not be read: $($_.Exception.Message))" | Out-Host
        return $null
    }
}

# The first lines of a failure message, indented under the test's name.
function Format-Message([string] $Text) {
    $lines = @($Text -split "`r?`n" | Where-Object { $_.Trim() })
    $shown = $lines | Select-Object -First $MessageLines | ForEach-Object { "      $_" }
    if ($lines.Count -gt $MessageLines) { $shown += "      (... $($lines.Count - $MessageLines) more lines)" }
    $shown
}

# The count past the first $MaxTests, which the log above shows in full.
function More([int] $Count) {
    if ($Count -gt $MaxTests) { "  (... and $($Count - $MaxTests) more; see above)" | Out-Host }
}

$unit = Read-Results $UnitResults
if ($unit) {
    # Property access ignores the trx namespace; SelectNodes would need it.
    $failed = @($unit.TestRun.Results.UnitTestResult | Where-Object { $_.outcome -eq 'Failed' })
    "xunit: $($failed.Count) failed" | Out-Host
    foreach ($test in $failed | Select-Object -First $MaxTests) {
        "  $($test.testName)" | Out-Host
        Format-Message ([string]$test.Output.ErrorInfo.Message) | Out-Host
    }
    More $failed.Count
}

$pester = Read-Results $PesterResults
if ($pester) {
    # A block or file that fails in its setup is a failed test-suite with a message and no failed test-case.
    $failed = @($pester.SelectNodes('//*[(self::test-case or self::test-suite) and @result="Failure" and failure/message]') |
        Where-Object { $_.LocalName -eq 'test-case' -or -not $_.SelectSingleNode('.//test-case[@result="Failure"]') })
    "pester: $($failed.Count) failed" | Out-Host
    foreach ($test in $failed | Select-Object -First $MaxTests) {
        "  $($test.name)" | Out-Host
        Format-Message $test.SelectSingleNode('failure/message').InnerText | Out-Host
    }
    More $failed.Count
}
exit 0
