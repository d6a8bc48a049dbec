#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Acceptance tests for the built module folder (out/EdgeLm), as a user on a board would import it.
# Run in a fresh pwsh (a loaded binary module cannot be unloaded):
#   ./build.sh && pwsh -NoProfile -Command 'Invoke-Pester -Path tests/Pester -Output Detailed'

Describe 'EdgeLm module' {
    BeforeAll {
        . ([IO.Path]::Combine($PSScriptRoot, 'Common.ps1'))

        $modelDir = Join-Path $TestDrive 'models'
        $null = New-Item -ItemType Directory -Path $modelDir
        $model = Join-Path $modelDir 'tiny-q8.gguf'
        $synthesized = New-EdgeSyntheticModel -Shape tiny -Quantization Q8_0 -OutputPath $model -ErrorAction Stop
    }

    Context 'Import' {
        It 'exports exactly the cmdlets the manifest lists' {
            $listed = (Import-PowerShellDataFile -LiteralPath $manifestPath).CmdletsToExport | Sort-Object
            $exported = (Get-Command -Module EdgeLm).Name | Sort-Object

            $exported | Should -Be $listed
            (Get-Command -Module EdgeLm).CommandType | Sort-Object -Unique | Should -Be 'Cmdlet'
        }

        It 'loads its assemblies and YamlDotNet into its own load context' {
            $context = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -EQ 'EdgeLm'

            $context | Should -HaveCount 1
            $names = @($context.Assemblies | ForEach-Object { $_.GetName().Name })
            $names | Should -Contain 'EdgeLm.Cmdlets'
            $names | Should -Contain 'EdgeLm.Core'
            $names | Should -Contain 'YamlDotNet'
            $names | Should -Not -Contain 'System.Management.Automation'
            # The loader itself stays in the default context, where Add-Type put it.
            [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(('EdgeLm.Loader.LoadContext' -as [type]).Assembly) |
                Should -Be ([System.Runtime.Loader.AssemblyLoadContext]::Default)
        }

        It 'imports again with -Force and still has working cmdlets (PowerShell issue 20710)' {
            Import-Module -Name $manifestPath -Force -ErrorAction Stop
            Import-Module -Name $manifestPath -Force -ErrorAction Stop

            (Get-Command -Module EdgeLm).Name | Should -HaveCount (Import-PowerShellDataFile -LiteralPath $manifestPath).CmdletsToExport.Count
            (Get-EdgeModel -LiteralPath $model).Architecture | Should -Be 'llama'
            [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -EQ 'EdgeLm' | Should -HaveCount 1
        }

        It 'completes shape and quantization names' {
            $line = 'New-EdgeSyntheticModel -Shape ti'
            $shapes = [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null).CompletionMatches.CompletionText
            $shapes | Should -Contain 'tiny'

            $line = 'New-EdgeSyntheticModel -Quantization Q8'
            $quantizations = [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null).CompletionMatches.CompletionText
            $quantizations | Should -Contain 'Q8_0'
        }
    }

    Context 'New-EdgeSyntheticModel' {
        It 'writes the model it describes' {
            $synthesized.PSObject.TypeNames[0] | Should -Be 'EdgeLm.ModelInfo'
            $synthesized.ModelPath | Should -Be $model
            $synthesized.Quantization | Should -Be 'Q8_0'
            Test-Path -LiteralPath $model | Should -BeTrue
        }

        It 'writes nothing with -WhatIf' {
            $path = Join-Path $TestDrive 'whatif.gguf'
            New-EdgeSyntheticModel -Shape tiny -OutputPath $path -WhatIf | Should -BeNullOrEmpty
            Test-Path -LiteralPath $path | Should -BeFalse
        }

        It 'builds a custom shape from the dimensions given' {
            $path = Join-Path $TestDrive 'custom.gguf'
            $custom = New-EdgeSyntheticModel -Shape tiny -Layers 3 -EmbeddingSize 64 -FeedForwardSize 128 -Heads 2 -KvHeads 1 -OutputPath $path

            $custom.Layers | Should -Be 3
            $custom.EmbeddingSize | Should -Be 64
            $custom.ContextLength | Should -Be $synthesized.ContextLength
        }

        It 'refuses an unknown shape with its ErrorId' {
            { New-EdgeSyntheticModel -Shape 'no-such-shape' -OutputPath (Join-Path $TestDrive 'x.gguf') } |
                Should -Throw -ErrorId 'UnknownShape,*'
        }

        It 'refuses to overwrite without -Force and overwrites with it' {
            { New-EdgeSyntheticModel -Shape tiny -OutputPath $model -ErrorAction Stop } | Should -Throw -ErrorId 'OutputExists,*'

            $copy = Join-Path $TestDrive 'overwrite.gguf'
            Copy-Item -LiteralPath $model -Destination $copy
            (New-EdgeSyntheticModel -Shape tiny -OutputPath $copy -Force).Quantization | Should -Be 'F16'
        }

        It 'resolves a relative -OutputPath against the current location' {
            Push-Location $TestDrive
            try {
                $relative = New-EdgeSyntheticModel -Shape tiny -OutputPath 'relative.gguf'
            }
            finally {
                Pop-Location
            }

            $relative.ModelPath | Should -Be (Join-Path $TestDrive 'relative.gguf')
        }
    }

    Context 'Get-EdgeModel' {
        BeforeAll {
            $info = Get-EdgeModel -Path $model
        }

        It 'reads the header of a synthesized model' {
            $info.PSObject.TypeNames[0] | Should -Be 'EdgeLm.ModelInfo'
            $info.Architecture | Should -Be 'llama'
            $info.ParameterCount | Should -BeGreaterThan 0
            $info.Quantization | Should -Be 'Q8_0'
            $info.FileBytes | Should -Be (Get-Item -LiteralPath $model).Length
        }

        It 'shows the default table view' {
            $table = $info | Format-Table | Out-String

            $table | Should -BeLike '*Params*'
            $table | Should -BeLike '*Size*'
            $table | Should -BeLike "*$($info.ModelName)*"
        }

        It 'binds files from Get-ChildItem' {
            $pipeDir = Join-Path $TestDrive 'pipe'
            $null = New-Item -ItemType Directory -Path $pipeDir
            Copy-Item -LiteralPath $model -Destination (Join-Path $pipeDir 'a.gguf')
            Copy-Item -LiteralPath $model -Destination (Join-Path $pipeDir 'b.gguf')

            $models = Get-ChildItem -Path (Join-Path $pipeDir '*.gguf') | Get-EdgeModel

            $models | Should -HaveCount 2
            ($models.ModelPath | ForEach-Object { Split-Path $_ -Leaf }) | Sort-Object | Should -Be @('a.gguf', 'b.gguf')
        }

        It 'expands wildcards in -Path and takes -LiteralPath as written' {
            $literalDir = Join-Path $TestDrive 'literal'
            $null = New-Item -ItemType Directory -Path $literalDir
            $bracketed = Join-Path $literalDir '[q8].gguf'
            [IO.File]::Copy($model, $bracketed)

            (Get-EdgeModel -Path (Join-Path $modelDir '*.gguf')).ModelPath | Should -Contain $model
            (Get-EdgeModel -LiteralPath $bracketed).Architecture | Should -Be 'llama'
        }

        It 'reports a corrupt file as a non-terminating error and goes on' {
            $mixDir = Join-Path $TestDrive 'mixed'
            $null = New-Item -ItemType Directory -Path $mixDir
            Copy-Item -LiteralPath $model -Destination (Join-Path $mixDir 'good1.gguf')
            [IO.File]::WriteAllBytes((Join-Path $mixDir 'bad.gguf'), [byte[]]::new(64))
            Copy-Item -LiteralPath $model -Destination (Join-Path $mixDir 'good2.gguf')

            $good = Get-ChildItem -Path (Join-Path $mixDir '*.gguf') | Get-EdgeModel -ErrorAction SilentlyContinue -ErrorVariable failures

            $good | Should -HaveCount 2
            $failures | Should -HaveCount 1
            $failures[0].Exception.ErrorId | Should -Be 'GgufBadMagic'
            $failures[0].FullyQualifiedErrorId | Should -BeLike "$($failures[0].Exception.ErrorId),*"
            $failures[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $failures[0].TargetObject | Should -BeLike '*bad.gguf'
        }

        It 'reports a missing file without stopping the pipeline' {
            $missing = Join-Path $TestDrive 'missing.gguf'
            $found = Get-EdgeModel -LiteralPath $missing, $model -ErrorAction SilentlyContinue -ErrorVariable failures

            $found | Should -HaveCount 1
            $failures | Should -HaveCount 1
            $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }
    }

    Context 'Convert-EdgeModel' {
        It 'quantizes a model piped from Get-EdgeModel' {
            $f16 = Join-Path $TestDrive 'convert-f16.gguf'
            $null = New-EdgeSyntheticModel -Shape tiny -Quantization F16 -OutputPath $f16
            $out = Join-Path $TestDrive 'convert-q4.gguf'

            $converted = Get-EdgeModel -LiteralPath $f16 | Convert-EdgeModel -Quantization Q4_0 -OutputPath $out

            $converted.PSObject.TypeNames[0] | Should -Be 'EdgeLm.ModelInfo'
            $converted.Quantization | Should -Be 'Q4_0'
            (Get-Item -LiteralPath $out).Length | Should -BeLessThan (Get-Item -LiteralPath $f16).Length
        }
    }

    Context 'Invoke-EdgeInference' {
        BeforeAll {
            $single = Invoke-EdgeInference -Model $model -Prompt 'Hello' -MaxTokens 16
            $fromPipeline = 'a', 'b' | Invoke-EdgeInference -Model $model -MaxTokens 4
        }

        It 'generates exactly the requested number of tokens' {
            $single | Should -HaveCount 1
            $single.PSObject.TypeNames[0] | Should -Be 'EdgeLm.InferenceResult'
            $single.GeneratedTokens | Should -Be 16
            $single.PromptTokens | Should -BeGreaterThan 0
            $single.TimeToFirstTokenMs | Should -BeGreaterThan 0
            $single.DecodeTokensPerSecond | Should -BeGreaterThan 0
        }

        It 'measures -Repeat runs of one prompt' {
            $runs = Invoke-EdgeInference -Model $model -Prompt 'r' -MaxTokens 2 -Repeat 3

            $runs | Should -HaveCount 3
            $runs.Repetition | Should -Be @(1, 2, 3)
        }

        It 'shows the default table view' {
            $table = $single | Format-Table | Out-String

            $table | Should -BeLike '*TTFT ms*'
            $table | Should -BeLike '*Tg t/s*'
            $table | Should -Not -BeLike '*RunId*'
        }

        It 'runs one inference per prompt from the pipeline' {
            $fromPipeline | Should -HaveCount 2
            $fromPipeline.GeneratedTokens | Should -Be @(4, 4)
        }

        It 'takes the model from Get-EdgeModel output by property name' {
            $result = Get-EdgeModel -LiteralPath $model | Invoke-EdgeInference -Prompt 'x' -MaxTokens 2

            $result | Should -HaveCount 1
            $result.ModelPath | Should -Be $model
            $result.GeneratedTokens | Should -Be 2
        }

        It 'round-trips through Export-Csv without collection values' {
            $csv = Join-Path $TestDrive 'results.csv'
            $fromPipeline | Export-Csv -LiteralPath $csv -NoTypeInformation
            $rows = Import-Csv -LiteralPath $csv

            $rows | Should -HaveCount 2
            $rows[0].PSObject.Properties.Name | Should -Be $fromPipeline[0].PSObject.Properties.Name
            foreach ($row in $rows) {
                foreach ($property in $row.PSObject.Properties) {
                    $property.Value | Should -Not -Be 'System.Object[]' -Because "$($property.Name) must be a scalar"
                    $property.Value | Should -Not -BeLike 'System.Collections.*' -Because "$($property.Name) must be a scalar"
                }
            }
            $rows.GeneratedTokens | Should -Be @('4', '4')
        }

        It 'sorts and groups results' {
            $all = @($single) + $fromPipeline

            $sorted = $all | Sort-Object -Property GeneratedTokens -Descending
            $sorted[0].GeneratedTokens | Should -Be 16
            $sorted | Should -HaveCount 3

            $groups = $all | Group-Object -Property GeneratedTokens
            $groups | Should -HaveCount 2
            ($groups | Where-Object Name -EQ '4').Count | Should -Be 2

            ($all | Group-Object -Property ModelName | Measure-Object).Count | Should -Be 1
        }

        It 'shows llama.cpp log lines with -Verbose' {
            $verbose = Invoke-EdgeInference -Model $model -Prompt 'v' -MaxTokens 1 -Verbose 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }

            $verbose.Message | Where-Object { $_ -like 'llama.cpp: *' } | Should -Not -BeNullOrEmpty
        }

        It 'reports a missing model as an error naming the file' {
            $missing = Join-Path $TestDrive 'nope.gguf'
            $result = Invoke-EdgeInference -Model $missing -Prompt 'x' -MaxTokens 1 -ErrorAction SilentlyContinue -ErrorVariable failures

            $result | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'FileNotFound,*'
            $failures[0].Exception.Message | Should -BeLike '*nope.gguf*'
        }

        It 'runs in a worker process and keeps the model loaded for every piped prompt' {
            $prompts = Join-Path $TestDrive 'prompts.txt'
            Set-Content -LiteralPath $prompts -Value 'first prompt', 'second, longer prompt here', 'third'
            $results = Get-Content -LiteralPath $prompts | Invoke-EdgeInference -Model $model -MaxTokens 3

            $results | Should -HaveCount 3
            $results.Isolation | Sort-Object -Unique | Should -Be 'worker'
            # One load served all three prompts.
            ($results.LoadMs | Sort-Object -Unique) | Should -HaveCount 1
            $results[1].PromptTokens | Should -BeGreaterThan $results[2].PromptTokens
            # Each row carries its prompt, so rows join back to the lines they came from, also after a CSV round trip.
            $results.Prompt | Should -Be @('first prompt', 'second, longer prompt here', 'third')
            $results[0].PromptSha256 | Should -Be (Get-FileHash -InputStream ([IO.MemoryStream]::new([Text.Encoding]::UTF8.GetBytes('first prompt')))).Hash.ToLowerInvariant()
            $csv = Join-Path $TestDrive 'prompts.csv'
            $results | Export-Csv -LiteralPath $csv
            (Import-Csv -LiteralPath $csv).Prompt | Should -Be @('first prompt', 'second, longer prompt here', 'third')
            (Import-EdgeResult -Path $csv).PromptSha256 | Should -Be $results.PromptSha256
        }

        It 'binds model files from Get-ChildItem by FullName' {
            $results = Get-ChildItem -LiteralPath $modelDir -Filter 'tiny-q8.gguf' | Invoke-EdgeInference -Prompt 'x' -MaxTokens 2

            $results | Should -HaveCount 1
            $results.ModelPath | Should -Be $model
        }

        It 'builds random prompts of -PromptTokens ids' {
            $result = Invoke-EdgeInference -Model $model -PromptTokens 32 -MaxTokens 2

            $result.PromptTokens | Should -Be 32
            $result.PromptSource | Should -Be 'random'
        }

        It 'emits warm-ups only with -IncludeWarmup' {
            (Invoke-EdgeInference -Model $model -Prompt 'w' -MaxTokens 2 -Warmup 1) | Should -HaveCount 1
            $all = Invoke-EdgeInference -Model $model -Prompt 'w' -MaxTokens 2 -Warmup 1 -IncludeWarmup

            $all.Warmup | Should -Be @($true, $false)
        }

        It 'fills the timing and memory properties' {
            $single.InterTokenP50Ms | Should -BeLessOrEqual $single.InterTokenP95Ms
            $single.InterTokenP95Ms | Should -BeLessOrEqual $single.InterTokenP99Ms
            $single.InterTokenP99Ms | Should -BeLessOrEqual $single.InterTokenMaxMs
            $single.TimeToFirstTokenMs | Should -BeGreaterOrEqual $single.PrefillMs
            $single.PeakRssBytes | Should -BeGreaterThan 0
            $single.KvCacheBytes | Should -BeGreaterThan 0
            $single.ModelSha256 | Should -Match '^[0-9a-f]{64}$'
            $single.EnergyJoules | Should -BeNullOrEmpty
        }

        It 'runs in this process with -InProcess' {
            (Invoke-EdgeInference -Model $model -Prompt 'x' -MaxTokens 2 -InProcess).Isolation | Should -Be 'in-process'
        }

        It 'runs with a pwsh-hosted worker where there is no dotnet' {
            # The worker stays up between piped prompts, so the script feeding them can look at it in between.
            $env:EDGELM_WORKER_HOST = 'pwsh'
            try {
                $seen = @{}
                $results = & {
                    'first'
                    # Only this session's children: another suite on the machine may run workers of its own.
                    $seen.Workers = @(Get-Process | Where-Object { $_.CommandLine -like '*EdgeLm.Loader.LoadContext*RunWorker*' } |
                        ForEach-Object { [pscustomobject]@{ Path = $_.Path; Status = Get-Content -LiteralPath "/proc/$($_.Id)/status" } } |
                        Where-Object { $_.Status -match "^PPid:\s+$PID$" })
                    'second'
                } | Invoke-EdgeInference -Model $model -MaxTokens 2
            }
            finally {
                Remove-Item Env:EDGELM_WORKER_HOST
            }

            $results | Should -HaveCount 2
            $results.Isolation | Should -Be @('worker', 'worker')
            $results.GeneratedTokens | Should -Be @(2, 2)
            $seen.Workers | Should -HaveCount 1
            [IO.Path]::GetFileName($seen.Workers[0].Path) | Should -BeLike 'pwsh*'
        }

        It 'survives a model that makes llama.cpp abort and goes on with the next one' {
            # Rename the byte tokens 0x80-0xFF: the model loads, but tokenizing non-ASCII text aborts llama.cpp.
            $bytes = [IO.File]::ReadAllBytes($model)
            $text = [Text.Encoding]::Latin1.GetString($bytes)
            foreach ($b in 0x80..0xFF) {
                $at = $text.IndexOf(('<0x{0:X2}>' -f $b), [StringComparison]::Ordinal)
                $at | Should -BeGreaterThan 0
                $bytes[$at + 1] = [byte][char]'1'
            }
            $aborting = Join-Path $modelDir 'aborting.gguf'
            [IO.File]::WriteAllBytes($aborting, $bytes)

            $results = Get-Item -LiteralPath $aborting, $model | Invoke-EdgeInference -Prompt "h$([char]0xE9)llo" -MaxTokens 2 -ErrorAction SilentlyContinue -ErrorVariable died

            $died | Should -HaveCount 1
            $died[0].FullyQualifiedErrorId | Should -BeLike 'WorkerDied,*'
            $died[0].Exception.Message | Should -BeLike '*aborting.gguf*SIGABRT*'
            $results | Should -HaveCount 1
            $results.ModelPath | Should -Be $model
        }

        It 'refuses bad settings before loading, with the numbers' {
            { Invoke-EdgeInference -Model $model -PromptTokens 100 -MaxTokens 50 -ContextSize 120 -ErrorAction Stop } |
                Should -Throw -ExpectedMessage '*120*150*'
            { Invoke-EdgeInference -Model $model -Prompt 'x' -ChatTemplate 'no-such' -ErrorAction Stop } |
                Should -Throw -ExpectedMessage "*unknown chat template 'no-such'*"
        }

        It 'stops on Ctrl+C (StopProcessing) and keeps the runs already written' {
            # Ctrl+C in a console calls StopProcessing, as PowerShell.Stop() does here. No speed is assumed: runs
            # are short and many, the test waits (up to 10 minutes) for the first to finish, then stops the rest.
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddCommand('Import-Module').AddParameter('Name', $manifestPath).AddStatement()
                $null = $ps.AddCommand('Invoke-EdgeInference').AddParameter('Model', $model).AddParameter('PromptTokens', 8).
                    AddParameter('MaxTokens', 16).AddParameter('Repeat', 10000)
                $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
                $async = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]$null, $output)
                $deadline = [DateTime]::UtcNow.AddMinutes(10)
                while ($output.Count -lt 1 -and -not $async.IsCompleted -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
                $output.Count | Should -BeGreaterOrEqual 1 -Because 'the first run must finish before the stop'
                # The host kills a worker that ignores the stop after 10 s; this only guards against a hang.
                $stop = $ps.BeginStop($null, $null)
                $stop.AsyncWaitHandle.WaitOne([TimeSpan]::FromMinutes(2)) | Should -BeTrue -Because 'Stop() must return'
                $ps.EndStop($stop)

                $ps.InvocationStateInfo.State | Should -Be 'Stopped'
                $output.Count | Should -BeLessThan 10000
                # Every record written is whole; the interrupted run is not emitted.
                $output.GeneratedTokens | Sort-Object -Unique | Should -Be 16
                $output.PromptTokens | Sort-Object -Unique | Should -Be 8
            }
            finally {
                $ps.Dispose()
            }
        }
    }

    Context 'Get-DeviceProfile' {
        BeforeAll {
            $fixtures = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', 'Fixtures', 'devices'))
        }

        It 'describes this machine' {
            $device = Get-DeviceProfile

            $device.PSObject.TypeNames[0] | Should -Be 'EdgeLm.DeviceProfile'
            $device.LogicalCores | Should -Be ([Environment]::ProcessorCount)
            $device.TotalMemoryBytes | Should -BeGreaterThan 0
            $device.LlamaVersion | Should -BeLike '0.5.0*'
        }

        It 'reads a board snapshot with -Root and exports to CSV as one flat row' {
            $pi = Get-DeviceProfile -Root (Join-Path $fixtures 'raspberry-pi-5-8gb')
            $csv = Join-Path $TestDrive 'device.csv'
            $pi | Export-Csv -LiteralPath $csv -NoTypeInformation
            $row = Import-Csv -LiteralPath $csv

            $row | Should -HaveCount 1
            $row.BoardModel | Should -Be 'Raspberry Pi 5 Model B Rev 1.0'
            $row.CpuModel | Should -Be '4x Cortex-A76'
            $row.PriceUsd | Should -Be '80'
            foreach ($property in $row.PSObject.Properties) {
                $property.Value | Should -Not -Be 'System.Object[]' -Because "$($property.Name) must be a scalar"
            }
        }

        It 'gives nulls and warnings, not errors, for a container without /sys' {
            $container = Get-DeviceProfile -Root (Join-Path $fixtures 'container-no-sys') -ErrorVariable failures

            $failures | Should -BeNullOrEmpty
            $container.PhysicalCores | Should -BeNullOrEmpty
            $container.Warnings | Should -BeLike '*not found*'
        }

        It 'shows the default table view' {
            $table = Get-DeviceProfile -Root (Join-Path $fixtures 'jetson-orin-nano-jp6') | Format-Table | Out-String

            $table | Should -BeLike '*PowerMode*'
            $table | Should -BeLike '*15W*'
        }
    }

    Context 'Energy' {
        BeforeAll {
            $energyFixtures = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', 'Fixtures', 'energy'))
        }

        It 'lists power sources with the default marked' {
            $sources = Get-EdgePowerSource

            $sources | Should -Not -BeNullOrEmpty
            $sources[0].PSObject.TypeNames[0] | Should -Be 'EdgeLm.PowerSourceInfo'
            @($sources | Where-Object Default).Count | Should -BeGreaterThan 0
            $sources.Name | Should -Contain ($sources | Where-Object Kind -EQ 'estimate').Name
        }

        It 'finds Jetson rails in a JetPack 6 snapshot' {
            $sources = Get-EdgePowerSource -Root (Join-Path $energyFixtures 'jetson-orin-nano-jp6')

            ($sources | Where-Object Default).Name | Should -Be 'jetson:VDD_IN'
        }

        It 'measures a script block with an idle baseline and exports one flat row' {
            $m = Measure-EdgeEnergy -ScriptBlock { Start-Sleep -Milliseconds 1500 } -BaselineSeconds 1

            $m.PSObject.TypeNames[0] | Should -Be 'EdgeLm.EnergyMeasurement'
            $m.DurationSeconds | Should -BeGreaterOrEqual 1.4
            $m.EnergyJoules | Should -BeGreaterThan 0
            $m.NetEnergyJoules | Should -Be ($m.EnergyJoules - $m.IdlePowerWatts * $m.DurationSeconds)
            $m.EnergySource | Should -Not -BeNullOrEmpty
            $csv = Join-Path $TestDrive 'energy.csv'
            $m | Export-Csv -LiteralPath $csv -NoTypeInformation
            (Import-Csv -LiteralPath $csv).EnergyMethod | Should -Be $m.EnergyMethod
        }

        It 'records how the script block ended, and keeps the measurement when it throws' {
            $ok = Measure-EdgeEnergy -ScriptBlock { $null = 1 }
            $ok.Succeeded | Should -BeTrue
            $ok.ExitCode | Should -BeNullOrEmpty

            $global:LASTEXITCODE = 7
            $native = Measure-EdgeEnergy -ScriptBlock { bash -c 'exit 3' }
            $native.ExitCode | Should -Be 3
            $native.Succeeded | Should -BeFalse
            $global:LASTEXITCODE | Should -Be 3

            $global:LASTEXITCODE = 7
            $thrown = Measure-EdgeEnergy -ScriptBlock { Start-Sleep -Milliseconds 200; throw 'the model did not fit' } -ErrorVariable failed -ErrorAction SilentlyContinue
            $thrown | Should -HaveCount 1
            $thrown.DurationSeconds | Should -BeGreaterThan 0.1
            $thrown.EnergyJoules | Should -BeGreaterThan 0
            $thrown.Succeeded | Should -BeFalse
            $thrown.ErrorMessage | Should -Be 'the model did not fit'
            $failed | Should -HaveCount 1
            "$($failed[0])" | Should -Be 'the model did not fit'
            # A block that ran no native command leaves $LASTEXITCODE as it was.
            $global:LASTEXITCODE | Should -Be 7

            # Whatever a block leaves in $LASTEXITCODE, the measurement is kept.
            foreach ($odd in 'abc', 1e20, [double]::NaN) {
                $kept = Measure-EdgeEnergy -ScriptBlock { $global:LASTEXITCODE = $odd }.GetNewClosure()
                $kept | Should -HaveCount 1
                $kept.ExitCode | Should -BeNullOrEmpty
                $kept.EnergyJoules | Should -BeGreaterOrEqual 0
            }
            $global:LASTEXITCODE = 0
        }

        It 'measures a duration' {
            $m = Measure-EdgeEnergy -Duration 1
            $m.DurationSeconds | Should -BeGreaterOrEqual 1
            $m.Samples | Should -BeGreaterOrEqual 2
            $m.Succeeded | Should -BeNullOrEmpty
        }

        It 'fills the energy properties of inference results' {
            $runs = Invoke-EdgeInference -Model $model -PromptTokens 32 -MaxTokens 64 -Repeat 2 -MeasureEnergy -BaselineSeconds 1

            $runs | Should -HaveCount 2
            foreach ($run in $runs) {
                $run.EnergyJoules | Should -BeGreaterThan 0
                $run.JoulesPerToken | Should -Be ($run.NetEnergyJoules / $run.GeneratedTokens)
                $run.EnergySource | Should -Not -BeNullOrEmpty
            }
        }

        It 'refuses an unknown source naming those found' {
            { Measure-EdgeEnergy -Duration 1 -Source 'rapl:package-9' -ErrorAction Stop } | Should -Throw -ExpectedMessage "*no power source 'rapl:package-9'*"
        }
    }

    Context 'Benchmarks' {
        BeforeAll {
            $results = Join-Path $TestDrive 'bench.jsonl'
            $runs = Invoke-EdgeBenchmark -Model $model -Threads 1, 2 -PromptTokens 16 -GenerationTokens 8 -Repetitions 2 -Warmups 0 -OutputPath $results
        }

        It 'runs every point of a one-off sweep and appends it to the results file' {
            $runs | Should -HaveCount 4
            (Get-Content -LiteralPath $results) | Should -HaveCount 4
            ($runs.RunKey | Sort-Object -Unique) | Should -HaveCount 4
        }

        It 'resumes without running anything twice' {
            $again = Invoke-EdgeBenchmark -Model $model -Threads 1, 2 -PromptTokens 16 -GenerationTokens 8 -Repetitions 2 -Warmups 0 -OutputPath $results -Resume

            $again | Should -BeNullOrEmpty
            (Get-Content -LiteralPath $results) | Should -HaveCount 4
        }

        It 'refuses a plan with an unknown key, saying where' {
            $plan = Join-Path $TestDrive 'bad.yaml'
            Set-Content -LiteralPath $plan -Value "models:`n  - path: $model`ntreads: [1]"

            { Invoke-EdgeBenchmark -Plan $plan -OutputPath (Join-Path $TestDrive 'never.jsonl') -ErrorAction Stop } |
                Should -Throw -ExpectedMessage "*line 3, column 1: unknown key 'treads'*"
            Test-Path (Join-Path $TestDrive 'never.jsonl') | Should -BeFalse
        }

        It 'summarises one row per configuration' {
            $summary = Import-EdgeResult -Path $results | Measure-EdgeResult

            $summary | Should -HaveCount 2
            $summary[0].PSObject.TypeNames[0] | Should -Be 'EdgeLm.BenchmarkSummary'
            $summary.Runs | Should -Be @(2, 2)
            $summary[0].DecodeTokensPerSecondMedian | Should -BeGreaterThan 0
            ($summary | Format-Table | Out-String) | Should -BeLike '*Tg t/s*'
        }

        It 'compares two result sets with a verdict' {
            $comparison = Compare-EdgeResult -Baseline $results -Candidate $results

            $comparison.Verdict | Sort-Object -Unique | Should -Be 'no significant difference'
        }

        It 'exports Markdown with only the columns that vary' {
            $markdown = Join-Path $TestDrive 'runs.md'
            Import-EdgeResult -Path $results | Export-EdgeResult -Path $markdown

            (Get-Content -LiteralPath $markdown)[0] | Should -BeLike '| *Threads*'
            (Get-Content -LiteralPath $markdown)[0] | Should -Not -BeLike '*ModelName*'
        }

        It 'checks budgets, one verdict per rule' {
            $budget = Join-Path $TestDrive 'budget.yaml'
            Set-Content -LiteralPath $budget -Value "budgets:`n  - figure: DecodeTokensPerSecond`n    min: 1`n  - figure: PeakRssBytes`n    max: 1KB"
            $verdicts = Import-EdgeResult -Path $results | Test-EdgeBudget -Budget $budget

            $verdicts.Passed | Should -Be @($true, $false)
        }
    }
}
