#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Measure-EdgeCost as a pwsh user meets it: results, Import-Csv rows and summaries through the pipeline, files by
# -Path, errors as ErrorRecords with their ids, and the default view in an 80-column console.
#   ./build.sh && pwsh -NoProfile -Command 'Invoke-Pester -Path tests/Pester/Cost.Tests.ps1 -Output Detailed'

Describe 'Measure-EdgeCost' {
    BeforeAll {
        . ([IO.Path]::Combine($PSScriptRoot, 'Common.ps1'))
        $template = Get-Content -LiteralPath ([IO.Path]::Combine($PSScriptRoot, '..', 'Fixtures', 'results', 'written-by-0.1.0.jsonl')) -TotalCount 1 | ConvertFrom-Json
        $lines = foreach ($run in @(@{ D = 11.0; P = 58.0; W = 7.0 }, @{ D = 12.0; P = 60.0; W = 7.2 }, @{ D = 13.0; P = 61.0; W = 7.5 })) {
            $r = $template.PSObject.Copy()
            $r.RunId = [guid]::NewGuid().ToString('N')
            $r.DeviceName = 'Raspberry Pi 5 8GB'; $r.ModelName = 'llama-3.2-1b-instruct'; $r.Quantization = 'Q4_0'; $r.Threads = 4
            $r.PromptTokens = 128; $r.RequestedTokens = 64; $r.GeneratedTokens = 64
            $r.DecodeTokensPerSecond = $run.D; $r.PrefillTokensPerSecond = $run.P; $r.AveragePowerWatts = $run.W
            $r.EnergyScope = 'board-rails'; $r.EnergyMethod = 'integrated-power'; $r.EnergySource = 'pi5:pmic'
            $r | ConvertTo-Json -Compress
        }
        $results = Join-Path $TestDrive 'r.jsonl'
        Set-Content -LiteralPath $results -Value $lines
    }

    It 'prices piped results per configuration and cloud entry, with every input on the record' {
        $rows = @(Import-EdgeResult -Path $results | Measure-EdgeCost -RequestsPerDay 1000)
        $rows.Count | Should -BeGreaterOrEqual 5
        $rows[0].PSObject.TypeNames[0] | Should -Be 'EdgeLm.CostEstimate'
        $mini = $rows | Where-Object CloudModel -EQ 'gpt-4o-mini'
        $mini.BoardPriceUsd | Should -Be 80
        $mini.BoardPriceSource | Should -Be 'catalog'
        $mini.LifetimeYears | Should -Be 3
        $mini.DutyCycle | Should -Be 1
        $mini.ElectricityUsdPerKwh | Should -Be 0.15
        $mini.PowerWatts | Should -Be 7.2
        # By hand, as docs/records.md writes it.
        $perHour = 80 / (3 * 8760) + 7.2 / 1000 * 0.15
        $mini.DeviceUsdPerMillionOutputTokens | Should -BeGreaterThan ($perHour / (12 * 3600) * 1e6 - 1e-9)
        $mini.DeviceUsdPerMillionOutputTokens | Should -BeLessThan ($perHour / (12 * 3600) * 1e6 + 1e-9)
        $mini.CostIsEstimate | Should -BeFalse
        $mini.Cheaper | Should -Be 'cloud'
    }

    It 'takes -Path, Import-Csv rows and summaries alike' {
        $byPath = @(Measure-EdgeCost -Path $results -CloudModel gpt-4o)
        $csv = Join-Path $TestDrive 'r.csv'
        Import-EdgeResult -Path $results | Export-Csv -LiteralPath $csv
        $byCsv = @(Import-Csv -LiteralPath $csv | Measure-EdgeCost -CloudModel gpt-4o)
        $bySummary = @(Measure-EdgeResult -Path $results | Measure-EdgeCost -CloudModel gpt-4o)
        $byPath.Count | Should -Be 1
        $byCsv[0].DeviceUsdPerMillionOutputTokens | Should -Be $byPath[0].DeviceUsdPerMillionOutputTokens
        $bySummary[0].DecodeTokensPerSecond | Should -Be $byPath[0].DecodeTokensPerSecond
        $bySummary[0].PowerSource | Should -Be 'catalog-tdp'
        $bySummary[0].CostIsEstimate | Should -BeTrue
    }

    It 'writes a flat row Export-Csv keeps whole' {
        $csv = Join-Path $TestDrive 'cost.csv'
        Measure-EdgeCost -Path $results -CloudModel 'claude*' | Export-Csv -LiteralPath $csv
        $back = @(Import-Csv -LiteralPath $csv)
        $back.Count | Should -Be 2
        $back[0].PSObject.Properties.Name | Should -Contain 'CloudPriceSource'
        $back[0].CloudPriceSource | Should -BeLike 'https://*'
    }

    It 'refuses an unknown board with a terminating ErrorRecord naming -BoardPriceUsd' {
        # Terminating: no configuration can be priced without the price, whatever else is piped.
        $other = Join-Path $TestDrive 'pi5.jsonl'
        (Get-Content -LiteralPath $results) -replace 'Raspberry Pi 5 8GB', 'pi5' | Set-Content -LiteralPath $other
        $record = { Measure-EdgeCost -Path $other } | Should -Throw -ErrorId 'BoardPriceUnknown*' -PassThru
        $record.Exception.Message | Should -Match "'pi5'.*-BoardPriceUsd"
        @(Measure-EdgeCost -Path $other -BoardPriceUsd 60 -CloudModel gpt-4o).Count | Should -Be 1
    }

    It 'refuses a price file that is a FIFO, and bad settings, with their ids' {
        $fifo = Join-Path $TestDrive 'prices'
        & mkfifo $fifo
        $err = $null
        $null = Measure-EdgeCost -Path $results -CloudPricePath $fifo -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NotARegularFile*'
        { Measure-EdgeCost -Path $results -DutyCycle 2 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidDutyCycle*'
        { Measure-EdgeCost -Path $results -ElectricityUsdPerKwh ([double]::NaN) -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidElectricityPrice*'
    }

    It 'says a result row that is no result is an error and prices the others' {
        $err = $null
        $rows = @(@('not a result') + @(Import-EdgeResult -Path $results) | Measure-EdgeCost -CloudModel gpt-4o -ErrorVariable err -ErrorAction SilentlyContinue)
        $rows.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NotAResult*'
    }

    It 'shows its default view in 80 columns' {
        $text = Measure-EdgeCost -Path $results | Out-String -Width 80
        foreach ($line in $text -split "`r?`n") { $line.Length | Should -BeLessOrEqual 80 -Because "'$line' must fit" }
        $text | Should -Match 'Device: Raspberry Pi 5 8GB'
        $text | Should -Match 'llama-3.2-1b-instruct +Q4_0 +4 gpt-4o-mini'
    }
}
