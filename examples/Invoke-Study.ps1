<#
.SYNOPSIS
    The seed study's comparison on this board, as one pipeline: benchmark, trade-offs, cost, fit.

.DESCRIPTION
    Runs a study plan (examples/study.yaml, or study-quick.yaml for minutes instead of hours), resuming the results
    file when it exists, then prints what the study asked of each configuration:
    - speed against energy and memory, with S_t (J*s/token^2) and the Pareto fronts (Measure-EdgeResult, -View Tradeoffs);
    - when the plan measures quality: KL divergence from the reference, the same top token and perplexity beside speed
      (-View Quality);
    - dollars per million tokens on this board against cloud APIs, for a workload (Measure-EdgeCost);
    - whether each model fits this board at the context it ran, predicted against measured (Test-EdgeFit).
    Every step is an ordinary cmdlet: the results file feeds any of them again later.

.PARAMETER Plan
    The study plan. Default: examples/study.yaml.

.PARAMETER OutputPath
    The results file (JSON Lines), resumed when it exists. Default: study-results.jsonl in the current folder.

.PARAMETER Board
    This board's catalog name, when the device name does not say which board it is (for its price).

.PARAMETER BoardPriceUsd
    What this board cost, when the catalog does not know it.

.PARAMETER CloudModel
    Cloud price entries to compare with (wildcards). Default: gpt-4o-mini, gemini-2.5-flash, claude-haiku-4-5.

.PARAMETER RequestsPerDay
    The workload's volume for the monthly cost and the break-even. Default: 1000.

.EXAMPLE
    ./examples/Invoke-Study.ps1 -Plan examples/study-quick.yaml -BoardPriceUsd 160
#>
[CmdletBinding()]
param(
    [string] $Plan = (Join-Path $PSScriptRoot 'study.yaml'),
    [string] $OutputPath = 'study-results.jsonl',
    [string] $Board,
    [double] $BoardPriceUsd,
    [string[]] $CloudModel = @('gpt-4o-mini', 'gemini-2.5-flash', 'claude-haiku-4-5'),
    [double] $RequestsPerDay = 1000
)

$ErrorActionPreference = 'Stop'
if (-not (Get-Module -Name EdgeLm)) {
    # From a checkout: the module folder ./build.sh assembles; else an installed EdgeLm.
    $built = Join-Path $PSScriptRoot '..' 'out' 'EdgeLm' 'EdgeLm.psd1'
    Import-Module -Name ((Test-Path -LiteralPath $built) ? $built : 'EdgeLm')
}

$OutputPath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutputPath)
Write-Host "== Benchmark: $Plan -> $OutputPath"
Invoke-EdgeBenchmark -Plan $Plan -OutputPath $OutputPath -Resume:(Test-Path -LiteralPath $OutputPath) | Out-Null
$results = Import-EdgeResult -Path $OutputPath

Write-Host '== Trade-offs: S_t = J/token / tokens/s; Front: E energy, M memory, Q quality'
$summaries = $results | Measure-EdgeResult
$summaries | Format-Table -View Tradeoffs

if ($results | Where-Object { $null -ne $_.Perplexity }) {
    Write-Host '== Quality: KL divergence from the reference, same top token, perplexity'
    $summaries | Format-Table -View Quality
}

Write-Host "== Cost: USD per million generated tokens, here and in the cloud ($RequestsPerDay req/day)"
$price = @{}
if ($Board) { $price.Board = $Board }
if ($PSBoundParameters.ContainsKey('BoardPriceUsd')) { $price.BoardPriceUsd = $BoardPriceUsd }
$results | Measure-EdgeCost @price -CloudModel $CloudModel -RequestsPerDay $RequestsPerDay | Format-Table

Write-Host '== Fit: predicted and measured peak memory, and the largest context that fits'
$results | Where-Object { -not $_.Warmup } | Group-Object ModelPath, ContextSize | ForEach-Object {
    Test-EdgeFit -Model $_.Group[0].ModelPath -ContextSize $_.Group[0].ContextSize -ThisDevice -Results $OutputPath
} | Format-Table -Property @(
    @{ Name = 'Model'; Expression = 'ModelName'; Width = 22 }
    @{ Name = 'Quant'; Expression = 'Quantization'; Width = 5 }
    @{ Name = 'Ctx'; Expression = 'ContextSize'; Width = 5 }
    @{ Name = 'Fits'; Expression = 'Verdict'; Width = 7 }
    @{ Name = 'Predicted'; Expression = { '{0:0.0} MB' -f (($_.PredictedPeakRssForRunsBytes ?? $_.PredictedPeakRssBytes) / 1e6) }; Alignment = 'Right'; Width = 10 }
    @{ Name = 'Measured'; Expression = { if ($_.MeasuredPeakRssBytes) { '{0:0.0} MB' -f ($_.MeasuredPeakRssBytes / 1e6) } }; Alignment = 'Right'; Width = 10 }
    @{ Name = 'Error'; Expression = { if ($null -ne $_.PeakRssErrorPercent) { '{0:+0.0;-0.0} %' -f $_.PeakRssErrorPercent } }; Alignment = 'Right'; Width = 7 }
    @{ Name = 'MaxCtx'; Expression = 'MaxContextThatFits'; Width = 7 }
)
