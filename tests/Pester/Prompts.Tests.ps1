#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Test-EdgePrompt on the tiny synthetic model: its answers are noise, so the checks here hold or fail whatever the
# text (token and length bounds); the check kinds themselves are unit-tested on strings (PromptChecksTests).
#   ./build.sh && pwsh -NoProfile -Command 'Invoke-Pester -Path tests/Pester/Prompts.Tests.ps1 -Output Detailed'

BeforeAll {
    . ([IO.Path]::Combine($PSScriptRoot, 'Common.ps1'))
    $ProgressPreference = 'SilentlyContinue'
    $f16 = Join-Path $TestDrive 'tiny-f16.gguf'
    $q8 = Join-Path $TestDrive 'tiny-q8_0.gguf'
    $null = New-EdgeSyntheticModel -Shape tiny -Quantization F16 -OutputPath $f16 -ErrorAction Stop
    $null = New-EdgeSyntheticModel -Shape tiny -Quantization Q8_0 -OutputPath $q8 -ErrorAction Stop
    $suite = Join-Path $TestDrive 'suite.yaml'
    Set-Content -LiteralPath $suite -Value @(
        'name: smoke'
        'maxTokens: 4'
        'prompts:'
        '  - id: holds'
        '    prompt: Say hello.'
        '    checks:'
        '      - tokens: { min: 1, max: 4 }'
        '  - id: fails'
        '    prompt: What is 2 + 2?'
        '    checks:'
        '      - length: { max: 1000 }'
        '      - tokens: { min: 5 }'
    )
}

Describe 'Test-EdgePrompt' {
    It 'writes one record per prompt with pass, fail and why' {
        $records = @(Test-EdgePrompt -Model $f16 -Suite $suite -Threads 1 -ErrorAction Stop)

        $records | Should -HaveCount 2
        $records[0].PSObject.TypeNames[0] | Should -Be 'EdgeLm.PromptCheckResult'
        $records.PromptId | Should -Be 'holds', 'fails'
        $records[0].Passed | Should -BeTrue
        $records[1].Passed | Should -BeFalse
        $records[1].FailedChecks | Should -BeLike 'tokens >= 5: * tokens, fewer than 5'
        $records | ForEach-Object { $_.SyntheticWeights | Should -BeTrue; $_.Suite | Should -Be 'smoke' }
    }

    It 'takes models from the pipeline and compares later ones with the first' {
        $records = @(Get-ChildItem -LiteralPath $f16, $q8 | Test-EdgePrompt -Suite $suite -Threads 1 -ErrorAction Stop)

        $records | Should -HaveCount 4
        $records.Quantization | Should -Be 'F16', 'F16', 'Q8_0', 'Q8_0'
        $records[0].OutputChanged | Should -BeNullOrEmpty
        $records[2].ReferenceModelPath | Should -Be $f16
        $records[2].OutputChanged | Should -BeOfType [bool]
    }

    It 'summarizes each model with -Summary' {
        $summaries = @(Test-EdgePrompt -Model $f16, $f16 -Suite $suite -Threads 1 -Summary -ErrorAction Stop)

        $summaries | Should -HaveCount 2
        $summaries[0].PSObject.TypeNames[0] | Should -Be 'EdgeLm.PromptSuiteSummary'
        $summaries[0].Prompts | Should -Be 2
        $summaries[0].Passed | Should -Be 1
        $summaries[0].PassRate | Should -Be 0.5
        $summaries[0].ChangedOutputs | Should -BeNullOrEmpty
        $summaries[1].ChangedOutputs | Should -Be 0 -Because 'greedy answers of the same weights do not change'
    }

    It 'refuses a bad suite with an ErrorRecord naming the line and the prompt' {
        $bad = Join-Path $TestDrive 'bad.yaml'
        Set-Content -LiteralPath $bad -Value 'prompts:', '  - id: date', '    prompt: x', '    checks:', "      - regex: '(\d+'"

        { Test-EdgePrompt -Model $f16 -Suite $bad -ErrorAction Stop } | Should -Throw -ErrorId 'SuiteInvalidRegex,*'
        $e = $null
        try { Test-EdgePrompt -Model $f16 -Suite $bad } catch { $e = $_ }
        $e.CategoryInfo.Category | Should -Be 'InvalidData'
        $e.Exception.Message | Should -BeLike "*bad.yaml line 5, column 16: prompt 'date': regex*"
    }

    It 'refuses an unknown key naming it' {
        $bad = Join-Path $TestDrive 'unknown.yaml'
        Set-Content -LiteralPath $bad -Value 'prompts:', '  - id: a', '    prompt: x', '    check:', '      - contains: x'

        { Test-EdgePrompt -Model $f16 -Suite $bad -ErrorAction Stop } | Should -Throw -ErrorId 'SuiteInvalid,*' -ExpectedMessage "*line 4, column 5: unknown key 'check'*"
    }

    It 'makes a missing model an error for that model and runs the next' {
        $records = @(Test-EdgePrompt -Model (Join-Path $TestDrive 'missing.gguf'), $f16 -Suite $suite -Threads 1 -ErrorVariable problems -ErrorAction SilentlyContinue)

        $problems | Should -HaveCount 1
        $records | Should -HaveCount 2
        $records[0].ModelPath | Should -Be $f16
        $records[0].OutputChanged | Should -BeNullOrEmpty -Because 'the first model that answered is the reference'
    }
}
