#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Export-EdgeReport as a pwsh user meets it: from a results file, from piped records (results from Import-Csv, a
# device profile beside them), -PassThru and -WhatIf, and a file that is not a report left alone with an ErrorRecord.
#   ./build.sh && pwsh -NoProfile -Command 'Invoke-Pester -Path tests/Pester/Report.Tests.ps1 -Output Detailed'

Describe 'Export-EdgeReport' {
    BeforeAll {
        . ([IO.Path]::Combine($PSScriptRoot, 'Common.ps1'))
        $model = Join-Path $TestDrive 'tiny.gguf'
        $null = New-EdgeSyntheticModel -Shape tiny -OutputPath $model -ErrorAction Stop
        $results = Join-Path $TestDrive 'runs.jsonl'
        $null = Invoke-EdgeBenchmark -Model $model -Threads 1 -PromptTokens 8 -GenerationTokens 4 -Repetitions 2 -Warmups 0 -OutputPath $results -ErrorAction Stop
    }

    It 'writes one HTML file from a results file and passes it on' {
        $report = Join-Path $TestDrive 'report.html'
        $file = Export-EdgeReport -Path $results -OutputPath $report -BoardPriceUsd 80 -PassThru -ErrorAction Stop
        $file | Should -BeOfType [IO.FileInfo]
        $file.FullName | Should -Be $report
        $html = Get-Content -Raw -LiteralPath $report
        $html | Should -Match '<h2 id="speed">'
        $html | Should -Match '<svg class="chart"'
        $html | Should -Not -Match '<script'
    }

    It 'takes results from Import-Csv and a device profile from the pipeline' {
        $csv = Join-Path $TestDrive 'runs.csv'
        Import-EdgeResult -Path $results | Export-Csv -LiteralPath $csv
        $report = Join-Path $TestDrive 'piped.html'
        @(Get-DeviceProfile) + @(Import-Csv -LiteralPath $csv) | Export-EdgeReport -OutputPath $report -Title 'Piped' -ErrorAction Stop
        $html = Get-Content -Raw -LiteralPath $report
        $html | Should -Match '<title>Piped</title>'
        $html | Should -Match '<dt>CPU</dt>'
    }

    It 'writes nothing with -WhatIf' {
        $report = Join-Path $TestDrive 'whatif.html'
        Export-EdgeReport -Path $results -OutputPath $report -WhatIf
        Test-Path -LiteralPath $report | Should -BeFalse
    }

    It 'leaves a file that is not a report alone, with the error ReportWouldOverwrite' {
        $notes = Join-Path $TestDrive 'notes.html'
        Set-Content -LiteralPath $notes -Value 'my notes'
        { Export-EdgeReport -Path $results -OutputPath $notes -ErrorAction Stop } | Should -Throw -ErrorId 'ReportWouldOverwrite*'
        Get-Content -Raw -LiteralPath $notes | Should -Be "my notes$([Environment]::NewLine)"
    }

    It 'refuses input that is no result, naming it, and still writes the rest' {
        $report = Join-Path $TestDrive 'mixed.html'
        $errors = @()
        @('not a result') + @(Import-EdgeResult -Path $results) | Export-EdgeReport -OutputPath $report -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'NotAResult*'
        Test-Path -LiteralPath $report | Should -BeTrue
    }
}
