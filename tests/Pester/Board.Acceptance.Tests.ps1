#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# An example deployment gate for a board: benchmark what you ship, then assert its budgets, one test per rule.
# On the board:
#   $env:EDGELM_BOARD_PLAN = 'examples/quick.yaml'; $env:EDGELM_BOARD_BUDGET = 'examples/budget.yaml'
#   Invoke-Pester -Path tests/Pester/Board.Acceptance.Tests.ps1 -Output Detailed
# EDGELM_BOARD_RESULTS names the results file (default out/board-acceptance.jsonl). It is kept, so a re-run after
# Ctrl+C only finishes what is missing. EDGELM_MODULE names the module to import (default the built out/EdgeLm,
# else the EdgeLm installed on PSModulePath).
# Without EDGELM_BOARD_PLAN the gate is skipped (CI runs this folder on machines that are not the board).
# Discovery only reads the budget's rules; the benchmark runs in BeforeAll, so listing the tests is quick.

BeforeDiscovery {
    $rules = @()
    if ($env:EDGELM_BOARD_PLAN) {
        $built = [IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'EdgeLm', 'EdgeLm.psd1')
        $module = if ($env:EDGELM_MODULE) { $env:EDGELM_MODULE } elseif (Test-Path -LiteralPath $built) { $built } else { 'EdgeLm' }
        Import-Module $module -ErrorAction Stop
        $budget = if ($env:EDGELM_BOARD_BUDGET) { $env:EDGELM_BOARD_BUDGET } else { [IO.Path]::Combine($PSScriptRoot, '..', '..', 'examples', 'budget.yaml') }
        # With no results every rule comes back unmet, which is all discovery needs: the rules, in order.
        $index = 0
        $rules = @(Test-EdgeBudget -Budget $budget -ErrorAction Stop | ForEach-Object { @{ Index = $index++; Rule = $_.Rule } })
    }
}

Describe 'Board acceptance' -Skip:(-not $env:EDGELM_BOARD_PLAN) {
    BeforeAll {
        $ProgressPreference = 'SilentlyContinue'
        $built = [IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'EdgeLm', 'EdgeLm.psd1')
        $module = if ($env:EDGELM_MODULE) { $env:EDGELM_MODULE } elseif (Test-Path -LiteralPath $built) { $built } else { 'EdgeLm' }
        Import-Module $module -ErrorAction Stop
        $budget = if ($env:EDGELM_BOARD_BUDGET) { $env:EDGELM_BOARD_BUDGET } else { [IO.Path]::Combine($PSScriptRoot, '..', '..', 'examples', 'budget.yaml') }
        $resultsPath = if ($env:EDGELM_BOARD_RESULTS) { $env:EDGELM_BOARD_RESULTS } else { [IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'board-acceptance.jsonl') }

        $null = Invoke-EdgeBenchmark -Plan $env:EDGELM_BOARD_PLAN -OutputPath $resultsPath -Resume -ErrorAction Stop
        $results = @(Import-EdgeResult -Path $resultsPath -ErrorAction Stop)
        $verdicts = @($results | Test-EdgeBudget -Budget $budget -ErrorAction Stop)
        $device = Get-DeviceProfile
    }

    if ($rules.Count -gt 0) {
        # Hashtables, so each rule's Index and Rule are variables in the test (objects would only be in $_).
        It 'keeps the budget <Rule>' -ForEach $rules {
            $verdict = $verdicts[$Index]
            $verdict.Rule | Should -Be $Rule -Because 'the budget file changed between discovery and run'
            $verdict.Passed | Should -BeTrue -Because $verdict.Message
        }
    }

    It 'judges only runs of this board' {
        $results | Should -Not -BeNullOrEmpty -Because 'a gate with no runs proves nothing'
        $results.DeviceName | Sort-Object -Unique | Should -Be $device.DeviceName -Because "$resultsPath must hold this board's runs only (delete it to start over)"
        $device.CpuModel | Should -Not -BeNullOrEmpty -Because 'results are only comparable next to the hardware they ran on'
    }
}
