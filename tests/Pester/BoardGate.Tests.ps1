#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Proves the example gate (Board.Acceptance.Tests.ps1) passes when the budgets are kept and fails when one is not.
# Pester cannot run inside Pester, so each gate runs in a child pwsh with this run's Pester version.

Describe 'The example board gate' {
    BeforeAll {
        . ([IO.Path]::Combine($PSScriptRoot, 'Common.ps1'))
        $gate = [IO.Path]::Combine($PSScriptRoot, 'Board.Acceptance.Tests.ps1')

        $model = Join-Path $TestDrive 'tiny-q8.gguf'
        $null = New-EdgeSyntheticModel -Shape tiny -Quantization Q8_0 -OutputPath $model -ErrorAction Stop
        $plan = Join-Path $TestDrive 'plan.yaml'
        Set-Content -LiteralPath $plan -Value "models:`n  - path: $model`nthreads: [1]`npromptTokens: [8]`ngenerationTokens: [4]`nrepetitions: 2`nwarmups: 0"
        # Budgets that hold or break on any machine, however busy: counts and memory, not speed.
        $kept = Join-Path $TestDrive 'kept.yaml'
        Set-Content -LiteralPath $kept -Value "budgets:`n  - figure: GeneratedTokens`n    min: 4`n  - figure: PeakRssBytes`n    max: 64GiB"
        $broken = Join-Path $TestDrive 'broken.yaml'
        Set-Content -LiteralPath $broken -Value "budgets:`n  - figure: GeneratedTokens`n    min: 4`n  - figure: PeakRssBytes`n    max: 1KB"

        # Runs the gate in a child pwsh and returns its counts and the names of its failed tests.
        function Invoke-Gate([string] $Budget, [string] $Results, [switch] $DiscoverOnly) {
            $pester = Join-Path (Get-Module Pester).ModuleBase 'Pester.psd1'
            $script = @'
param($pester, $gate, $discoverOnly)
Import-Module $pester
$c = New-PesterConfiguration
$c.Run.Path = $gate
$c.Run.SkipRun = $discoverOnly -eq 'True'
$c.Run.PassThru = $true
$c.Output.Verbosity = 'None'
$r = Invoke-Pester -Configuration $c
[pscustomobject]@{
    Found = $r.TotalCount; Passed = $r.PassedCount; Failed = $r.FailedCount + $r.FailedBlocksCount + $r.FailedContainersCount; Skipped = $r.SkippedCount
    FailedNames = @($r.Failed | ForEach-Object { $_.ExpandedName })
} | ConvertTo-Json -Compress
'@
            $saved = @{}
            $settings = @{ EDGELM_BOARD_PLAN = $plan; EDGELM_BOARD_BUDGET = $Budget; EDGELM_BOARD_RESULTS = $Results; EDGELM_MODULE = $manifestPath }
            foreach ($name in $settings.Keys) {
                $saved[$name] = [Environment]::GetEnvironmentVariable($name)
                [Environment]::SetEnvironmentVariable($name, $settings[$name])
            }
            try {
                $scriptFile = Join-Path $TestDrive 'run-gate.ps1'
                Set-Content -LiteralPath $scriptFile -Value $script
                # This pwsh: its apphost in $PSHOME (a dotnet tool install runs as 'dotnet pwsh.dll').
                $pwsh = if (Test-Path -LiteralPath (Join-Path $PSHOME 'pwsh')) { Join-Path $PSHOME 'pwsh' } else { [Environment]::ProcessPath }
                $json = & $pwsh -NoProfile -NonInteractive -File $scriptFile $pester $gate $DiscoverOnly.IsPresent
                $LASTEXITCODE | Should -Be 0 -Because "the child pwsh printed: $json"
                $json | Select-Object -Last 1 | ConvertFrom-Json
            }
            finally {
                foreach ($name in $settings.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
            }
        }
    }

    It 'passes when every budget is kept' {
        $run = Invoke-Gate -Budget $kept -Results (Join-Path $TestDrive 'kept.jsonl')

        $run.Failed | Should -Be 0 -Because ($run.FailedNames -join '; ')
        $run.Passed | Should -Be 3
        (Get-Content -LiteralPath (Join-Path $TestDrive 'kept.jsonl')) | Should -HaveCount 2
    }

    It 'fails on the broken budget alone, and resumes instead of running again' {
        # The same results file: the runs are already there, so only the verdicts change.
        Copy-Item -LiteralPath (Join-Path $TestDrive 'kept.jsonl') -Destination (Join-Path $TestDrive 'broken.jsonl')
        $run = Invoke-Gate -Budget $broken -Results (Join-Path $TestDrive 'broken.jsonl')

        $run.Failed | Should -Be 1
        $run.Passed | Should -Be 2
        $run.FailedNames | Should -Be @('keeps the budget PeakRssBytes median <= 1KB')
        (Get-Content -LiteralPath (Join-Path $TestDrive 'broken.jsonl')) | Should -HaveCount 2
    }

    It 'runs no benchmark while Pester discovers its tests' {
        $results = Join-Path $TestDrive 'discovery.jsonl'
        $run = Invoke-Gate -Budget $kept -Results $results -DiscoverOnly

        $run.Found | Should -Be 3
        $run.Passed | Should -Be 0
        Test-Path -LiteralPath $results | Should -BeFalse
    }
}
