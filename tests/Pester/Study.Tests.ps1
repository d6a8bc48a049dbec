# examples/Invoke-Study.ps1, the study's comparison in one command, on a plan small enough for CI: the tiny synthetic
# model, every thread count up to the cores, energy. It must print all three answers and resume its results file.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $study = [IO.Path]::Combine($PSScriptRoot, '..', '..', 'examples', 'Invoke-Study.ps1')
    $plan = Join-Path $TestDrive 'study.yaml'
    Set-Content -LiteralPath $plan -Value @(
        'models:', '  - synthetic: tiny', '    quantizations: [F16]', 'threadsUpToCores: true', 'contexts: [512]',
        'promptTokens: [8]', 'generationTokens: [4]', 'repetitions: 2', 'warmups: 0', 'energy: true', 'baselineSeconds: 0.5',
        "modelCache: $TestDrive", 'quality:', "  text: $([IO.Path]::Combine($PSScriptRoot, '..', '..', 'examples', 'quality-text.txt'))",
        '  context: 32', '  chunks: 2', '  reference: F16')
    $results = Join-Path $TestDrive 'study.jsonl'
}

Describe 'The study in one command' {
    It 'benchmarks, then prints the trade-offs, the cost and the fit' {
        $text = & $study -Plan $plan -OutputPath $results -BoardPriceUsd 80 -CloudModel gpt-4o-mini 6>&1 | Out-String -Width 79

        $text | Should -Match '== Trade-offs'
        $text | Should -Match 'synthetic-tiny +F16 +1 '
        $text | Should -Match '== Quality'
        $text | Should -Match 'synthetic-tiny +F16 +1 .+ 0\.0 +100\.0 .+ yes +Q'
        $text | Should -Match 'gpt-4o-mini'
        $text | Should -Match 'synthetic-tiny +F16 +512 fits'
        $runs = @(Import-EdgeResult -Path $results)
        $runs.Count | Should -Be (2 * @($runs | Group-Object Threads).Count) -Because 'two repetitions of each thread count'
        ($runs | Measure-Object Threads -Minimum).Minimum | Should -Be 1
    }

    It 'resumes its results file instead of refusing it' {
        $before = @(Get-Content -LiteralPath $results).Count
        $text = & $study -Plan $plan -OutputPath $results -BoardPriceUsd 80 -CloudModel gpt-4o-mini 6>&1 | Out-String -Width 79
        @(Get-Content -LiteralPath $results).Count | Should -Be $before
        $text | Should -Match '== Fit'
    }
}
