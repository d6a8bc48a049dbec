# Invoke-EdgeBenchmark -HostName on a fleet of two "boards" that are two sshd processes on 127.0.0.1, each with its
# own port, DeviceName and EdgeLm cache, serving pwsh's SSH subsystem with the built module on its PSModulePath.
# Everything runs on loopback; every sshd and every process a session started is stopped in AfterAll.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $repo = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..'))
    # Only this test's processes carry this token, so AfterAll stops exactly them.
    $token = [guid]::NewGuid().ToString('n')
    # Processes whose environment carries this test's token and the board's name: the board's pwsh and its worker.
    function Get-BoardProcess([string] $Name) {
        foreach ($entry in Get-ChildItem /proc -Directory | Where-Object Name -Match '^\d+$') {
            try { $environment = [IO.File]::ReadAllText("/proc/$($entry.Name)/environ") -split "`0" } catch { continue }
            if ($environment -contains "EDGELM_FLEET_TEST=$token" -and (-not $Name -or $environment -contains "EDGELM_DEVICE_NAME=$Name")) {
                [int]$entry.Name
            }
        }
    }

    $sshd = & bash (Join-Path $repo 'tools/sshd.sh')
    if ($LASTEXITCODE -ne 0 -or -not $sshd) { throw "tools/sshd.sh found no sshd (see above)" }
    $folder = Join-Path ([IO.Path]::GetTempPath()) "edgelm-fleet-$token"
    $null = New-Item -ItemType Directory -Path $folder

    # The pwsh the boards run: this one. A dotnet-tool pwsh runs as `dotnet pwsh.dll`; its launcher is the tool's root.
    $pwsh = if ($env:EDGELM_PWSH) { $env:EDGELM_PWSH }
        elseif ($PSHOME -match '^(.*)/\.store/') { Join-Path $Matches[1] 'pwsh' }
        else { Join-Path $PSHOME 'pwsh' }

    function Get-FreePort {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
    }

    & ssh-keygen -q -t ed25519 -N '' -f (Join-Path $folder 'user_key')
    Copy-Item (Join-Path $folder 'user_key.pub') (Join-Path $folder 'authorized_keys')
    # sshd started as root wants its privilege separation folder, which the package's service would have made.
    if ((id -u) -eq '0' -and -not (Test-Path /run/sshd)) { $null = New-Item -ItemType Directory -Path /run/sshd }

    # -Bare: a board without the module on its PSModulePath, and with its own home, where -DeployModule copies it.
    function Start-Board([string] $Name, [switch] $Bare) {
        $port = Get-FreePort
        $hostKey = Join-Path $folder "$Name-host_key"
        & ssh-keygen -q -t ed25519 -N '' -f $hostKey
        $config = Join-Path $folder "$Name-sshd_config"
        $modules = if ($Bare) { Join-Path $folder "$Name-nothing" } else { Split-Path -Parent (Split-Path -Parent $manifestPath) }
        $environment = "SetEnv EDGELM_DEVICE_NAME=$Name EDGELM_CACHE_DIR=$(Join-Path $folder "$Name-cache") EDGELM_FLEET_TEST=$token " +
            "`"PSModulePath=$modules`" `"PATH=$env:PATH`"$(if ($env:DOTNET_ROOT) { " DOTNET_ROOT=$env:DOTNET_ROOT" })" +
            $(if ($Bare) { " HOME=$(Join-Path $folder "$Name-home") XDG_DATA_HOME=$(Join-Path $folder "$Name-home/.local/share")" })
        Set-Content -LiteralPath $config -Value @(
            'ListenAddress 127.0.0.1', "Port $port", "HostKey $hostKey", "AuthorizedKeysFile $(Join-Path $folder 'authorized_keys')",
            'StrictModes no', 'PermitRootLogin yes', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'UsePAM no', 'PidFile none',
            $environment,
            "Subsystem powershell $pwsh -sshs -NoLogo")
        $log = Join-Path $folder "$Name-sshd.log"
        # Both streams to files: an sshd holding this pwsh's stdout would keep a caller's pipe open after a crash.
        $process = Start-Process -FilePath $sshd -ArgumentList '-D', '-e', '-f', $config -RedirectStandardError $log `
            -RedirectStandardOutput (Join-Path $folder "$Name-sshd.out") -PassThru
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while ($true) {
            $client = [Net.Sockets.TcpClient]::new()
            try { $client.Connect('127.0.0.1', $port); break } catch { } finally { $client.Dispose() }
            if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) { throw "sshd for $Name did not listen on port ${port}: $(Get-Content -Raw $log)" }
            Start-Sleep -Milliseconds 100
        }
        [pscustomobject]@{ Name = $Name; HostName = "127.0.0.1:$port"; Process = $process }
    }

    $boards = @((Start-Board 'board1'), (Start-Board 'board2'))
    $bare = Start-Board 'board3' -Bare
    $connection = @{
        UserName = (id -un); KeyFilePath = (Join-Path $folder 'user_key')
        SshOption = @{ StrictHostKeyChecking = 'no'; UserKnownHostsFile = '/dev/null'; LogLevel = 'ERROR' }
    }
    # The same for edgelm fleet, as its options.
    $cliSsh = @('--user', (id -un), '--key', $connection.KeyFilePath, '--ssh-option', 'StrictHostKeyChecking=no,UserKnownHostsFile=/dev/null,LogLevel=ERROR')

    # A plan of two configurations with a cool-down between them: the pause in which a board is killed mid-plan.
    function New-Plan([string] $Name, [int] $Repetitions, [double] $Cooldown) {
        $path = Join-Path $folder $Name
        Set-Content -LiteralPath $path -Value @(
            'models:', '  - synthetic: tiny', '    quantizations: [F16]', 'threads: [1]', 'promptTokens: [8, 16]',
            'generationTokens: [4]', "repetitions: $Repetitions", 'warmups: 0', 'cooldown:', "  seconds: $Cooldown")
        $path
    }

    # The fleet command in its own runspace, so a board that never answers cannot hang the suite.
    function Start-Fleet([hashtable] $Parameters) {
        $shell = [powershell]::Create()
        $null = $shell.AddScript('param($p, $m) $ProgressPreference = "SilentlyContinue"; Import-Module $m; Invoke-EdgeBenchmark @p').
            AddArgument($Parameters).AddArgument($manifestPath)
        $output = [Management.Automation.PSDataCollection[psobject]]::new()
        $inputs = [Management.Automation.PSDataCollection[psobject]]::new()
        $inputs.Complete()
        [pscustomobject]@{ Shell = $shell; Output = $output; Async = $shell.BeginInvoke($inputs, $output) }
    }

    function Wait-Fleet($Run, [int] $TimeoutSeconds = 600) {
        try {
            if (-not $Run.Async.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($TimeoutSeconds))) {
                $Run.Shell.Stop()
                throw "Invoke-EdgeBenchmark on the fleet did not end within $TimeoutSeconds s"
            }
            $terminating = $null
            try { $Run.Shell.EndInvoke($Run.Async) } catch { $terminating = $_ }
            [pscustomobject]@{
                Output = @($Run.Output); Errors = @($Run.Shell.Streams.Error); Information = @($Run.Shell.Streams.Information)
                Warnings = @($Run.Shell.Streams.Warning); Terminating = $terminating
            }
        }
        finally { $Run.Shell.Dispose() }
    }

    function Get-Runs([string] $Path) { @(Import-EdgeResult -Path $Path) }

    # The two-configuration plan with three repetitions, whole on both boards and no run twice.
    function Assert-WholePlan([string] $Merged) {
        $runs = Get-Runs $Merged
        @($runs | Where-Object DeviceName -EQ 'board1').Count | Should -Be 6
        @($runs | Where-Object DeviceName -EQ 'board2').Count | Should -Be 6
        @($runs | Group-Object DeviceName, RunKey | Where-Object Count -GT 1) | Should -BeNullOrEmpty
    }

    # After Ctrl+C nothing of the fleet goes on on the boards (within a generous bound).
    function Assert-BoardsStopped {
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (($left = @(Get-BoardProcess '')).Count -gt 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
        $left | ForEach-Object { (Get-Content -Raw "/proc/$_/cmdline" -ErrorAction SilentlyContinue) -replace "`0", ' ' } |
            Should -BeNullOrEmpty -Because 'a board still ran the plan after Ctrl+C'
    }
}

AfterAll {
    foreach ($board in @($boards) + $bare) { if ($board -and -not $board.Process.HasExited) { Stop-Process -Id $board.Process.Id -Force } }
    foreach ($id in @(if ($token) { Get-BoardProcess '' })) { Stop-Process -Id $id -Force -ErrorAction SilentlyContinue }
    if ($folder) { Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Invoke-EdgeBenchmark on a fleet over SSH' {
    It 'runs the plan on both boards into one file, and names the unreachable third in an error' {
        $plan = New-Plan 'both.yaml' 2 0
        $merged = Join-Path $folder 'both.jsonl'
        $unreachable = "127.0.0.1:$(Get-FreePort)"
        $run = Wait-Fleet (Start-Fleet (@{ Plan = $plan; HostName = @($boards.HostName) + $unreachable; OutputPath = $merged } + $connection))

        $run.Terminating | Should -BeNullOrEmpty
        $run.Errors.Count | Should -Be 1 -Because ($run.Errors | Out-String)
        $run.Errors[0].TargetObject | Should -Be $unreachable
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'BoardUnreachable*'
        $run.Errors[0].Exception.Message | Should -BeLike "${unreachable}:*"
        $run.Output.Count | Should -Be 8
        $runs = Get-Runs $merged
        $runs.Count | Should -Be 8
        $summaries = @($runs | Measure-EdgeResult -GroupBy DeviceName)
        ($summaries.DeviceName | Sort-Object) | Should -Be @('board1', 'board2')
        $summaries | ForEach-Object { $_.Runs | Should -Be 4 }
        # Both boards run this module: every record says so, and no board is warned of as another EdgeLm.
        @($runs.EdgeLmVersion | Sort-Object -Unique) | Should -Be @((Get-Module EdgeLm).Version.ToString(3))
        $run.Warnings.Count | Should -Be 0 -Because ($run.Warnings | Out-String)
    }

    It 'resumes a board killed mid-plan without duplicating a run, while the other completes' {
        $plan = New-Plan 'drop.yaml' 3 3
        $merged = Join-Path $folder 'drop.jsonl'
        $parameters = @{ Plan = $plan; HostName = @($boards.HostName); OutputPath = $merged } + $connection
        $run = Start-Fleet $parameters
        # Once board2 has saved a run here, its remote pwsh is killed: within the first configuration or the cool-down.
        $deadline = [DateTime]::UtcNow.AddSeconds(300)
        while (-not ((Test-Path $merged) -and (Select-String -LiteralPath $merged -Pattern '"DeviceName":"board2"' -Quiet))) {
            if ($run.Async.IsCompleted -or [DateTime]::UtcNow -gt $deadline) { break }
            Start-Sleep -Milliseconds 50
        }
        $killed = @(Get-BoardProcess 'board2' | Where-Object { (Get-Content -Raw "/proc/$_/cmdline") -match '-sshs' })
        $killed | ForEach-Object { Stop-Process -Id $_ -Force }
        $first = Wait-Fleet $run

        $killed.Count | Should -BeGreaterThan 0 -Because 'board2 was still running its plan'
        $dropped = @($first.Errors | Where-Object TargetObject -EQ $boards[1].HostName)
        $dropped.Count | Should -BeGreaterThan 0 -Because ($first.Errors | Out-String)
        $dropped[0].Exception.Message | Should -Match '-Resume'
        @($first.Errors | Where-Object TargetObject -EQ $boards[0].HostName) | Should -BeNullOrEmpty
        $runs = Get-Runs $merged
        @($runs | Where-Object DeviceName -EQ 'board1').Count | Should -Be 6
        @($runs | Where-Object DeviceName -EQ 'board2').Count | Should -BeLessThan 6

        $second = Wait-Fleet (Start-Fleet ($parameters + @{ Resume = $true }))

        $second.Errors | Should -BeNullOrEmpty
        Assert-WholePlan $merged
        @($second.Output | Where-Object DeviceName -EQ 'board1') | Should -BeNullOrEmpty -Because 'board1 had nothing left to run'
    }

    It 'stops every board at Ctrl+C, keeps the runs that arrived, and -Resume finishes the plan' {
        $plan = New-Plan 'stop.yaml' 3 3
        $merged = Join-Path $folder 'stop.jsonl'
        $parameters = @{ Plan = $plan; HostName = @($boards.HostName); OutputPath = $merged } + $connection
        $run = Start-Fleet $parameters
        $deadline = [DateTime]::UtcNow.AddSeconds(300)
        while (-not ((Test-Path $merged) -and (Get-Item $merged).Length -gt 0)) {
            if ($run.Async.IsCompleted -or [DateTime]::UtcNow -gt $deadline) { break }
            Start-Sleep -Milliseconds 50
        }
        $running = @(Get-BoardProcess '')
        # What Ctrl+C does to the pipeline; Stop returns once the command has stopped.
        $stopping = $run.Shell.BeginStop($null, $null)
        $stopping.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(120)) | Should -BeTrue -Because 'Ctrl+C must not hang'
        $run.Shell.Dispose()
        $running.Count | Should -BeGreaterThan 0 -Because 'the boards were still running the plan at Ctrl+C'

        # Nothing of the fleet goes on on the boards: their plan stops with the command (within a generous bound).
        Assert-BoardsStopped
        $arrived = Get-Runs $merged
        $arrived.Count | Should -BeGreaterThan 0
        $arrived.Count | Should -BeLessThan 12

        $second = Wait-Fleet (Start-Fleet ($parameters + @{ Resume = $true }))

        $second.Errors | Should -BeNullOrEmpty
        Assert-WholePlan $merged
    }

    It 'names each board that refuses the plan, and runs nothing' {
        $plan = Join-Path $folder 'refused.yaml'
        Set-Content -LiteralPath $plan -Value @('models:', '  - synthetic: tiny', 'threads: [1]', 'repetitionz: 2')
        $run = Wait-Fleet (Start-Fleet (@{ Plan = $plan; HostName = @($boards.HostName); OutputPath = (Join-Path $folder 'refused.jsonl') } + $connection))

        $run.Output | Should -BeNullOrEmpty
        ($run.Errors.TargetObject | Sort-Object) | Should -Be @($boards.HostName | Sort-Object)
        $run.Errors | ForEach-Object { $_.Exception.Message | Should -Match "^$([regex]::Escape($_.TargetObject)): .*repetitionz" }
    }

    It 'says the module is missing on a board without it, and -DeployModule copies it there' {
        $plan = New-Plan 'deploy.yaml' 1 0
        $merged = Join-Path $folder 'deploy.jsonl'
        $parameters = @{ Plan = $plan; HostName = $bare.HostName; OutputPath = $merged } + $connection
        $missing = Wait-Fleet (Start-Fleet $parameters)

        $missing.Errors.Count | Should -Be 1
        $missing.Errors[0].FullyQualifiedErrorId | Should -BeLike 'BoardModuleMissing*'
        $missing.Errors[0].Exception.Message | Should -Match '-DeployModule'

        $done = Wait-Fleet (Start-Fleet ($parameters + @{ DeployModule = $true; Resume = $true }))
        $done.Errors | Should -BeNullOrEmpty
        $told = @($done.Information | ForEach-Object { "$($_.MessageData)" })
        $told | Should -Match "^$([regex]::Escape($bare.HostName)): copied the EdgeLm module \(\d+ files"
        Test-Path (Join-Path $folder 'board3-home/.local/share/powershell/Modules/EdgeLm/EdgeLm.psd1') | Should -BeTrue
        (Get-Runs $merged).DeviceName | Should -Be @('board3', 'board3')
    }

    It 'runs through sessions already open, and refuses a results file that exists without -Resume' {
        $plan = New-Plan 'sessions.yaml' 1 0
        $merged = Join-Path $folder 'sessions.jsonl'
        $host1, $port1 = $boards[0].HostName -split ':'
        $session = New-PSSession -HostName $host1 -Port $port1 -UserName $connection.UserName -KeyFilePath $connection.KeyFilePath -Options $connection.SshOption
        try {
            $run = Wait-Fleet (Start-Fleet @{ Plan = $plan; Session = $session; OutputPath = $merged })
            $run.Errors | Should -BeNullOrEmpty
            (Get-Runs $merged).DeviceName | Should -Be @('board1', 'board1')
            $session.State | Should -Be 'Opened' -Because 'a session given is left open'

            $again = Wait-Fleet (Start-Fleet @{ Plan = $plan; Session = $session; OutputPath = $merged })
            (@($again.Errors) + @($again.Terminating)).FullyQualifiedErrorId -join ' ' | Should -Match 'ResultsExist'
        }
        finally { Remove-PSSession $session }
    }
}

Describe 'edgelm fleet over plain ssh' {
    It 'runs the plan on both boards into one file, names an unreachable board, and resumes without duplicates' {
        $plan = New-Plan 'cli.yaml' 2 0
        $merged = Join-Path $folder 'cli.jsonl'
        $unreachable = "127.0.0.1:$(Get-FreePort)"
        $edgelm = Join-Path $repo 'edgelm'
        $ssh = $cliSsh + @('--remote-edgelm', $edgelm)

        $said = & $edgelm fleet --hosts ((@($boards.HostName) + $unreachable) -join ',') --plan $plan --out $merged @ssh 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 1 -Because $said
        $said | Should -Match ([regex]::Escape("warning: ${unreachable}: ssh could not reach it"))
        $runs = Get-Runs $merged
        $runs.Count | Should -Be 8 -Because $said
        $summaries = @($runs | Measure-EdgeResult -GroupBy DeviceName)
        ($summaries.DeviceName | Sort-Object) | Should -Be @('board1', 'board2')

        # The merged file loses its last three lines (a laptop that died mid-fleet): --resume takes them back from the
        # boards' own files, and the boards run nothing again.
        $lines = @(Get-Content -LiteralPath $merged)
        Set-Content -LiteralPath $merged -Value $lines[0..($lines.Count - 4)]
        $said = & $edgelm fleet --hosts (@($boards.HostName) -join ',') --plan $plan --out $merged --resume @ssh 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 0 -Because $said
        $said | Should -Match 'recovered from its results file'
        $again = Get-Runs $merged
        $again.Count | Should -Be 8
        @($again | Group-Object DeviceName, RunKey | Where-Object Count -GT 1).Count | Should -Be 0
        $said | Should -Not -Match 'runs EdgeLm'
    }

    It 'stops every board when edgelm fleet is interrupted, and --resume finishes the plan' {
        $plan = New-Plan 'cli-stop.yaml' 3 3
        $merged = Join-Path $folder 'cli-stop.jsonl'
        $edgelm = Join-Path $repo 'edgelm'
        $arguments = @('fleet', '--hosts', (@($boards.HostName) -join ','), '--plan', $plan, '--out', $merged) + $cliSsh + @('--remote-edgelm', $edgelm)
        $start = [Diagnostics.ProcessStartInfo]::new($edgelm)
        $arguments | ForEach-Object { $start.ArgumentList.Add($_) }
        $start.RedirectStandardError = $true
        $start.RedirectStandardOutput = $true
        $process = [Diagnostics.Process]::Start($start)
        $said = $process.StandardError.ReadToEndAsync()
        $null = $process.StandardOutput.ReadToEndAsync()
        $deadline = [DateTime]::UtcNow.AddSeconds(300)
        while (-not ((Test-Path $merged) -and (Get-Item $merged).Length -gt 0)) {
            if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) { break }
            Start-Sleep -Milliseconds 50
        }
        $running = @(Get-BoardProcess '')
        # Ctrl+C in a terminal: SIGINT to the command.
        & kill -INT $process.Id
        $process.WaitForExit(120000) | Should -BeTrue -Because 'an interrupted fleet must not hang'
        $running.Count | Should -BeGreaterThan 0 -Because 'the boards were still running the plan at Ctrl+C'
        $process.ExitCode | Should -Not -Be 0 -Because $said.Result

        Assert-BoardsStopped

        $again = & $edgelm @arguments --resume 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 0 -Because $again
        Assert-WholePlan $merged
    }

    It 'warns of a board whose records come from another EdgeLm, naming both versions' {
        $plan = New-Plan 'older.yaml' 1 0
        $merged = Join-Path $folder 'older.jsonl'
        # A board with an older edgelm: this one, its records relabelled on the way out.
        $older = Join-Path $folder 'older-edgelm'
        Set-Content -LiteralPath $older -Value ("#!/bin/sh`n'$(Join-Path $repo 'edgelm')' ""`$@"" | " +
            "sed 's/""EdgeLmVersion"":""[^""]*""/""EdgeLmVersion"":""0.0.9""/'")
        chmod +x $older
        $ssh = $cliSsh + @('--remote-edgelm', $older)

        $said = & (Join-Path $repo 'edgelm') fleet --hosts $boards[0].HostName --plan $plan --out $merged @ssh 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 0 -Because $said
        $version = (Get-Module EdgeLm).Version.ToString(3)
        $said | Should -Match ([regex]::Escape("warning: $($boards[0].HostName) runs EdgeLm 0.0.9, this machine EdgeLm $version"))
        # Once per board, not once per record.
        ([regex]::Matches($said, 'runs EdgeLm 0\.0\.9')).Count | Should -Be 1
        @((Get-Runs $merged).EdgeLmVersion | Sort-Object -Unique) | Should -Be @('0.0.9')
    }
}
