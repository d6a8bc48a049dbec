#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Test-EdgeFit as a PowerShell user meets it: shapes and files, catalog rows, one board, a size by hand, this device,
# measured runs beside the prediction, Get-EdgeModel piped in, and errors as ErrorRecords with their ErrorIds.
#   ./build.sh && pwsh -NoProfile -Command 'Invoke-Pester -Path tests/Pester/Fit.Tests.ps1 -Output Detailed'

Describe 'Test-EdgeFit' {
    BeforeAll {
        . ([IO.Path]::Combine($PSScriptRoot, 'Common.ps1'))
        $modelPath = Join-Path $TestDrive 'tiny-q8.gguf'
        $null = New-EdgeSyntheticModel -Shape tiny -Quantization Q8_0 -OutputPath $modelPath -ErrorAction Stop
    }

    It 'gives one EdgeLm.FitPrediction per catalog board without a target' {
        $rows = @(Test-EdgeFit -Shape llama-3.2-1b -Quantization Q4_0 -ContextSize 4096)
        $rows.Count | Should -BeGreaterThan 10
        $rows[0].PSObject.TypeNames[0] | Should -Be 'EdgeLm.FitPrediction'
        $pi = $rows | Where-Object Target -EQ 'Raspberry Pi 5 8GB'
        $pi.Verdict | Should -Be 'fits'
        $pi.AvailableMemoryBytes | Should -Be 7GB
        $pi.PredictedPeakRssBytes | Should -Be ($pi.PredictedWeightsBytes + $pi.PredictedRepackBytes + $pi.PredictedKvCacheBytes + $pi.PredictedComputeBytes + $pi.PredictedOverheadBytes)
        $pi.PredictedDecodeTokensPerSecond | Should -BeGreaterThan 0
        $pi.BandwidthSource | Should -Match 'https://'
    }

    It 'takes a size with PowerShell''s units and says when a model does not fit' {
        $row = Test-EdgeFit -Shape llama-3.2-1b -Quantization F16 -ContextSize 8192 -MemoryBytes 2GB
        $row.Target | Should -Be 'memory'
        $row.Verdict | Should -Be 'does not fit'
        $row.MaxContextThatFits | Should -BeNullOrEmpty
    }

    It 'reads a model file piped from Get-EdgeModel' {
        $row = Get-EdgeModel -LiteralPath $modelPath | Test-EdgeFit -ContextSize 1024 -Board 'Raspberry Pi 5 2GB'
        $row.ModelPath | Should -Be $modelPath
        $row.ModelName | Should -Be 'synthetic-tiny'
        $row.MaxContextThatFits | Should -Be 2048
    }

    It 'describes this device from its live profile' {
        $row = Test-EdgeFit -Shape tiny -Quantization Q4_0 -ContextSize 512 -ThisDevice
        $row.TargetSource | Should -Be 'device'
        $row.AvailableMemoryBytes | Should -BeGreaterThan 0
        $row.Verdict | Should -Be 'fits'
    }

    It 'puts measured runs beside the prediction' {
        $results = Join-Path $TestDrive 'runs.jsonl'
        Invoke-EdgeInference -Model $modelPath -PromptTokens 508 -MaxTokens 4 -ContextSize 512 -ErrorAction Stop |
            Export-EdgeResult -Path $results -Format jsonl
        $row = Test-EdgeFit -Model $modelPath -ContextSize 512 -MemoryBytes 8GB -Results $results
        $row.MeasuredRuns | Should -Be 1
        [math]::Abs($row.PeakRssErrorPercent) | Should -BeLessOrEqual 5
    }

    It 'refuses <Case> with ErrorId <Id>' -ForEach @(
        @{ Case = 'an unknown board'; Id = 'UnknownBoard'; Arguments = @{ Shape = 'tiny'; Quantization = 'Q4_0'; ContextSize = 512; Board = 'Raspberry Pi 9' } }
        @{ Case = 'a context beyond training'; Id = 'FitContextBeyondTraining'; Arguments = @{ Shape = 'tiny'; Quantization = 'Q4_0'; ContextSize = 4096 } }
        @{ Case = 'a k-quant shape'; Id = 'FitQuantizationNotPredicted'; Arguments = @{ Shape = 'tiny'; Quantization = 'Q4_K_M'; ContextSize = 512 } }
        @{ Case = 'two targets'; Id = 'FitTwoTargets'; Arguments = @{ Shape = 'tiny'; Quantization = 'Q4_0'; ContextSize = 512; Board = 'Raspberry Pi 5 8GB'; MemoryBytes = 8GB } }
    ) {
        # Parameter-level refusals end the command: one terminating ErrorRecord with the Core's ErrorId.
        { Test-EdgeFit @Arguments -ErrorAction Stop } | Should -Throw -ErrorId "$Id,*"
    }

    It 'refuses a context of 0 at the parameter' {
        { Test-EdgeFit -Shape tiny -Quantization Q4_0 -ContextSize 0 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }
}
