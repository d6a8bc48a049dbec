# The study's trade-offs on summaries (issue 13): S_t and the Pareto fronts, from runs built the way Import-Csv or
# Import-EdgeResult gives them, so every figure can be checked by hand.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $work = $TestDrive
    $model = Join-Path $work 'tiny.gguf'
    New-EdgeSyntheticModel -Shape tiny -OutputPath $model | Out-Null
    $results = Join-Path $work 'results.jsonl'
    Invoke-EdgeBenchmark -Model $model -Threads 1 -PromptTokens 4 -GenerationTokens 4 -Repetitions 1 -Warmups 0 -OutputPath $results | Out-Null
    $line = Get-Content -LiteralPath $results -TotalCount 1

    # Three configurations by hand: A fast and frugal, B slower and hungrier (dominated by A), C fastest but hungriest.
    function New-Run([string] $Quantization, [double] $Speed, [double] $JoulesPerToken, [long] $Rss) {
        # A fresh object each time, as ConvertFrom-Json or Import-Csv hand them over.
        $run = $line | ConvertFrom-Json
        $run.RunId = [guid]::NewGuid().ToString('N')
        $run.Quantization = $Quantization
        $run.DecodeTokensPerSecond = $Speed
        $run.JoulesPerToken = $JoulesPerToken
        $run.TokensPerJoule = 1 / $JoulesPerToken
        $run.EnergyBasis = 'net'
        $run.EnergyThroughputTradeoff = $JoulesPerToken / $Speed
        $run.PeakRssBytes = $Rss
        $run
    }
    $runs = @(
        New-Run 'A' 10 0.5 1GB; New-Run 'A' 12 0.4 1GB
        New-Run 'B' 6 0.8 2GB; New-Run 'B' 6 0.8 2GB
        New-Run 'C' 20 1.2 3GB; New-Run 'C' 20 1.2 3GB
    )
}

Describe 'Trade-offs on summaries' {
    It 'gives S_t as the median of energy per token over decode speed, run by run' {
        $a = $runs | Measure-EdgeResult | Where-Object Quantization -EQ 'A'
        # (0.5/10 + 0.4/12) / 2: the median of two runs is their mean.
        $a.EnergyThroughputTradeoffMedian | Should -Be ((0.05 + 0.4 / 12) / 2)
        $a.EnergyBasis | Should -Be 'net'
    }

    It 'marks the Pareto fronts and names who dominates the rest' {
        $summaries = $runs | Measure-EdgeResult
        $front = $summaries | Where-Object ParetoSpeedEnergy | ForEach-Object Quantization
        $front | Should -Be @('A', 'C')
        ($summaries | Where-Object Quantization -EQ 'B').SpeedEnergyDominatedBy | Should -BeLike '* A *'
        ($summaries | Where-Object Quantization -EQ 'B').ParetoSpeedMemory | Should -BeFalse
    }

    It 'exports the trade-offs flat with Export-Csv and shows them with -View Tradeoffs' {
        $csv = Join-Path $work 'summaries.csv'
        $runs | Measure-EdgeResult | Export-Csv -LiteralPath $csv
        $row = Import-Csv -LiteralPath $csv | Where-Object Quantization -EQ 'B'
        $row.ParetoSpeedEnergy | Should -Be 'False'
        [double]$row.EnergyThroughputTradeoffMedian | Should -Be (0.8 / 6)
        $text = $runs | Measure-EdgeResult | Format-Table -View Tradeoffs | Out-String -Width 80
        $text | Should -Match 'S_t'
        $text | Should -Match '\bE M\b'
    }
}
