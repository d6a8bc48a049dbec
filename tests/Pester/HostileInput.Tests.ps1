# Bad input through the cmdlets, as a board user meets it in pwsh: each case is an ErrorRecord with an ErrorId and
# a message naming the problem, never an 'unexpected' error, a hang, or the end of the shell; files that are not
# ours stay as they were. The CLI's side of the same corpus is tests/Unit/Cli/BadInputCorpusTests.cs.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $work = $TestDrive
    $model = Join-Path $work 'tiny.gguf'
    New-EdgeSyntheticModel -Shape tiny -OutputPath $model | Out-Null

    # A copy of the tiny model with llama.block_count set to 0, which would make llama.cpp abort.
    $bytes = [IO.File]::ReadAllBytes($model)
    $key = [Text.Encoding]::ASCII.GetBytes('llama.block_count')
    $at = ([Text.Encoding]::Latin1.GetString($bytes)).IndexOf('llama.block_count', [StringComparison]::Ordinal)
    [BitConverter]::GetBytes([uint32]0).CopyTo($bytes, $at + $key.Length + 4)
    $noBlocks = Join-Path $work 'no-blocks.gguf'
    [IO.File]::WriteAllBytes($noBlocks, $bytes)

    $fifo = Join-Path $work 'pipe'
    & mkfifo $fifo
    $note = Join-Path $work 'note.txt'
    Set-Content -LiteralPath $note -Value 'remember to buy milk'
}

Describe 'Hostile input' {
    It '<Name> is the error <ErrorId>' -ForEach @(
        @{ Name = 'a model that would abort llama.cpp (info)'; ErrorId = 'GgufBadHyperparameter'; Says = 'block_count is 0'; Run = { Get-EdgeModel -LiteralPath $noBlocks } }
        @{ Name = 'a model that would abort llama.cpp (in process)'; ErrorId = 'GgufBadHyperparameter'; Says = 'block_count is 0'; Run = { Invoke-EdgeInference -Model $noBlocks -Prompt 'x' -MaxTokens 1 -InProcess } }
        @{ Name = 'a model that would abort llama.cpp (quantize)'; ErrorId = 'GgufBadHyperparameter'; Says = 'block_count is 0'; Run = { Convert-EdgeModel -LiteralPath $noBlocks -Quantization Q8_0 -OutputPath (Join-Path $work 'q8.gguf') } }
        @{ Name = 'a FIFO as the model'; ErrorId = 'NotARegularFile'; Says = 'FIFO'; Run = { Get-EdgeModel -LiteralPath $fifo } }
        @{ Name = 'a FIFO as the plan'; ErrorId = 'NotARegularFile'; Says = 'FIFO'; Run = { Invoke-EdgeBenchmark -Plan $fifo } }
        @{ Name = '/dev/zero as the plan'; ErrorId = 'NotARegularFile'; Says = 'character device'; Run = { Invoke-EdgeBenchmark -Plan /dev/zero } }
        @{ Name = '/dev/urandom as a results file'; ErrorId = 'NotARegularFile'; Says = 'character device'; Run = { Import-EdgeResult -Path /dev/urandom } }
        @{ Name = '100000 threads'; ErrorId = 'TooManyThreads'; Says = 'threads'; Run = { Invoke-EdgeInference -Model $model -Prompt 'x' -Threads 100000 } }
        @{ Name = 'a context beyond training'; ErrorId = 'ContextBeyondTraining'; Says = 'trained for'; Run = { Invoke-EdgeInference -Model $model -Prompt 'x' -ContextSize 2147483647 } }
        @{ Name = '-Resume onto a file that is not ours'; ErrorId = 'ResultsCorrupt'; Says = 'not an EdgeLm results file'; Run = { Invoke-EdgeBenchmark -Model $model -Threads 1 -PromptTokens 4 -GenerationTokens 2 -Repetitions 1 -Warmups 0 -OutputPath $note -Resume } }
        @{ Name = '-Force onto /dev/full'; ErrorId = 'OutputNotARegularFile'; Says = 'character device'; Run = { Convert-EdgeModel -LiteralPath $model -Quantization Q8_0 -OutputPath /dev/full -Force } }
    ) {
        $before = Get-FileHash -LiteralPath $note, $model

        # Non-terminating errors come through 2>&1, a terminating one through catch: either way the shell goes on.
        $said = @(try { & $Run 2>&1 } catch { $_ })
        $failures = @($said | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })

        @($said | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $failures[0].Exception.Message | Should -BeLike "*$Says*"
        $failures[0].Exception.Message | Should -Not -BeLike '*unexpected*'
        (Get-FileHash -LiteralPath $note, $model).Hash | Should -Be $before.Hash
        & test -c /dev/full
        $LASTEXITCODE | Should -Be 0
    }

    It 'a board catalog that is /dev/zero is a warning in the profile, not a hang' {
        $profile = Get-DeviceProfile -BoardCatalog /dev/zero -WarningAction SilentlyContinue
        $profile.Warnings | Should -BeLike '*board catalog not readable*'
    }
}
