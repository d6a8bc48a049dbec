# EdgeLm: benchmark llama.cpp inference on edge boards.
# Private assemblies (EdgeLm.Cmdlets, EdgeLm.Core, YamlDotNet) are loaded by EdgeLm.psm1 into their own
# AssemblyLoadContext; they must never appear in RequiredAssemblies or NestedModules, which would load
# them into PowerShell's default context and clash with other modules' YamlDotNet.
@{
    RootModule           = 'EdgeLm.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0d3c4e-8f1a-4e62-9a37-2c6d1e7f0b84'
    Author               = 'EdgeLm'
    CompanyName          = 'EdgeLm'
    Copyright            = '(c) EdgeLm contributors'
    Description          = 'Measure llama.cpp inference on edge boards: time to first token, prefill and decode throughput, synthetic models of real shapes, quantization.'
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.4'
    FormatsToProcess     = @('EdgeLm.Format.ps1xml')
    CmdletsToExport      = @(
        'Compare-EdgeResult'
        'Convert-EdgeModel'
        'Export-EdgeReport'
        'Export-EdgeResult'
        'Get-DeviceProfile'
        'Get-EdgeModel'
        'Get-EdgePowerSource'
        'Import-EdgeResult'
        'Invoke-EdgeBenchmark'
        'Invoke-EdgeInference'
        'Measure-EdgeEnergy'
        'Measure-EdgeCost'
        'Measure-EdgeQuality'
        'Measure-EdgeResult'
        'New-EdgeSyntheticModel'
        'Test-EdgeBudget'
        'Test-EdgeFit'
        'Test-EdgePrompt'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags = @('llama.cpp', 'LLM', 'benchmark', 'edge', 'inference', 'GGUF', 'Linux', 'PSEdition_Core')
        }
    }
}
