#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# The console views of module/EdgeLm.Format.ps1xml, read from the file itself so that a view added later
# without a test object here fails: every view but 'Wide' fits an 80-column console (an SSH session on a board;
# PowerShell keeps a console's last column free, so a table there gets 79),
# its header is one line, no value is cut with '…', and realistic values (llama-3.2-1b-instruct, the longest
# board names of the catalog) fit their columns without wrapping. Every type has a 'Wide' table view.
#   ./build.sh && pwsh -NoProfile -Command 'Invoke-Pester -Path tests/Pester/Views.Tests.ps1 -Output Detailed'

BeforeDiscovery {
    $formatPath = [IO.Path]::Combine($PSScriptRoot, '..', '..', 'module', 'EdgeLm.Format.ps1xml')
    $format = [xml](Get-Content -Raw -LiteralPath $formatPath)
    $byType = [ordered]@{}
    foreach ($view in $format.Configuration.ViewDefinitions.View) {
        $control = if ($view.TableControl) { 'Table' } elseif ($view.ListControl) { 'List' } else { 'Other' }
        $headers = @(if ($control -eq 'Table') { $view.TableControl.TableHeaders.TableColumnHeader })
        $widths = @($headers | ForEach-Object { if ($_.Width) { [int]$_.Width } else { 0 } })
        $labels = @(if ($control -eq 'Table') { $headers | ForEach-Object { [string]$_.Label } }
            elseif ($control -eq 'List') {
                $view.ListControl.ListEntries.ListEntry.ListItems.ListItem | ForEach-Object { if ($_.Label) { [string]$_.Label } else { [string]$_.PropertyName } }
            })
        $total = ($widths | Measure-Object -Sum).Sum + [Math]::Max(0, $widths.Count - 1)
        foreach ($typeName in @($view.ViewSelectedBy.TypeName)) {
            if (-not $byType.Contains($typeName)) { $byType[$typeName] = [Collections.Generic.List[hashtable]]::new() }
            $byType[$typeName].Add(@{
                Name    = [string]$view.Name
                Control = $control
                Labels  = $labels
                Widths  = $widths
                Total   = $total
                GroupBy = [bool]$view.GroupBy
            })
        }
    }

    $types = @(foreach ($typeName in $byType.Keys) {
            $views = @($byType[$typeName])
            @{ Type = $typeName; Views = $views; Default = $views[0]; FirstTable = @($views | Where-Object Control -EQ 'Table')[0] }
        })
    $narrowViews = @(foreach ($t in $types) {
            foreach ($v in $t.Views | Where-Object Name -NE 'Wide') { @{ Type = $t.Type; View = $v; Name = $v.Name; Control = $v.Control } }
        })
    $wideViews = @(foreach ($t in $types) {
            foreach ($v in $t.Views | Where-Object Name -EQ 'Wide') { @{ Type = $t.Type; View = $v; Name = $v.Name } }
        })
}

Describe 'EdgeLm format views' {
    BeforeAll {
        . ([IO.Path]::Combine($PSScriptRoot, 'Common.ps1'))
        # What Format-Table gets in an 80-column terminal: PowerShell leaves the last column free.
        $TableWidth = 79
        $fixtures = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', 'Fixtures'))

        # A copy of a record with some properties replaced: .NET records by their setters, flat records
        # (Measure-EdgeResult, Compare-EdgeResult) as PSObjects with the same type name.
        function New-Variant([object] $Like, [hashtable] $Values) {
            if ($Like.PSObject.BaseObject -is [System.Management.Automation.PSCustomObject]) {
                $copy = $Like.PSObject.Copy()
            }
            else {
                $type = $Like.PSObject.BaseObject.GetType()
                $copy = [Activator]::CreateInstance($type)
                foreach ($property in $type.GetProperties() | Where-Object CanWrite) {
                    $copy.($property.Name) = $Like.($property.Name)
                }
            }
            foreach ($name in $Values.Keys) { $copy.$name = $Values[$name] }
            $copy
        }

        # A record of the same type with every nullable figure null (and .NET defaults elsewhere).
        function New-Empty([object] $Like) {
            if ($Like.PSObject.BaseObject -is [System.Management.Automation.PSCustomObject]) {
                $copy = $Like.PSObject.Copy()
                foreach ($property in $copy.PSObject.Properties) {
                    if ($property.Value -is [double] -or $property.Value -is [string]) { $property.Value = $null }
                }
                return $copy
            }
            [Activator]::CreateInstance($Like.PSObject.BaseObject.GetType())
        }

        $modelPath = Join-Path $TestDrive 'tiny-q8.gguf'
        $null = New-EdgeSyntheticModel -Shape tiny -Quantization Q8_0 -OutputPath $modelPath -ErrorAction Stop
        $results = Join-Path $TestDrive 'views.jsonl'
        $budget = Join-Path $TestDrive 'budget.yaml'
        Set-Content -LiteralPath $budget -Value @(
            'budgets:'
            '  - figure: DecodeTokensPerSecond'
            '    min: 1'
            '  - figure: PeakRssBytes'
            '    max: 900MB'
            "    model: 'llama-3.2-*'"
        )

        # Live: measured here, values as this machine gives them. Realistic: what a board gives (fixtures, and
        # copies of live records with a real model's figures); these must fit their columns on one line.
        $live = @{}
        $realistic = @{}

        $model = Get-EdgeModel -LiteralPath $modelPath -ErrorAction Stop
        $live['EdgeLm.ModelInfo'] = @($model)
        $realistic['EdgeLm.ModelInfo'] = @(
            New-Variant $model @{ ModelName = 'llama-3.2-1b-instruct'; Architecture = 'llama'; ParameterCount = 1235814400; Quantization = 'Q4_K_M'; BitsPerWeight = 5.18; ContextLength = 131072; Layers = 16; EmbeddingSize = 2048; FeedForwardSize = 8192; Heads = 32; KvHeads = 8; VocabularySize = 128256; ModelBytes = 799518720; FileBytes = 807694464 }
            New-Variant $model @{ ModelName = 'Phi 3 Mini 4k Instruct'; Architecture = 'phi3'; ParameterCount = 3821079552; Quantization = 'IQ4_XS'; ContextLength = 4096; Layers = 32; FileBytes = 2061000000 }
            New-Variant $model @{ ModelName = 'qwen2.5-0.5b-instruct'; Architecture = 'qwen2'; ParameterCount = 494032768; Quantization = 'Q8_0'; ContextLength = 32768; Layers = 24; FileBytes = 531068800 }
        )

        $inference = Invoke-EdgeInference -Model $modelPath -Prompt 'Hello' -MaxTokens 4 -ErrorAction Stop
        $live['EdgeLm.InferenceResult'] = @($inference)
        $realistic['EdgeLm.InferenceResult'] = @(
            New-Variant $inference @{ DeviceName = 'jetson-orin-nano'; ModelName = 'llama-3.2-1b-instruct'; Quantization = 'Q4_K_M'; Threads = 6; GpuLayers = 99; ContextSize = 4096; PromptTokens = 512; GeneratedTokens = 128; LoadMs = 1532.14; TimeToFirstTokenMs = 2345.67; PrefillTokensPerSecond = 218.34; DecodeTokensPerSecond = 12.43; InterTokenP95Ms = 84.2; PeakRssBytes = 1234567890; KvCacheBytes = 134217728; BandwidthUtilization = 0.93; JoulesPerToken = 0.412; MaxTemperatureCelsius = 61.2; Throttled = $false }
            New-Variant $inference @{ DeviceName = 'raspberrypi'; ModelName = 'qwen2.5-0.5b-instruct'; Quantization = 'IQ4_XS'; Threads = 4; PromptTokens = 4096; GeneratedTokens = 1; TimeToFirstTokenMs = 38123.4; PrefillTokensPerSecond = 107.4; DecodeTokensPerSecond = $null; DecodeMs = $null; PeakRssBytes = 228500000 }
        )

        $devices = @(Get-ChildItem -LiteralPath (Join-Path $fixtures 'devices') -Directory | ForEach-Object { Get-DeviceProfile -Root $_.FullName })
        $jetson = $devices | Where-Object CatalogEntry -Like 'Jetson Orin Nano*' | Select-Object -First 1
        $live['EdgeLm.DeviceProfile'] = @(Get-DeviceProfile)
        $realistic['EdgeLm.DeviceProfile'] = @($devices) + @(
            New-Variant $jetson @{ DeviceName = 'jetson-orin-nano'; CatalogEntry = 'Jetson Orin Nano Super Developer Kit 8GB'; PowerMode = 'MAXN_SUPER'; MemoryBandwidthBytesPerSecond = 68.3e9; LlamaVersion = '0.5.0'; LlamaBackend = 'cuda' }
        )

        $live['EdgeLm.PowerSourceInfo'] = @(Get-EdgePowerSource)
        $realistic['EdgeLm.PowerSourceInfo'] = @(Get-ChildItem -LiteralPath (Join-Path $fixtures 'energy') -Directory | ForEach-Object { Get-EdgePowerSource -Root $_.FullName })

        $energy = Measure-EdgeEnergy -Duration 0.3 -IntervalMs 50 -ErrorAction Stop
        $live['EdgeLm.EnergyMeasurement'] = @($energy)
        $realistic['EdgeLm.EnergyMeasurement'] = @(
            New-Variant $energy @{ DurationSeconds = 3600.25; EnergyJoules = 54321.9; NetEnergyJoules = 36320.6; AveragePowerWatts = 15.09; PeakPowerWatts = 24.61; IdlePowerWatts = 5.0; Samples = 36003; EnergySource = 'jetson:VDD_IN'; EnergyScope = 'module-input'; EnergyMethod = 'integrated-power'; Warnings = $null }
            New-Variant $energy @{ DurationSeconds = 12.5; EnergyJoules = 2841.7; NetEnergyJoules = 1320.2; AveragePowerWatts = 227.34; PeakPowerWatts = 301.2; IdlePowerWatts = 121.7; EnergySource = 'hwmon:power_meter/power1_average'; EnergyScope = 'platform' }
        )

        $null = Invoke-EdgeBenchmark -Model $modelPath -Threads 1 -PromptTokens 8 -GenerationTokens 4 -Repetitions 2 -Warmups 0 -OutputPath $results -ErrorAction Stop
        $summary = @(Import-EdgeResult -Path $results | Measure-EdgeResult)[0]
        $live['EdgeLm.BenchmarkSummary'] = @($summary)
        $realistic['EdgeLm.BenchmarkSummary'] = @(
            New-Variant $summary @{ DeviceName = 'jetson-orin-nano'; ModelName = 'llama-3.2-1b-instruct'; Quantization = 'Q4_K_M'; Threads = 6; PromptTokens = 512; RequestedTokens = 128; Runs = 10; DecodeTokensPerSecondMedian = 12.43; DecodeTokensPerSecondMean = 12.4; DecodeTokensPerSecondCiLow = 12.31; DecodeTokensPerSecondCiHigh = 12.49; PrefillTokensPerSecondMedian = 218.34; TimeToFirstTokenMsMedian = 2345.67; JoulesPerTokenMedian = 0.412; EnergyThroughputTradeoffMedian = 0.03315; EnergyBasis = 'net'; PeakRssBytesMedian = 1234567890; ParetoSpeedEnergy = $true; ParetoSpeedMemory = $true; SyntheticWeights = $false; Perplexity = 12.843; KlDivergenceMean = 0.0341; SameTopPercent = 91.24; ParetoSpeedQuality = $true }
            New-Variant $summary @{ DeviceName = 'jetson-orin-nano'; ModelName = 'qwen2.5-1.5b-instruct'; Quantization = 'IQ4_XS'; Threads = 6; PromptTokens = 4096; RequestedTokens = 512; Runs = 100; DecodeTokensPerSecondMedian = 9.1; DecodeTokensPerSecondMean = 9.0; DecodeTokensPerSecondCiLow = 7.2; DecodeTokensPerSecondCiHigh = 10.8; PrefillTokensPerSecondMedian = 98.1; TimeToFirstTokenMsMedian = 41753.2; JoulesPerTokenMedian = 1.873; EnergyThroughputTradeoffMedian = 0.2058; EnergyBasis = 'gross'; PeakRssBytesMedian = 2345678901; ParetoSpeedEnergy = $false; ParetoSpeedMemory = $false; SpeedEnergyDominatedBy = 'jetson-orin-nano llama-3.2-1b-instruct Q4_K_M t=6'; SyntheticWeights = $true; Perplexity = 123456.78; KlDivergenceMean = 0.000123; SameTopPercent = 99.87; ParetoSpeedQuality = $false }
        )

        $comparison = @(Compare-EdgeResult -Baseline $results -Candidate $results)[0]
        $live['EdgeLm.ResultComparison'] = @(Compare-EdgeResult -Baseline $results -Candidate $results)
        $realistic['EdgeLm.ResultComparison'] = @(
            New-Variant $comparison @{ ModelName = 'llama-3.2-1b-instruct'; Quantization = 'Q4_K_M'; Threads = 6; Figure = 'DecodeTokensPerSecond'; BaselineMedian = 12.43; CandidateMedian = 13.61; Ratio = 1.0949; RatioCiLow = 1.061; RatioCiHigh = 1.129; Verdict = 'faster' }
            New-Variant $comparison @{ ModelName = 'llama-3.2-1b-instruct'; Quantization = 'Q4_K_M'; Threads = 6; Figure = 'TimeToFirstTokenMs'; BaselineMedian = 2345.67; CandidateMedian = 1172.8; Ratio = 0.5; RatioCiLow = 0.48; RatioCiHigh = 0.52; Verdict = 'faster' }
            New-Variant $comparison @{ ModelName = 'qwen2.5-0.5b-instruct'; Quantization = 'Q8_0'; Threads = 4; Figure = 'PrefillTokensPerSecond'; BaselineMedian = 1101.2; CandidateMedian = 1098.7; Ratio = 0.9977; RatioCiLow = 0.97; RatioCiHigh = 1.03; Verdict = 'no significant difference' }
            New-Variant $comparison @{ ModelName = 'qwen2.5-0.5b-instruct'; Quantization = 'Q8_0'; Threads = 8; Figure = 'DecodeTokensPerSecond'; BaselineRuns = 0; BaselineMedian = $null; CandidateMedian = 31.7; Ratio = $null; RatioCiLow = $null; RatioCiHigh = $null; Verdict = 'only in candidate' }
        )

        $verdicts = @(Import-EdgeResult -Path $results | Test-EdgeBudget -Budget $budget)
        $live['EdgeLm.Core.Benchmarks.BudgetResult'] = $verdicts
        $realistic['EdgeLm.Core.Benchmarks.BudgetResult'] = @(
            New-Variant $verdicts[1] @{ Value = 823456789; Runs = 10; Passed = $true }
            New-Variant $verdicts[0] @{ Rule = 'BandwidthUtilization median >= 0.5'; Figure = 'BandwidthUtilization'; Min = 0.5; Value = 0.93; Runs = 10 }
            New-Variant $verdicts[0] @{ Rule = 'JoulesPerToken p95 <= 0.5 (device jetson-*)'; Figure = 'JoulesPerToken'; Statistic = 'p95'; Max = 0.5; Min = $null; Value = 0.4123; Runs = 10 }
        )

        $costs = @(Import-EdgeResult -Path $results | Measure-EdgeCost -BoardPriceUsd 80 -PowerWatts 7.2 -RequestsPerDay 1000)
        $live['EdgeLm.CostEstimate'] = $costs
        $realistic['EdgeLm.CostEstimate'] = @(
            New-Variant $costs[0] @{ DeviceName = 'Raspberry Pi 5 8GB'; ModelName = 'llama-3.2-1b-instruct'; Quantization = 'Q4_K_M'; Threads = 4; CloudModel = 'claude-sonnet-4-5'; DeviceUsdPerMillionOutputTokens = 0.244; CloudUsdPerMillionOutputTokens = 15.0; BreakEvenRequestsPerDay = 31.7 }
            New-Variant $costs[0] @{ DeviceName = 'jetson-orin-nano'; ModelName = 'qwen2.5-1.5b-instruct'; Quantization = 'IQ4_XS'; Threads = 6; CloudModel = 'gpt-4o-mini'; DeviceUsdPerMillionOutputTokens = 123.4; CloudUsdPerMillionOutputTokens = 0.6; BreakEvenRequestsPerDay = $null; CostIsEstimate = $true }
        )

        $fit = @(Test-EdgeFit -Shape llama-3.2-1b -Quantization Q4_0 -ContextSize 4096 -ErrorAction Stop)
        $live['EdgeLm.FitPrediction'] = $fit
        $realistic['EdgeLm.FitPrediction'] = @(
            New-Variant $fit[0] @{ Target = 'Jetson Orin Nano Super Developer Kit 8GB'; Verdict = 'does not fit'; PredictedPeakRssBytes = 16234567890; MemoryUsePercent = 226.4; MaxContextThatFits = $null; PredictedDecodeTokensPerSecond = 3.2; PredictedJoulesPerToken = 7.81 }
            New-Variant $fit[0] @{ Target = 'Raspberry Pi 5 16GB'; Verdict = 'tight'; PredictedPeakRssBytes = 999950000; MemoryUsePercent = 95.2; MaxContextThatFits = 131072; PredictedDecodeTokensPerSecond = 102.3; PredictedJoulesPerToken = 0.12 }
        )

        $suite = Join-Path $TestDrive 'prompts.yaml'
        Set-Content -LiteralPath $suite -Value 'maxTokens: 4', 'prompts:', '  - id: hello', '    prompt: Say hello.', '    checks:', '      - tokens: { max: 4 }'
        $checked = @(Test-EdgePrompt -Model $modelPath -Suite $suite -Threads 1 -ErrorAction Stop)
        $live['EdgeLm.PromptCheckResult'] = $checked
        $realistic['EdgeLm.PromptCheckResult'] = @(
            New-Variant $checked[0] @{ ModelName = 'llama-3.2-1b-instruct'; Quantization = 'F16'; SyntheticWeights = $false; PromptId = 'arithmetic'; Passed = $true; GeneratedTokens = 2; TotalMs = 412.35; Output = '42' }
            New-Variant $checked[0] @{ ModelName = 'llama-3.2-1b-instruct'; Quantization = 'Q4_K_M'; SyntheticWeights = $false; PromptId = 'capital'; Passed = $false; OutputChanged = $true; GeneratedTokens = 9; TotalMs = 2345.67; Output = 'The capital is Lyon.'; FailedChecks = "contains 'Paris': not found" }
            New-Variant $checked[0] @{ ModelName = 'qwen2.5-0.5b-instruct'; Quantization = 'IQ4_XS'; SyntheticWeights = $false; PromptId = 'json'; Passed = $true; OutputChanged = $false; GeneratedTokens = 14; TotalMs = 38123.4; Output = '{"name":"Ada","age":30}' }
        )
        $summaries = @(Test-EdgePrompt -Model $modelPath -Suite $suite -Threads 1 -Summary -ErrorAction Stop)
        $live['EdgeLm.PromptSuiteSummary'] = $summaries
        $realistic['EdgeLm.PromptSuiteSummary'] = @(
            New-Variant $summaries[0] @{ ModelName = 'llama-3.2-1b-instruct'; Quantization = 'F16'; SyntheticWeights = $false; Prompts = 5; Passed = 4; Failed = 1; PassRate = 0.8; TotalMs = 9123.4 }
            New-Variant $summaries[0] @{ ModelName = 'llama-3.2-1b-instruct'; Quantization = 'Q4_K_M'; SyntheticWeights = $false; Prompts = 120; Passed = 87; Failed = 33; PassRate = 0.725; ChangedOutputs = 41; TotalMs = 412345.6 }
        )

        $textPath = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..', 'examples', 'quality-text.txt'))
        $quality = Measure-EdgeQuality -LiteralPath $modelPath -TextPath $textPath -ContextSize 64 -Chunks 2 -Threads 1 -ErrorAction Stop
        $live['EdgeLm.QualityResult'] = @($quality)
        $realistic['EdgeLm.QualityResult'] = @(
            New-Variant $quality @{ ModelName = 'llama-3.2-1b-instruct'; Quantization = 'Q4_K_M'; ContextSize = 512; TokensScored = 143565; Perplexity = 13.4567; PerplexityUncertainty = 0.0912; SyntheticWeights = $false }
            New-Variant $quality @{ ModelName = 'synthetic-smollm2-135m'; Quantization = 'Q8_0'; ContextSize = 4096; TokensScored = 2047; Perplexity = 51769.8283; PerplexityUncertainty = 924.97 }
            New-Variant $quality @{ ModelName = 'synthetic-qwen2.5-0.5b'; Quantization = 'IQ4_XS'; ContextSize = 32768; TokensScored = 1638300; Perplexity = 1234567.8; PerplexityUncertainty = 123456.7 }
        )

        $empty = @{}
        foreach ($typeName in $live.Keys) { $empty[$typeName] = @(New-Empty $live[$typeName][0]) }

        # The rendered text of a view: Format-Table or Format-List with that view, script errors shown as #ERR.
        function Show-View([object[]] $InputObject, [hashtable] $View, [int] $Width) {
            $text = if ($View.Control -eq 'List') {
                $InputObject | Format-List -View $View.Name -DisplayError | Out-String -Width $Width
            }
            else {
                $InputObject | Format-Table -View $View.Name -DisplayError | Out-String -Width $Width
            }
            $text -replace "`r", ''
        }

        # Checks a table as rendered: lines fit, no '…', every header is one line holding every label in order
        # and underlined once per column; returns the number of row lines under the headers.
        function Assert-Table([string] $Text, [hashtable] $View, [int] $Width) {
            $lines = $Text -split "`n"
            foreach ($line in $lines) { $line.Length | Should -BeLessOrEqual $Width -Because "'$line' must fit $Width columns" }
            $Text | Should -Not -Match '…' -Because "no value may be cut:`n$Text"
            $Text | Should -Not -Match '#ERR' -Because "no script block may fail:`n$Text"
            $dashes = @(for ($i = 0; $i -lt $lines.Count; $i++) { if ($lines[$i] -match '^[ -]*-[ -]*$') { $i } })
            $dashes.Count | Should -BeGreaterThan 0 -Because "a table has a header:`n$Text"
            $rows = 0
            foreach ($d in $dashes) {
                $d | Should -BeGreaterThan 0
                if ($d -ge 2) { $lines[$d - 2].Trim() | Should -BeNullOrEmpty -Because "the header must be one line:`n$Text" }
                $header = $lines[$d - 1]
                $at = 0
                foreach ($label in $View.Labels) {
                    $found = $header.IndexOf($label, $at, [StringComparison]::Ordinal)
                    $found | Should -BeGreaterOrEqual 0 -Because "column '$label' must be in the header '$header'"
                    $at = $found + $label.Length
                }
                @($lines[$d].Trim() -split ' +').Count | Should -Be $View.Labels.Count -Because "every column is underlined:`n$Text"
                for ($i = $d + 1; $i -lt $lines.Count -and $lines[$i].Trim(); $i++) { $rows++ }
            }
            $rows
        }
    }

    Context 'The format file' {
        It 'is the one the built module loads (else run ./build.sh)' {
            $source = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..', 'module', 'EdgeLm.Format.ps1xml'))
            $loaded = @((Get-Module EdgeLm).ExportedFormatFiles)

            $loaded | Should -HaveCount 1
            (Get-FileHash -LiteralPath $loaded[0]).Hash | Should -Be (Get-FileHash -LiteralPath $source).Hash -Because "$($loaded[0]) must be a copy of $source"
        }

        It 'gives <Type> a Wide table view' -ForEach $types {
            $wide = @($Views | Where-Object Name -EQ 'Wide')
            $wide | Should -HaveCount 1
            $wide[0].Control | Should -Be 'Table'
        }

        It "sizes every column of <Type>'s view <Name> to fit 80 columns" -ForEach $narrowViews {
            if ($Control -eq 'Table') {
                $View.Widths | Should -Not -Contain 0 -Because 'every column has an explicit Width'
                $View.Total | Should -BeLessOrEqual $TableWidth -Because "widths plus one space between columns of '$Name' must fit 80 columns"
                for ($i = 0; $i -lt $View.Labels.Count; $i++) {
                    $View.Labels[$i].Length | Should -BeLessOrEqual $View.Widths[$i] -Because "the label '$($View.Labels[$i])' must fit its column"
                }
            }
            else {
                $Control | Should -Be 'List'
            }
        }

        It 'has test objects for <Type>' -ForEach $types {
            $live[$Type] | Should -Not -BeNullOrEmpty -Because "Views.Tests.ps1 needs a live $Type for its views"
            $realistic[$Type] | Should -Not -BeNullOrEmpty -Because "Views.Tests.ps1 needs a realistic $Type for its views"
            @($live[$Type])[0].PSObject.TypeNames[0] | Should -Be $Type
        }
    }

    Context 'Default views at 80 columns' {
        It 'shows <Type> with its first view, as a user sees it' -ForEach $types {
            $objects = @($live[$Type]) + @($realistic[$Type])
            $text = ($objects | Out-String -Width $TableWidth) -replace "`r", ''

            if ($Default.Control -eq 'Table') {
                $rows = Assert-Table $text $Default $TableWidth
                $rows | Should -BeGreaterOrEqual $objects.Count
            }
            else {
                foreach ($line in $text -split "`n") { $line.Length | Should -BeLessOrEqual $TableWidth -Because "'$line' must fit 80 columns" }
                $text | Should -Not -Match '…'
                ([regex]::Matches($text, "(?m)^$([regex]::Escape($Default.Labels[0])) +: ")).Count | Should -Be $objects.Count
            }
        }

        It 'shows <Type> with its first table view in Format-Table' -ForEach ($types | Where-Object { $_.FirstTable }) {
            $objects = @($live[$Type]) + @($realistic[$Type])
            $text = ($objects | Format-Table | Out-String -Width $TableWidth) -replace "`r", ''

            $null = Assert-Table $text $FirstTable $TableWidth
        }

        It "fits realistic values of <Type> on one line each in view <Name>" -ForEach $narrowViews {
            $objects = @($realistic[$Type])
            $text = Show-View $objects $View $TableWidth

            if ($Control -eq 'Table') {
                Assert-Table $text $View $TableWidth | Should -Be $objects.Count -Because "no realistic value may wrap:`n$text"
            }
            else {
                $text | Should -Not -Match '…'
                $text | Should -Not -Match '#ERR'
            }
        }

        It "shows live values of <Type> in view <Name> in 80 columns" -ForEach $narrowViews {
            $text = Show-View @($live[$Type]) $View $TableWidth

            if ($Control -eq 'Table') {
                $null = Assert-Table $text $View $TableWidth
            }
            else {
                foreach ($line in $text -split "`n") { $line.Length | Should -BeLessOrEqual $TableWidth }
                $text | Should -Not -Match '…'
                $text | Should -Not -Match '#ERR'
            }
        }

        It "shows null figures of <Type> blank in view <Name>" -ForEach $narrowViews {
            $text = Show-View @($empty[$Type]) $View $TableWidth

            $text | Should -Not -Match '#ERR'
            $text | Should -Not -Match '…'
        }
    }

    Context 'Wide views' {
        It "shows <Type> with -View Wide in its own width" -ForEach $wideViews {
            $objects = @($live[$Type]) + @($realistic[$Type]) + @($empty[$Type])
            $text = Show-View $objects $View $View.Total

            $null = Assert-Table $text $View $View.Total
        }
    }

    Context 'Numbers' {
        BeforeAll {
            $texts = foreach ($typeName in $live.Keys) {
                @($live[$typeName]) + @($realistic[$typeName]) | Out-String -Width $TableWidth
                @($live[$typeName]) + @($realistic[$typeName]) | Format-Table -View Wide | Out-String -Width 250
            }
        }

        It 'never shows exponents' {
            foreach ($text in $texts) {
                # A budget's Rule is Test-EdgeBudget's own text, not formatted by the view.
                foreach ($rule in $realistic['EdgeLm.Core.Benchmarks.BudgetResult'].Rule + $live['EdgeLm.Core.Benchmarks.BudgetResult'].Rule) { $text = $text.Replace($rule, '') }
                $text | Should -Not -Match '\d[eE][+-]?\d' -Because "numbers are plain:`n$text"
            }
        }

        It 'shows sizes in SI units, rates with one decimal and fractions as percent' {
            $run = $realistic['EdgeLm.InferenceResult'][0]
            $row = ($run | Out-String -Width $TableWidth) -split "`n" | Where-Object { $_ -like 'llama-3.2-1b-instruct *' }
            $row | Should -Match '\b2345\.7 +218\.3 +12\.4 +1\.2 GB$'
            ($run | Format-Table -View Wide | Out-String -Width 250) | Should -Match '134\.2 MB +93 % +0\.412'
            ($realistic['EdgeLm.ModelInfo'][0] | Out-String -Width $TableWidth) | Should -Match '1\.2 B +Q4_K_M +131072 +16 +807\.7 MB'
            ($realistic['EdgeLm.Core.Benchmarks.BudgetResult'] | Out-String -Width $TableWidth) | Should -Match '823\.5 MB[\s\S]*93 %'
            ($realistic['EdgeLm.BenchmarkSummary'][0] | Out-String -Width $TableWidth) | Should -Match '512/128 +10 +12\.4 +±0\.7 % +218\.3 +2345\.7'
            ($realistic['EdgeLm.ResultComparison'][0] | Out-String -Width $TableWidth) | Should -Match 'Tg t/s +\+9\.5 % faster'
        }

        It 'keeps the properties numeric for Sort-Object and Export-Csv' {
            $runs = $realistic['EdgeLm.InferenceResult']
            $runs[0].PeakRssBytes | Should -BeOfType [long]
            ($runs | Sort-Object PeakRssBytes)[0].PeakRssBytes | Should -Be 228500000
            ($runs[0] | ConvertTo-Csv | ConvertFrom-Csv).PeakRssBytes | Should -Be '1234567890'
            $realistic['EdgeLm.BenchmarkSummary'][0].DecodeTokensPerSecondMedian | Should -BeOfType [double]
        }
    }
}
