#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# An example deployment gate for a board: benchmark what you ship, then assert its budgets.
# On the board (the results file is kept, so a re-run only finishes what is missing):
#   $env:EDGELM_BOARD_PLAN = 'examples/quick.yaml'; $env:EDGELM_BOARD_BUDGET = 'examples/budget.yaml'
#   Invoke-Pester -Path tests/Pester/Board.Acceptance.Tests.ps1 -Output Detailed
# Without EDGELM_BOARD_PLAN the checks are skipped (CI runs this folder on machines that are not the board).

BeforeDiscovery {
    $script:boardPlan = $env:EDGELM_BOARD_PLAN
    $script:budgetFile = if ($env:EDGELM_BOARD_BUDGET) { $env:EDGELM_BOARD_BUDGET } else { [IO.Path]::Combine($PSScriptRoot, '..', '..', 'examples', 'budget.yaml') }
    $script:rules = if ($script:boardPlan) {
        Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'EdgeLm', 'EdgeLm.psd1')) -Force
        $results = [IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'board-acceptance.jsonl')
        $null = Invoke-EdgeBenchmark -Plan $script:boardPlan -OutputPath $results -Resume
        Import-EdgeResult -Path $results | Test-EdgeBudget -Budget $script:budgetFile
    }
    else {
        @()
    }
}

Describe 'Board acceptance' -Skip:(-not $env:EDGELM_BOARD_PLAN) {
    It 'keeps the budget <Rule>' -ForEach $script:rules {
        $Passed | Should -BeTrue -Because $Message
    }

    It 'identifies the board it ran on' {
        $device = Get-DeviceProfile
        $device.BoardModel | Should -Not -BeNullOrEmpty -Because 'results are only comparable next to the board they ran on'
    }
}
