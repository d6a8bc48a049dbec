#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# No silent wrong answers in pipelines: results that went through Export-Csv/Import-Csv, Export-Clixml/
# Import-Clixml or remoting give the same answers as the typed results, or an error that names what is wrong.
# Runs the built module (out/EdgeLm) on a tiny synthetic model.

Describe 'EdgeLm pipelines' {
    BeforeAll {
        . ([IO.Path]::Combine($PSScriptRoot, 'Common.ps1'))

        $model = Join-Path $TestDrive 'tiny-q8.gguf'
        $null = New-EdgeSyntheticModel -Shape tiny -Quantization Q8_0 -OutputPath $model -ErrorAction Stop
        $resultsFile = Join-Path $TestDrive 'bench.jsonl'
        $benchmark = Invoke-EdgeBenchmark -Model $model -Threads 1, 2 -PromptTokens 16 -GenerationTokens 8 -Repetitions 3 -Warmups 0 -OutputPath $resultsFile
        # A warm-up among them: it must count out however the results arrive.
        $withWarmup = Invoke-EdgeInference -Model $model -PromptTokens 16 -MaxTokens 8 -Threads 1 -Repeat 2 -Warmup 1 -IncludeWarmup
        $typed = @($benchmark) + @($withWarmup)

        $csv = Join-Path $TestDrive 'results.csv'
        $typed | Export-Csv -LiteralPath $csv -NoTypeInformation
        $csvRows = Import-Csv -LiteralPath $csv
        $clixml = Join-Path $TestDrive 'results.xml'
        $typed | Export-Clixml -LiteralPath $clixml
        $clixmlRows = Import-Clixml -LiteralPath $clixml
        # What Invoke-Command hands back: the same serializer at remoting's depth.
        $remoteRows = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($typed, 1))

        $budget = Join-Path $TestDrive 'budget.yaml'
        Set-Content -LiteralPath $budget -Value "budgets:`n  - figure: DecodeTokensPerSecond`n    min: 1`n  - figure: PeakRssBytes`n    max: 1GB`n  - figure: TimeToFirstTokenMs`n    max: 100000`n    statistic: p95"

        # The columns of a summary that identify it and the figures it reports, for comparing summaries.
        function Get-SummaryKey($summary) {
            '{0}|{1}|{2}|{3}|{4}|{5}|{6:R}|{7:R}|{8:R}' -f $summary.DeviceName, $summary.ModelName, $summary.Threads, $summary.PromptTokens, $summary.Runs,
                $summary.Noisy, $summary.DecodeTokensPerSecondMedian, $summary.PrefillTokensPerSecondMedian, $summary.TimeToFirstTokenMsP95
        }
    }

    Context 'Rows from Import-Csv, Import-Clixml and remoting' {
        BeforeAll {
            $expected = @($typed | Measure-EdgeResult | ForEach-Object { Get-SummaryKey $_ })
        }

        It 'starts from results with a warm-up, rows of text and deserialized rows' {
            $typed | Where-Object Warmup | Should -HaveCount 1
            $csvRows[0].Warmup | Should -BeOfType [string]
            $clixmlRows[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.EdgeLm.InferenceResult'
            $remoteRows[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.EdgeLm.InferenceResult'
            $expected | Should -HaveCount 2
        }

        It 'Measure-EdgeResult gives the same summaries from <Name>' -ForEach @(
            @{ Name = 'Import-Csv rows'; Rows = 'csvRows' }
            @{ Name = 'Import-Clixml rows'; Rows = 'clixmlRows' }
            @{ Name = 'remoting rows'; Rows = 'remoteRows' }
        ) {
            $rows = Get-Variable -Name $Rows -ValueOnly

            $summaries = $rows | Measure-EdgeResult -ErrorAction Stop

            @($summaries | ForEach-Object { Get-SummaryKey $_ }) | Should -Be $expected
            ($summaries | Measure-Object -Property Runs -Sum).Sum | Should -Be 8 -Because 'the warm-up never counts'
        }

        It 'Measure-EdgeResult takes rows given to -InputObject' {
            @(Measure-EdgeResult -InputObject $csvRows | ForEach-Object { Get-SummaryKey $_ }) | Should -Be $expected
        }

        It 'Test-EdgeBudget gives the same verdicts from CSV rows and deserialized rows' {
            $want = $typed | Test-EdgeBudget -Budget $budget
            $want.Runs | Should -Be @(8, 8, 8)

            foreach ($rows in $csvRows, $clixmlRows) {
                $got = $rows | Test-EdgeBudget -Budget $budget -ErrorAction Stop
                $got.Runs | Should -Be $want.Runs
                $got.Value | Should -Be $want.Value
                $got.Passed | Should -Be $want.Passed
            }
        }

        It 'Compare-EdgeResult compares rows as it compares results' {
            $want = Compare-EdgeResult -Baseline $typed -Candidate $benchmark

            $got = Compare-EdgeResult -Baseline $csvRows -Candidate $remoteRows -ErrorAction Stop

            $got | Should -HaveCount $want.Count
            $got.Figure | Should -Be $want.Figure
            $got.BaselineRuns | Should -Be $want.BaselineRuns
            $got.BaselineMedian | Should -Be $want.BaselineMedian
            $got.Verdict | Sort-Object -Unique | Should -Be 'no significant difference'
        }

        It 'Compare-EdgeResult takes a results file on one side and rows on the other' {
            (Compare-EdgeResult -Baseline $resultsFile -Candidate $clixmlRows -ErrorAction Stop).CandidateRuns | Should -Not -Contain 0
        }

        It 'Export-EdgeResult writes CSV rows as the results they are' {
            $jsonl = Join-Path $TestDrive 'from-rows.jsonl'
            $csvRows | Export-EdgeResult -Path $jsonl -ErrorAction Stop

            $back = Import-EdgeResult -Path $jsonl -ErrorAction Stop

            $back | Should -HaveCount $typed.Count
            ($back | ConvertTo-Json -Compress) | Should -Be ($typed | ConvertTo-Json -Compress)
        }

        It 'Export-EdgeResult writes deserialized results as the results they are' {
            $csvOut = Join-Path $TestDrive 'from-clixml.csv'
            $clixmlRows | Export-EdgeResult -Path $csvOut -ErrorAction Stop

            (Import-EdgeResult -Path $csvOut | ConvertTo-Json -Compress) | Should -Be ($typed | ConvertTo-Json -Compress)
        }
    }

    Context 'Rows that are no results' {
        It 'names the property and value that cannot be converted, and goes on with the others' {
            $rows = Import-Csv -LiteralPath $csv
            $rows[1].Threads = 'abc'

            $summaries = $rows | Measure-EdgeResult -ErrorVariable problems -ErrorAction SilentlyContinue

            $problems | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'InvalidResultValue,*'
            $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $problems[0].Exception.Message | Should -BeLike "input 2 (RunId $($rows[1].RunId)): Threads 'abc' is not a whole number from -2147483648 to 2147483647"
            ($summaries | Measure-Object -Property Runs -Sum).Sum | Should -Be 7
        }

        It 'names the properties a row lacks' {
            $rows = Import-Csv -LiteralPath $csv | Select-Object -Property * -ExcludeProperty Warmup

            $verdicts = $rows | Test-EdgeBudget -Budget $budget -ErrorVariable problems -ErrorAction SilentlyContinue

            $problems | Should -HaveCount $typed.Count
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'NotAResult,*'
            $problems[0].Exception.Message | Should -BeLike '*not an InferenceResult: no Warmup'
            $verdicts.Passed | Should -Not -Contain $true -Because 'no run shows a budget is kept'
        }

        It 'says a summary is a summary, not a result' {
            $summaries = $typed | Measure-EdgeResult

            $null = $summaries | Measure-EdgeResult -ErrorVariable problems -ErrorAction SilentlyContinue

            $problems | Should -HaveCount 2
            $problems[0].Exception.Message | Should -BeLike 'input 1 (EdgeLm.BenchmarkSummary): a benchmark summary (Measure-EdgeResult*), not an InferenceResult*'
        }

        It 'refuses text and other objects, naming them' {
            { 'results.jsonl' | Measure-EdgeResult -ErrorAction Stop } | Should -Throw -ExpectedMessage "*'results.jsonl' is text, not a result*"
            { Compare-EdgeResult -Baseline $typed -Candidate (Get-Item -LiteralPath $TestDrive) -ErrorAction Stop } |
                Should -Throw -ExpectedMessage '-Candidate item 1 (System.IO.DirectoryInfo): not a result*'
        }

        It 'Export-EdgeResult refuses what is no EdgeLm record and writes the rest' {
            $out = Join-Path $TestDrive 'mixed.jsonl'
            $mixed = @($typed[0]; (Get-Item -LiteralPath $TestDrive); $typed[1])

            $mixed | Export-EdgeResult -Path $out -ErrorVariable problems -ErrorAction SilentlyContinue

            $problems | Should -HaveCount 1
            $problems[0].Exception.Message | Should -BeLike 'input 2: a System.IO.DirectoryInfo is not an EdgeLm record*'
            Get-Content -LiteralPath $out | Should -HaveCount 2
        }

        It 'Export-EdgeResult leaves an existing file alone when nothing can be written' {
            $out = Join-Path $TestDrive 'kept.jsonl'
            Set-Content -LiteralPath $out -Value 'previous'

            Get-Item -LiteralPath $TestDrive | Export-EdgeResult -Path $out -ErrorAction SilentlyContinue

            Get-Content -LiteralPath $out | Should -Be 'previous'
        }
    }

    Context 'Results files with lines that are no results' {
        It 'names the file and line of a JSON line that is no record' {
            $file = Join-Path $TestDrive 'not-a-record.jsonl'
            Set-Content -LiteralPath $file -Value '{"a":1}'

            $read = Import-EdgeResult -Path $file -ErrorVariable problems -ErrorAction SilentlyContinue

            $read | Should -BeNullOrEmpty
            $problems | Should -HaveCount 1
            $problems[0].Exception.Message | Should -BeLike "$file line 1: not an InferenceResult: no RunId, *"
            $problems[0].TargetObject | Should -Be $file
        }

        It 'keeps every result around a corrupt line and names that line' {
            $lines = Get-Content -LiteralPath $resultsFile
            $file = Join-Path $TestDrive 'corrupt.jsonl'
            Set-Content -LiteralPath $file -Value (@($lines[0..1]) + '{"RunId": "cut short' + @($lines[2..5]))

            $read = Import-EdgeResult -Path $file -ErrorVariable problems -ErrorAction SilentlyContinue

            $read | Should -HaveCount 6
            $read.RunId | Should -Be $benchmark.RunId
            $problems | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'ResultsCorrupt,*'
            $problems[0].Exception.Message | Should -BeLike "$file line 3, column * is not a JSON record: *"
        }

        It 'Measure-EdgeResult -Path summarises the good lines and reports the bad one' {
            $lines = Get-Content -LiteralPath $resultsFile
            $file = Join-Path $TestDrive 'one-bad.jsonl'
            Set-Content -LiteralPath $file -Value (@($lines[0..2]) + $lines[3].Replace('"Threads":2', '"Threads":"two"') + @($lines[4..5]))

            $summaries = Measure-EdgeResult -Path $file -ErrorVariable problems -ErrorAction SilentlyContinue

            ($summaries | Measure-Object -Property Runs -Sum).Sum | Should -Be 5
            $problems[0].Exception.Message | Should -Be "$file line 4: Threads 'two' is not a whole number from -2147483648 to 2147483647"
        }

        It 'reads a CSV written with a #TYPE line' {
            $file = Join-Path $TestDrive 'typed.csv'
            $typed | Export-Csv -LiteralPath $file -IncludeTypeInformation

            (Import-EdgeResult -Path $file -ErrorAction Stop | ConvertTo-Json -Compress) | Should -Be ($typed | ConvertTo-Json -Compress)
            # Import-Csv gives such rows the type name they were written with (pwsh 7.6: EdgeLm.InferenceResult).
            (Import-Csv -LiteralPath $file)[0].PSObject.TypeNames[0] | Should -BeLike '*EdgeLm.InferenceResult'
            @(Import-Csv -LiteralPath $file | Measure-EdgeResult -ErrorAction Stop | ForEach-Object { Get-SummaryKey $_ }) |
                Should -Be @($typed | Measure-EdgeResult | ForEach-Object { Get-SummaryKey $_ })
        }
    }

    Context 'Summaries and comparisons' {
        BeforeAll {
            $summaries = $typed | Measure-EdgeResult
            $comparisons = Compare-EdgeResult -Baseline $typed -Candidate $benchmark
        }

        It 'are typed: sorting by a figure sorts numbers' {
            $summaries[0].PSObject.TypeNames[0] | Should -Be 'EdgeLm.BenchmarkSummary'
            $comparisons[0].PSObject.TypeNames[0] | Should -Be 'EdgeLm.ResultComparison'
            $summaries[0].DecodeTokensPerSecondMedian | Should -BeOfType [double]
            $summaries[0].Threads | Should -BeOfType [int]
            $sorted = $summaries | Sort-Object -Property DecodeTokensPerSecondMedian
            $sorted[0].DecodeTokensPerSecondMedian | Should -BeLessOrEqual $sorted[1].DecodeTokensPerSecondMedian
        }

        It 'have a column for a -GroupBy key outside the defaults, first' {
            $byBackend = $typed | Measure-EdgeResult -GroupBy Backend, Threads

            $byBackend[0].PSObject.Properties.Name[0] | Should -Be 'Backend'
            $byBackend[0].Backend | Should -Be $typed[0].Backend
            $byBackend[0].ModelName | Should -BeNullOrEmpty -Because 'not grouped by model'
        }

        It 'export to CSV with Export-Csv as flat rows' {
            $file = Join-Path $TestDrive 'summaries-export-csv.csv'
            $summaries | Export-Csv -LiteralPath $file -NoTypeInformation

            $rows = Import-Csv -LiteralPath $file
            $rows | Should -HaveCount 2
            $rows[0].PSObject.Properties.Name | Should -Contain 'DecodeTokensPerSecondMedian'
            $rows[0].PSObject.Properties.Name | Should -Not -Contain 'Fields'
            foreach ($property in $rows[0].PSObject.Properties) {
                $property.Value | Should -Not -BeLike 'System.*' -Because "$($property.Name) must be a scalar"
            }
            [double]$rows[0].DecodeTokensPerSecondMedian | Should -Be $summaries[0].DecodeTokensPerSecondMedian
        }

        It 'export with Export-EdgeResult as <Format> with their columns' -ForEach @(
            @{ Format = 'Jsonl' }
            @{ Format = 'Csv' }
            @{ Format = 'Markdown' }
        ) {
            foreach ($set in @($summaries), @($comparisons)) {
                $file = Join-Path $TestDrive "flat.$Format"
                $set | Export-EdgeResult -Path $file -Format $Format -ErrorAction Stop
                $text = Get-Content -LiteralPath $file -Raw

                $text | Should -Not -BeNullOrEmpty
                $text | Should -Not -Match '^\{\}'
                $column = if ($set[0].PSObject.TypeNames[0] -eq 'EdgeLm.BenchmarkSummary') { 'DecodeTokensPerSecondMedian' } else { 'Verdict' }
                $text | Should -BeLike "*$column*"
            }

            if ($Format -eq 'Jsonl') {
                $first = Get-Content -LiteralPath (Join-Path $TestDrive 'flat.Jsonl') | Select-Object -First 1 | ConvertFrom-Json
                $first.Verdict | Should -Be $comparisons[0].Verdict
                $first.PSObject.Properties.Name | Should -Not -Contain 'DeviceName' -Because 'comparisons are not grouped by device unless asked'
            }
        }

        It 'export their exact columns, values intact' {
            $file = Join-Path $TestDrive 'summaries.csv'
            $summaries | Export-EdgeResult -Path $file

            $rows = Import-Csv -LiteralPath $file
            $rows | Should -HaveCount 2
            $rows[0].PSObject.Properties.Name | Should -Not -Contain 'EnergyJoulesMedian' -Because 'no run measured energy'
            [double]$rows[1].DecodeTokensPerSecondMedian | Should -Be $summaries[1].DecodeTokensPerSecondMedian
            $rows[1].Runs | Should -Be ([string]$summaries[1].Runs)
        }

        It 'are refused by Import-EdgeResult as what they are' {
            $file = Join-Path $TestDrive 'summaries.jsonl'
            $summaries | Export-EdgeResult -Path $file
            $csvFile = Join-Path $TestDrive 'comparisons.csv'
            $comparisons | Export-EdgeResult -Path $csvFile

            $read = Import-EdgeResult -Path $file, $csvFile -ErrorVariable problems -ErrorAction SilentlyContinue

            $read | Should -BeNullOrEmpty
            $problems | Should -HaveCount 3
            $problems[0].Exception.Message | Should -BeLike "$file line 1: a benchmark summary (Measure-EdgeResult*), not an InferenceResult*"
            $problems[2].Exception.Message | Should -BeLike "$csvFile holds no results: a comparison (Compare-EdgeResult*), not an InferenceResult*"
        }

        It 'deserialized, export as the flat rows they are' {
            $file = Join-Path $TestDrive 'summaries.xml'
            $summaries | Export-Clixml -LiteralPath $file
            $out = Join-Path $TestDrive 'deserialized-summaries.jsonl'

            Import-Clixml -LiteralPath $file | Export-EdgeResult -Path $out -ErrorAction Stop

            $first = Get-Content -LiteralPath $out | Select-Object -First 1 | ConvertFrom-Json
            $first.DecodeTokensPerSecondMedian | Should -Be $summaries[0].DecodeTokensPerSecondMedian
            $first.Runs | Should -Be $summaries[0].Runs
        }
    }

    Context 'Every record exports in every format' {
        BeforeAll {
            $records = @(
                @{ Type = 'InferenceResult'; Value = $typed }
                @{ Type = 'BudgetResult'; Value = ($typed | Test-EdgeBudget -Budget $budget) }
                @{ Type = 'DeviceProfile'; Value = (Get-DeviceProfile) }
                @{ Type = 'ModelInfo'; Value = (Get-EdgeModel -LiteralPath $model) }
                @{ Type = 'EnergyMeasurement'; Value = (Measure-EdgeEnergy -Duration 0.3) }
                @{ Type = 'PowerSourceInfo'; Value = (Get-EdgePowerSource) }
            )
        }

        It '<Type> as Jsonl, Csv and Markdown with all its properties' -ForEach @(
            @{ Type = 'InferenceResult' }, @{ Type = 'BudgetResult' }, @{ Type = 'DeviceProfile' }, @{ Type = 'ModelInfo' }
            @{ Type = 'EnergyMeasurement' }, @{ Type = 'PowerSourceInfo' }
        ) {
            $value = ($records | Where-Object { $_.Type -eq $Type }).Value
            $names = @($value)[0].PSObject.Properties.Name

            $jsonl = Join-Path $TestDrive "$Type.jsonl"
            $value | Export-EdgeResult -Path $jsonl -ErrorAction Stop
            (Get-Content -LiteralPath $jsonl | Select-Object -First 1 | ConvertFrom-Json -AsHashtable).Keys | Should -Be $names

            $csvFile = Join-Path $TestDrive "$Type.csv"
            $value | Export-EdgeResult -Path $csvFile -ErrorAction Stop
            (Import-Csv -LiteralPath $csvFile)[0].PSObject.Properties.Name | Should -Be $names

            $markdown = Join-Path $TestDrive "$Type.md"
            @($value)[0] | Export-EdgeResult -Path $markdown -ErrorAction Stop
            $text = Get-Content -LiteralPath $markdown -Raw
            $text | Should -BeLike '| Property | Value |*'
            foreach ($name in $names) {
                $text | Should -BeLike "*| $name |*"
            }
        }
    }
}
