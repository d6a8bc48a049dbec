#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Get-Help for every exported cmdlet of the built module (out/EdgeLm), as a user sees it: synopsis, description,
# every parameter described, the input and output types, two examples or more, a link to about_EdgeLm; and every
# example not marked '<!-- not-run: reason -->' in docs/help runs, as Get-Help shows it.
# Examples run in order, in a fresh folder per cmdlet seeded with tiny stand-ins for what they name (see
# docs/help/README.md), so each cmdlet's examples take seconds; New-EdgeSyntheticModel's start in an empty folder.
#   ./build.sh && pwsh -NoProfile -Command 'Invoke-Pester -Path tests/Pester/Help.Tests.ps1 -Output Detailed'

BeforeDiscovery {
    $repoRoot = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..'))
    $docs = [IO.Path]::Combine($repoRoot, 'docs', 'help')

    # The examples of one docs/help file: number, title, code and the not-run reason, if any. The run phase checks
    # that Get-Help shows the same code, and runs what Get-Help shows.
    function Read-HelpExample([string] $Cmdlet, [string] $File) {
        if (-not (Test-Path -LiteralPath $File)) {
            return
        }

        $section = $null
        $example = $null
        $inCode = $false
        foreach ($line in [IO.File]::ReadAllLines($File)) {
            if ($inCode) {
                if ($line.StartsWith('```')) { $inCode = $false } else { $example.Code.Add($line) }
                continue
            }

            if ($line -match '^## (.+)$') {
                $section = $Matches[1].Trim()
                continue
            }

            if ($section -ne 'Examples') {
                continue
            }

            if ($line -match '^### Example (\d+):\s*(.+)$') {
                if ($example) { $example }
                $example = @{ Cmdlet = $Cmdlet; Index = [int]$Matches[1]; Title = $Matches[2].Trim(); Code = [Collections.Generic.List[string]]::new(); NotRun = $null }
            }
            elseif ($example -and $line.StartsWith('```') -and $example.Code.Count -eq 0) {
                $inCode = $true
            }
            elseif ($example -and $line -match '^\s*<!--\s*not-run:\s*(.+?)\s*-->') {
                $example.NotRun = $Matches[1]
            }
        }

        if ($example) { $example }
    }

    $manifest = Import-PowerShellDataFile -LiteralPath ([IO.Path]::Combine($repoRoot, 'module', 'EdgeLm.psd1'))
    $cmdlets = foreach ($name in $manifest.CmdletsToExport) {
        $examples = @(Read-HelpExample -Cmdlet $name -File ([IO.Path]::Combine($docs, "$name.md")) | ForEach-Object {
                $_.Code = $_.Code -join "`n"
                $_
            })
        if ($examples.Count -eq 0) {
            # Pester 6 refuses an empty -ForEach at discovery: one placeholder that fails, saying why.
            $examples = @(@{ Cmdlet = $name; Index = 0; Title = '(none written)'; Code = $null; NotRun = $null })
        }

        @{ Name = $name; Examples = $examples }
    }
}

BeforeAll {
    $ProgressPreference = 'SilentlyContinue'
    $repoRoot = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..'))
    $manifestPath = [IO.Path]::Combine($repoRoot, 'out', 'EdgeLm', 'EdgeLm.psd1')
    if (-not (Test-Path -LiteralPath $manifestPath)) {
        throw "$manifestPath does not exist; run ./build.sh to assemble the module folder first."
    }

    Import-Module -Name $manifestPath -Force -ErrorAction Stop

    # What the examples find in their folder (docs/help/README.md): tiny models under real shapes' names, prompts,
    # results files, the example budget and two board snapshots.
    $seed = Join-Path ([IO.Path]::GetTempPath()) "edgelm-help-seed-$([guid]::NewGuid().ToString('n'))"
    $null = New-Item -ItemType Directory -Path $seed
    $q8 = Join-Path $seed 'smollm2-135m-q8_0.gguf'
    $q4 = Join-Path $seed 'llama-3.2-1b-q4_0.gguf'
    $null = New-EdgeSyntheticModel -Shape tiny -Quantization Q8_0 -OutputPath $q8 -ErrorAction Stop
    $null = New-EdgeSyntheticModel -Shape tiny -Quantization Q4_0 -OutputPath $q4 -ErrorAction Stop
    $null = New-EdgeSyntheticModel -Shape tiny -Quantization F16 -OutputPath (Join-Path $seed 'llama-3.2-1b-f16.gguf') -ErrorAction Stop
    Set-Content -LiteralPath (Join-Path $seed 'prompts.txt') -Value @(
        'Explain edge computing in one sentence.'
        'List three uses of a Raspberry Pi.'
        'What is quantization?'
    )
    $sweep = @{ Model = $q8, $q4; Threads = 1, 2; PromptTokens = 32; GenerationTokens = 8; Repetitions = 3; Warmups = 0; ErrorAction = 'Stop' }
    foreach ($file in 'results.jsonl', 'baseline.jsonl', 'candidate.jsonl') {
        $null = Invoke-EdgeBenchmark @sweep -OutputPath (Join-Path $seed $file) 3>$null
    }

    Copy-Item -LiteralPath ([IO.Path]::Combine($repoRoot, 'examples', 'budget.yaml')) -Destination $seed
    # Test-EdgePrompt's examples: a short suite, so the synthetic models answer it in seconds.
    Set-Content -LiteralPath (Join-Path $seed 'prompts.yaml') -Value @(
        'name: help-examples', 'maxTokens: 8', 'prompts:'
        '  - id: arithmetic', '    prompt: What is 17 + 25?', '    checks:', '      - exact: "42"'
        '  - id: short', '    prompt: Say hello.', '    checks:', '      - tokens: { max: 8 }'
    )
    Copy-Item -LiteralPath ([IO.Path]::Combine($repoRoot, 'examples', 'quality-text.txt')) -Destination $seed
    $fixtures = [IO.Path]::Combine($repoRoot, 'tests', 'Fixtures')
    foreach ($snapshot in @(
            @{ Name = 'pi5-snapshot'; Trees = 'devices/raspberry-pi-5-8gb', 'energy/raspberry-pi-5' }
            @{ Name = 'orin-snapshot'; Trees = 'devices/jetson-orin-nano-jp6', 'energy/jetson-orin-nano-jp6' })) {
        $target = New-Item -ItemType Directory -Path (Join-Path $seed $snapshot.Name)
        foreach ($tree in $snapshot.Trees) {
            Copy-Item -Path ([IO.Path]::Combine($fixtures, $tree, '*')) -Destination $target -Recurse -Force
        }
    }

    # The cmdlets whose examples make their own files and must not find the seed's.
    $startsEmpty = @('New-EdgeSyntheticModel')
}

AfterAll {
    if ($seed -and (Test-Path -LiteralPath $seed)) {
        Remove-Item -LiteralPath $seed -Recurse -Force
    }
}

Describe 'Get-Help <Name>' -ForEach $cmdlets {
    BeforeAll {
        $help = Get-Help -Name $Name -Full
        $command = Get-Command -Name $Name
        $workspace = Join-Path ([IO.Path]::GetTempPath()) "edgelm-help-$Name-$([guid]::NewGuid().ToString('n'))"
        $null = New-Item -ItemType Directory -Path $workspace
        if ($Name -notin $startsEmpty) {
            Copy-Item -Path (Join-Path $seed '*') -Destination $workspace -Recurse
        }
    }

    AfterAll {
        if ($workspace -and (Test-Path -LiteralPath $workspace)) {
            Remove-Item -LiteralPath $workspace -Recurse -Force
        }
    }

    It 'comes from the help file, not the generated syntax' {
        # Without MAML, Get-Help makes a synopsis of the syntax and has no description.
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeLike "$Name *"
        ($help.description.Text -join "`n") | Should -Not -BeNullOrEmpty
    }

    It 'describes every parameter' {
        $common = [System.Management.Automation.Cmdlet]::CommonParameters
        $undescribed = foreach ($parameter in $command.Parameters.Keys | Where-Object { $_ -notin $common }) {
            $described = @($help.parameters.parameter | Where-Object name -EQ $parameter)
            $text = ($described.description.Text -join '').Trim()
            if (-not $text) { $parameter }
        }

        $undescribed | Should -BeNullOrEmpty -Because "every parameter of $Name needs a description in docs/help/$Name.md"
        @($help.parameters.parameter).Count | Should -BeGreaterThan 0
    }

    It 'names its input types' {
        @($help.inputTypes.inputType.type.name | Where-Object { $_ }) | Should -Not -BeNullOrEmpty
    }

    It 'names its output types, the ones it declares' {
        $declared = @($command.OutputType.Name | Sort-Object -Unique)
        $shown = @($help.returnValues.returnValue.type.name | ForEach-Object { $_.Trim() } | Sort-Object -Unique)

        $declared | Should -Not -BeNullOrEmpty
        $shown | Should -Be $declared
        ($help.returnValues.returnValue.description.Text -join '').Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has two examples or more, each with code and remarks' {
        $examples = @($help.examples.example)

        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            $example.code | Should -Not -BeNullOrEmpty
            ($example.remarks.Text -join '').Trim() | Should -Not -BeNullOrEmpty
        }
    }

    It 'links to about_EdgeLm' {
        @($help.relatedLinks.navigationLink.linkText | ForEach-Object { $_.Trim() }) | Should -Contain 'about_EdgeLm'
    }

    It 'runs example <Index>: <Title>' -ForEach $Examples {
        if ($NotRun) {
            Set-ItResult -Skipped -Because "docs/help marks it not-run: $NotRun"
            return
        }

        $Code | Should -Not -BeNullOrEmpty -Because "docs/help/$Cmdlet.md has no examples"
        $shown = @($help.examples.example)[$Index - 1].code -replace "`r`n", "`n"
        $shown | Should -Be $Code -Because 'Get-Help shows the example as docs/help has it (rebuild after editing docs/help)'

        # Any error fails the example (ErrorAction Stop); its output goes through the format views, as at a prompt.
        Push-Location -LiteralPath $workspace
        try {
            $null = & {
                $ErrorActionPreference = 'Stop'
                & ([scriptblock]::Create($shown))
            } 3>$null | Out-String -Width 80
        }
        finally {
            Pop-Location
        }
    }
}

Describe 'about_EdgeLm' {
    It 'is the topic every cmdlet links to' {
        $topic = Get-Help -Name about_EdgeLm

        ($topic | Out-String) | Should -BeLike '*EdgeLm*Invoke-EdgeInference*'
    }

    It 'reads on an 80-column console without a wrapped line' {
        $long = @((Get-Help -Name about_EdgeLm | Out-String -Width 200) -split '\r?\n' | Where-Object { $_.Length -gt 79 })

        $long | Should -BeNullOrEmpty -Because 'an 80-column terminal wraps longer lines mid-word'
    }
}
