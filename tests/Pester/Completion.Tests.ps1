#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Tab completion as a user at the console gets it (TabExpansion2): argument values for every enumerable
# parameter, and property names after a pipe for every cmdlet's output ([OutputType] names the real type).

BeforeDiscovery {
    # Each exported cmdlet, a way to call it, and a property of what it emits.
    $script:outputs = @(
        @{ Command = 'Compare-EdgeResult'; Line = 'Compare-EdgeResult a.jsonl b.jsonl'; Word = 'Verd'; Property = 'Verdict' }
        @{ Command = 'Convert-EdgeModel'; Line = 'Convert-EdgeModel a.gguf Q8_0 b.gguf'; Word = 'Quant'; Property = 'Quantization' }
        @{ Command = 'Export-EdgeResult'; Line = 'Export-EdgeResult r.md -PassThru'; Word = 'FullN'; Property = 'FullName' }
        @{ Command = 'Export-EdgeReport'; Line = 'Export-EdgeReport r.jsonl -PassThru'; Word = 'FullN'; Property = 'FullName' }
        @{ Command = 'Get-DeviceProfile'; Line = 'Get-DeviceProfile'; Word = 'BoardM'; Property = 'BoardModel' }
        @{ Command = 'Get-EdgeModel'; Line = 'Get-EdgeModel m.gguf'; Word = 'ParameterC'; Property = 'ParameterCount' }
        @{ Command = 'Get-EdgePowerSource'; Line = 'Get-EdgePowerSource'; Word = 'Reada'; Property = 'Readable' }
        @{ Command = 'Import-EdgeResult'; Line = 'Import-EdgeResult r.jsonl'; Word = 'TimeToF'; Property = 'TimeToFirstTokenMs' }
        @{ Command = 'Invoke-EdgeBenchmark'; Line = 'Invoke-EdgeBenchmark -Plan p.yaml'; Word = 'DecodeTokensPerS'; Property = 'DecodeTokensPerSecond' }
        @{ Command = 'Invoke-EdgeInference'; Line = 'Invoke-EdgeInference -Model m.gguf -Prompt hi'; Word = 'DecodeTokensPerS'; Property = 'DecodeTokensPerSecond' }
        @{ Command = 'Measure-EdgeQuality'; Line = 'Measure-EdgeQuality m.gguf t.txt'; Word = 'KlDiv'; Property = 'KlDivergenceMean' }
        @{ Command = 'Measure-EdgeEnergy'; Line = 'Measure-EdgeEnergy -Duration 1'; Word = 'NetE'; Property = 'NetEnergyJoules' }
        @{ Command = 'Measure-EdgeResult'; Line = 'Measure-EdgeResult r.jsonl'; Word = 'DecodeTokensPerSecondMed'; Property = 'DecodeTokensPerSecondMedian' }
        @{ Command = 'New-EdgeSyntheticModel'; Line = 'New-EdgeSyntheticModel -OutputPath m.gguf'; Word = 'ParameterC'; Property = 'ParameterCount' }
        @{ Command = 'Test-EdgeBudget'; Line = 'Test-EdgeBudget b.yaml -Path r.jsonl'; Word = 'Pass'; Property = 'Passed' }
        @{ Command = 'Measure-EdgeCost'; Line = 'Measure-EdgeCost r.jsonl -BoardPriceUsd 80'; Word = 'DeviceUsdPerMillionO'; Property = 'DeviceUsdPerMillionOutputTokens' }
        @{ Command = 'Test-EdgeFit'; Line = 'Test-EdgeFit -Shape tiny -Quantization Q4_0 -ContextSize 512'; Word = 'PredictedPeakR'; Property = 'PredictedPeakRssBytes' }
        @{ Command = 'Test-EdgePrompt'; Line = 'Test-EdgePrompt -Model m.gguf -Suite s.yaml'; Word = 'PromptI'; Property = 'PromptId' }
    )
    $script:consumers = @(
        @{ Consumer = 'Sort-Object'; Template = '{0} | Sort-Object {1}' }
        @{ Consumer = 'Where-Object'; Template = '{0} | Where-Object {1}' }
        @{ Consumer = 'Select-Object'; Template = '{0} | Select-Object {1}' }
        @{ Consumer = 'Group-Object'; Template = '{0} | Group-Object {1}' }
        @{ Consumer = 'ForEach-Object'; Template = '{0} | ForEach-Object {{ $_.{1}' }
    )
}

Describe 'EdgeLm completion' {
    BeforeAll {
        . ([IO.Path]::Combine($PSScriptRoot, 'Common.ps1'))
        $jetson = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', 'Fixtures', 'energy', 'jetson-orin-nano-jp6'))

        # What Tab offers at the end of a line.
        function Get-Completion([string] $Line) {
            (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches
        }
    }

    Context 'Argument values' {
        It 'completes -Shape from the synthetic shapes' {
            (Get-Completion 'New-EdgeSyntheticModel -Shape ti').CompletionText | Should -Contain 'tiny'
        }

        It 'completes -Quantization of <_>' -ForEach 'New-EdgeSyntheticModel', 'Convert-EdgeModel' {
            (Get-Completion "$_ -Quantization Q8").CompletionText | Should -Contain 'Q8_0'
        }

        It "completes -ChatTemplate with the model's own and llama.cpp's built-in templates" {
            $templates = (Get-Completion 'Invoke-EdgeInference -ChatTemplate ').CompletionText

            $templates | Should -Contain 'model'
            $templates | Should -Contain 'chatml'
        }

        It 'completes -EnergySource with the power sources found on this machine' {
            $names = (Get-EdgePowerSource).Name

            $completed = Get-Completion 'Invoke-EdgeInference -EnergySource '

            $completed.ListItemText | Sort-Object | Should -Be ($names | Sort-Object)
            ($completed | Where-Object ListItemText -Like 'estimate*').ToolTip | Should -BeLike '*estimate*'
            $completed[0].CompletionText | Should -Be $completed[0].ListItemText -Because 'PowerShell reads rapl:package-0 as one word'
        }

        It 'completes -Source with the sources under -Root, readable ones first' {
            $completed = Get-Completion "Measure-EdgeEnergy -Root '$jetson' -Source "

            $sources = Get-EdgePowerSource -Root $jetson
            $completed.ListItemText | Should -Be (@($sources | Where-Object Readable) + @($sources | Where-Object Readable -EQ $false)).Name
            $completed.ListItemText | Should -Contain 'jetson:VDD_IN'
        }

        It "completes the next part of a '+'-joined -Source" {
            $completed = Get-Completion "Measure-EdgeEnergy -Root '$jetson' -Source jetson:VDD_CPU_GPU_CV+jetson:VDD_S"

            $completed.CompletionText | Should -Be 'jetson:VDD_CPU_GPU_CV+jetson:VDD_SOC'
        }

        It 'offers a -Meter by name without reading it' {
            $completed = Get-Completion "Measure-EdgeEnergy -Meter 'shelly-gen2=http://192.0.2.1' -Source meter"

            $completed.ListItemText | Should -Be 'meter:shelly-gen2'
        }

        It 'completes -Meter of <_> with the meter kinds' -ForEach 'Get-EdgePowerSource', 'Invoke-EdgeInference', 'Measure-EdgeEnergy' {
            (Get-Completion "$_ -Meter ").CompletionText | Should -Be @('shelly-gen1=', 'shelly-gen2=', 'tasmota=', 'command=')
            (Get-Completion "$_ -Meter ta").CompletionText | Should -Be 'tasmota='
        }

        It 'completes -GroupBy of <_> with InferenceResult properties, the default keys first' -ForEach 'Measure-EdgeResult', 'Compare-EdgeResult' {
            (Get-Completion "$_ -GroupBy Thr").CompletionText | Should -Be @('Threads', 'Throttled')
            (Get-Completion "$_ -GroupBy ")[0].CompletionText | Should -Be 'DeviceName'
            (Get-Completion "$_ -GroupBy ModelName, Back").CompletionText | Should -Be 'Backend'
        }

        It 'completes -Format of Export-EdgeResult' {
            (Get-Completion 'Export-EdgeResult r -Format ').CompletionText | Sort-Object | Should -Be @('Csv', 'Jsonl', 'Markdown')
        }

        It 'completes -FlashAttention of Invoke-EdgeInference' {
            (Get-Completion 'Invoke-EdgeInference -FlashAttention ').CompletionText | Should -Contain 'Auto'
        }

        It 'has a completer or a fixed set for every parameter that names something from a list' {
            $enumerable = '^(EnergySource|Source|Meter|GroupBy|Shape|Quantization|ChatTemplate|Figure|Statistic|Board|Format|FlashAttention)$'
            $missing = foreach ($command in Get-Command -Module EdgeLm) {
                foreach ($parameter in $command.Parameters.Values | Where-Object Name -Match $enumerable) {
                    $completes = $parameter.Attributes | Where-Object {
                        $_ -is [System.Management.Automation.ArgumentCompleterAttribute] -or $_ -is [System.Management.Automation.ValidateSetAttribute]
                    }
                    if (-not $completes -and -not $parameter.ParameterType.IsEnum) {
                        "$($command.Name) -$($parameter.Name)"
                    }
                }
            }

            $missing | Should -BeNullOrEmpty
        }
    }

    Context 'Properties after a pipe' {
        It 'knows what every cmdlet emits' -ForEach @{ Covered = $outputs.Command } {
            (Get-Command -Module EdgeLm).Name | Sort-Object | Should -Be ($Covered | Sort-Object)
        }

        It '<Command> | <Consumer> completes <Property>' -ForEach ($outputs | ForEach-Object {
                $output = $_
                $consumers | ForEach-Object { $output + $_ }
            }) {
            $line = $Template -f $Line, $Word

            (Get-Completion $line).CompletionText | Should -Contain $Property
        }

        It 'offers a summary''s columns, not the members of its record interface' {
            $completed = (Get-Completion 'Measure-EdgeResult r.jsonl | Sort-Object ').CompletionText

            $completed | Should -Contain 'Runs'
            $completed | Should -Contain 'ModelName'
            $completed | Should -Contain 'JoulesPerTokenMedian'
            $completed | Should -Not -Contain 'Fields'
            $completed | Should -Not -Contain 'TypeName'
            $completed | Should -Not -Contain 'Item'
        }

        It 'completes the columns of a comparison' {
            (Get-Completion 'Compare-EdgeResult a b | Sort-Object Rat').CompletionText | Should -Be @('Ratio', 'RatioCiHigh', 'RatioCiLow')
        }
    }
}
