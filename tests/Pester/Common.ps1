# Dot-sourced in each test file's BeforeAll: imports the built module folder (out/EdgeLm) as a board user would,
# and sets $manifestPath for tests that import it again or hand it to a child runspace or pwsh.
$ProgressPreference = 'SilentlyContinue'
$manifestPath = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'EdgeLm', 'EdgeLm.psd1'))
if (-not (Test-Path -LiteralPath $manifestPath)) {
    throw "$manifestPath does not exist; run ./build.sh to assemble the module folder first."
}
Import-Module -Name $manifestPath -Force -ErrorAction Stop
