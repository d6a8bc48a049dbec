#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Measure-EdgeQuality as a pwsh user meets it: a model piped from Get-EdgeModel, one QualityResult per model with the
# figures llama-perplexity defines, hostile texts as ErrorRecords with their ids (the shell survives), and the default
# view in an 80-column console. A tiny synthetic model and a small context keep it to seconds.
#   ./build.sh && pwsh -NoProfile -Command 'Invoke-Pester -Path tests/Pester/Quality.Tests.ps1 -Output Detailed'

Describe 'Measure-EdgeQuality' {
    BeforeAll {
        . ([IO.Path]::Combine($PSScriptRoot, 'Common.ps1'))
        $model = Join-Path $TestDrive 'tiny-q8.gguf'
        $null = New-EdgeSyntheticModel -Shape tiny -Quantization Q8_0 -OutputPath $model -ErrorAction Stop
        $text = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..', 'examples', 'quality-text.txt'))
    }

    It 'scores a model piped from Get-EdgeModel, llama-perplexity''s way' {
        $r = Get-EdgeModel -LiteralPath $model | Measure-EdgeQuality -TextPath $text -ContextSize 32 -Chunks 3 -Threads 1 -ErrorAction Stop
        @($r).Count | Should -Be 1
        $r.PSObject.TypeNames[0] | Should -Be 'EdgeLm.QualityResult'
        $r.ModelPath | Should -Be $model
        $r.Chunks | Should -Be 3
        $r.TokensScored | Should -Be (3 * (32 - 1 - 16))
        $r.SyntheticWeights | Should -BeTrue
        $r.TextSha256 | Should -Be (Get-FileHash -LiteralPath $text -Algorithm SHA256).Hash.ToLowerInvariant()
        $r.ModelSha256 | Should -Be (Get-FileHash -LiteralPath $model -Algorithm SHA256).Hash.ToLowerInvariant()
        $r.Perplexity | Should -BeGreaterThan 1
        $r.PerplexityUncertainty | Should -BeGreaterThan 0
        # Deterministic: the same model, text and settings give the same figure.
        $again = Measure-EdgeQuality -LiteralPath $model -TextPath $text -ContextSize 32 -Chunks 3 -Threads 1 -ErrorAction Stop
        $again.Perplexity | Should -Be $r.Perplexity
    }

    It 'saves log-probabilities and measures a quantization against them' {
        $logits = Join-Path $TestDrive 'q8.logits'
        $saved = Measure-EdgeQuality -LiteralPath $model -TextPath $text -ContextSize 32 -Chunks 2 -Threads 1 -SaveLogitsPath $logits -ErrorAction Stop
        $saved.SavedLogitsPath | Should -Be $logits
        $saved.KlDivergenceMean | Should -BeNullOrEmpty
        $q4 = Join-Path $TestDrive 'tiny-q4.gguf'
        $null = Convert-EdgeModel -LiteralPath $model -Quantization Q4_0 -OutputPath $q4 -ErrorAction Stop
        $r = Measure-EdgeQuality -LiteralPath $q4 -TextPath $text -ContextSize 32 -Threads 1 -ReferenceLogitsPath $logits -ErrorAction Stop
        $r.Chunks | Should -Be 2
        $r.ReferenceLogitsPath | Should -Be $logits
        $r.ReferencePerplexity | Should -BeGreaterThan ($saved.Perplexity * 0.999)
        $r.ReferencePerplexity | Should -BeLessThan ($saved.Perplexity * 1.001)
        $r.KlDivergenceMean | Should -BeGreaterThan 0
        $r.KlDivergenceMax | Should -BeGreaterOrEqual $r.KlDivergenceP99
        $r.SameTopPercent | Should -BeGreaterThan 0
    }

    It 'refuses a FIFO as the text with an ErrorRecord naming it' {
        $fifo = Join-Path $TestDrive 'pipe'
        & mkfifo $fifo
        $err = $null
        $out = Measure-EdgeQuality -LiteralPath $model -TextPath $fifo -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NotARegularFile*'
        $err[0].Exception.Message | Should -BeLike '*FIFO*'
    }

    It '<Name> is the error <ErrorId>' -ForEach @(
        @{ Name = 'a binary text'; ErrorId = 'TextIsBinary'; Bytes = [byte[]](0x47, 0x47, 0x55, 0x46, 0, 0, 0, 3) }
        @{ Name = 'an empty text'; ErrorId = 'TextEmpty'; Bytes = [byte[]]@() }
        @{ Name = 'a text shorter than two contexts'; ErrorId = 'TextTooShort'; Bytes = [Text.Encoding]::UTF8.GetBytes('far too short') }
    ) {
        $path = Join-Path $TestDrive "$ErrorId.txt"
        [IO.File]::WriteAllBytes($path, $Bytes)
        { Measure-EdgeQuality -LiteralPath $model -TextPath $path -ContextSize 512 -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId*"
    }

    It 'shows its default view within 80 columns' {
        $r = Measure-EdgeQuality -LiteralPath $model -TextPath $text -ContextSize 32 -Chunks 2 -Threads 1 -ErrorAction Stop
        $shown = $r | Out-String -Width 80
        $shown | Should -Match 'Perplexity'
        $shown -split "`n" | ForEach-Object { $_.TrimEnd("`r").Length | Should -BeLessOrEqual 80 }
    }
}

Describe 'Quality in a benchmark' {
    BeforeAll {
        . ([IO.Path]::Combine($PSScriptRoot, 'Common.ps1'))
        $f16 = Join-Path $TestDrive 'tiny-f16.gguf'
        $q4 = Join-Path $TestDrive 'tiny-q4_0.gguf'
        $null = New-EdgeSyntheticModel -Shape tiny -Quantization F16 -OutputPath $f16 -ErrorAction Stop
        $null = Convert-EdgeModel -LiteralPath $f16 -Quantization Q4_0 -OutputPath $q4 -ErrorAction Stop
        $text = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..', 'examples', 'quality-text.txt'))
        $results = Join-Path $TestDrive 'quality.jsonl'
        # A sweep of the two files, scored against the F16 among them before the speed runs.
        $runs = @(Get-ChildItem -LiteralPath $q4, $f16 |
                Invoke-EdgeBenchmark -Threads 1 -PromptTokens 8 -GenerationTokens 4 -Repetitions 2 -Warmups 0 `
                    -QualityTextPath $text -QualityReference F16 -QualityContextSize 32 -QualityChunks 2 -OutputPath $results -ErrorAction Stop)
    }

    It 'puts each model''s figures on every one of its runs' {
        $runs.Count | Should -Be 4
        $runs | ForEach-Object { $_.QualityReference | Should -Be 'synthetic-tiny F16' }
        $runs | ForEach-Object { $_.SyntheticWeights | Should -BeTrue }
        @($runs | Where-Object Quantization -EQ 'F16' | ForEach-Object KlDivergenceMean | Sort-Object -Unique) | Should -Be @(0)
        $q4Kld = @($runs | Where-Object Quantization -EQ 'Q4_0' | ForEach-Object KlDivergenceMean | Sort-Object -Unique)
        $q4Kld.Count | Should -Be 1
        $q4Kld[0] | Should -BeGreaterThan 0
    }

    It 'gives summaries the figures, a speed-quality front and a view within 80 columns' {
        $summaries = @(Import-EdgeResult -Path $results | Measure-EdgeResult)
        ($summaries | Where-Object Quantization -EQ 'F16').ParetoSpeedQuality | Should -BeTrue
        ($summaries | Where-Object Quantization -EQ 'Q4_0').KlDivergenceMean | Should -BeGreaterThan 0
        $view = $summaries | Format-Table -View Quality | Out-String -Width 79
        $view | Should -Match 'KLD'
        $view | Should -Match 'synthetic-tiny +F16 .+ 0\.0 +100\.0 .+ yes +Q'
        foreach ($line in $view -split '\r?\n') { $line.Length | Should -BeLessOrEqual 79 }
    }

    It 'keeps the figures through Export-Csv and Import-EdgeResult' {
        $csv = Join-Path $TestDrive 'quality.csv'
        $runs | Export-Csv -LiteralPath $csv
        $back = @(Import-EdgeResult -Path $csv)
        $back.Count | Should -Be 4
        ($back | Where-Object Quantization -EQ 'Q4_0')[0].KlDivergenceMean | Should -Be ($runs | Where-Object Quantization -EQ 'Q4_0')[0].KlDivergenceMean
        ($back | Measure-EdgeCost -BoardPriceUsd 80 -CloudModel gpt-4o-mini | Where-Object Quantization -EQ 'Q4_0').SameTopPercent |
            Should -Be ($runs | Where-Object Quantization -EQ 'Q4_0')[0].SameTopPercent
    }

    It 'refuses quality settings without a text, with an ErrorRecord' {
        { Invoke-EdgeBenchmark -Model $q4 -QualityReference F16 -ErrorAction Stop } |
            Should -Throw -ErrorId 'QualityTextMissing*'
    }
}
