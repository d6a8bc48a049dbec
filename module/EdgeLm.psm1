# EdgeLm's root module: loads the cmdlets into a private AssemblyLoadContext (see bin/EdgeLm.Loader.dll)
# so that our YamlDotNet never meets another module's copy in PowerShell's default context.

using namespace System.IO
using namespace System.Management.Automation
using namespace System.Reflection

# Module-qualified, so a user's proxy or alias for Import-Module cannot step in.
$importModule = Get-Command -Name Import-Module -Module Microsoft.PowerShell.Core
$loaderTypeName = 'EdgeLm.Loader.LoadContext'

# The loader lives in the default context once per process; a re-import (-Force) finds it already there.
$isReload = $true
if (-not ($loaderTypeName -as [type])) {
    $isReload = $false
    Add-Type -Path ([Path]::Combine($PSScriptRoot, 'bin', 'EdgeLm.Loader.dll'))
}

# Creates the private context once and returns EdgeLm.Cmdlets loaded in it. Natives are not touched here:
# llama.cpp loads on first use, so a board without them still imports the module.
$cmdletsAssembly = ($loaderTypeName -as [type])::Initialize()
$innerModule = & $importModule -Assembly $cmdletsAssembly -PassThru:$isReload

if ($innerModule) {
    # On a re-import PowerShell hands back its cached module for the assembly without adding its cmdlets to
    # this module's exports (https://github.com/PowerShell/PowerShell/issues/20710); add them ourselves.
    $addExportedCmdlet = [PSModuleInfo].GetMethod('AddExportedCmdlet', [BindingFlags]'Instance, NonPublic')
    foreach ($cmdlet in $innerModule.ExportedCmdlets.Values) {
        $addExportedCmdlet.Invoke($ExecutionContext.SessionState.Module, @(, $cmdlet))
    }
}

# Nothing to undo on Remove-Module: the private context cannot be unloaded (it is not collectible) and a
# later import reuses it; llama.cpp, once loaded, stays for the life of the process; each cmdlet restores
# the llama.cpp log sink it set for -Verbose before it returns.
