#!/usr/bin/env bash
# Installs PowerShell and Pester for the Pester suite, from the NuGet feeds this machine's dotnet is
# configured with, into a cache that a second run reuses; prints the path of the pwsh to run.
#   tools/pwsh.sh                 pwsh 7.6.9 (dotnet tool) + Pester $PESTER_VERSION (default 5.7.1)
#   EDGELM_PWSH=/usr/bin/pwsh     use that pwsh instead (a board without network); Pester is still
#                                 taken from its module path when it has one of the pinned versions
# The Pester nupkg keeps the module under tools/; it is copied to <cache>/Modules/Pester/<version>/,
# the layout Import-Module expects. Every nupkg is checked against a pinned sha512 before extraction.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${EDGELM_CACHE:-$repo/.cache}/pwsh"
pwsh_version="7.6.9"
pester_version="${PESTER_VERSION:-5.7.1}"
declare -A pester_integrity=(
  [5.7.1]="sha512-BBlkmq6gt4OyTtBul9a+erBAEBjX1Pko51UHQnV4STugkn1Gs/quiRJ+WIBACKd0cyoy9MzJv5+t5hxZqVZL1A=="
  [5.9.1]="sha512-bTYjnYWsZqASC2OGVhU8+MV16+jMEC25nO+BykRNdAk2/WrCyIzOxI6fg9dI+KuANwIqzJR38awZA1A/QT6UgA=="
  [6.2.0]="sha512-SVQVS0NU4qpAF/2m70omX2J88D/sM8udIDu+PETFMgW6MIxtpFp33HAtT099A568hF3pvzprQu/7TI9UfPTsQg=="
)

say() { printf 'pwsh.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
# shellcheck source=tools/integrity.sh
. "$repo/tools/integrity.sh"

[ -n "${pester_integrity[$pester_version]:-}" ] ||
  die "Pester $pester_version has no pinned sha512 here; use one of: ${!pester_integrity[*]} (or add its hash to tools/pwsh.sh)"

install_pwsh() {
  local dir="$cache/powershell-$pwsh_version"
  if [ -x "$dir/pwsh" ] && "$dir/pwsh" -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null | grep -qx "$pwsh_version"; then
    printf '%s\n' "$dir/pwsh"
    return
  fi
  command -v dotnet >/dev/null 2>&1 || die "the .NET SDK is needed to install pwsh as a dotnet tool; or set EDGELM_PWSH to an installed pwsh"
  say "dotnet tool install PowerShell $pwsh_version"
  rm -rf "$dir"
  dotnet tool install --tool-path "$dir" PowerShell --version "$pwsh_version" >&2 ||
    die "could not install the PowerShell $pwsh_version dotnet tool; check 'dotnet nuget list source', or set EDGELM_PWSH to an installed pwsh"
  printf '%s\n' "$dir/pwsh"
}

# The nupkg, from a local cache or any enabled source: a folder or a v3 feed's flat container.
fetch_pester() {
  local file="$cache/nupkg/pester.$pester_version.nupkg" want="${pester_integrity[$pester_version]}"
  mkdir -p "$cache/nupkg"
  if [ -f "$file" ] && [ "$(sri "$file")" = "$want" ]; then
    printf '%s\n' "$file"
    return
  fi
  rm -f "$file"
  local source base tried=()
  while read -r source; do
    tried+=("$source")
    if [ -d "$source" ]; then
      for candidate in "$source/pester.$pester_version.nupkg" "$source/pester/$pester_version/pester.$pester_version.nupkg" "$source/Pester.$pester_version.nupkg"; do
        [ -f "$candidate" ] && cp "$candidate" "$file" && break
      done
    else
      # A v3 service index names its flat container (PackageBaseAddress); ids are lower case there.
      base="$(curl -sfL --max-time 60 "$source" | tr -d '\n ' | grep -o '"@id":"[^"]*","@type":"PackageBaseAddress/3.0.0"' | head -1 | sed 's/^"@id":"\([^"]*\)".*/\1/')" || base=""
      [ -n "$base" ] || continue
      say "downloading Pester $pester_version from NuGet source ${#tried[@]}"
      curl -sfL --max-time 300 -o "$file" "${base%/}/pester/$pester_version/pester.$pester_version.nupkg" || rm -f "$file"
    fi
    [ -f "$file" ] && break
  done < <(dotnet nuget list source --format short 2>/dev/null | sed -n 's/^ *E[A-Za-z]* \+//p')
  [ -f "$file" ] || die "Pester $pester_version was not found on any enabled NuGet source (${tried[*]:-none}); check 'dotnet nuget list source'"
  require_integrity "$file" "$want" "pester.$pester_version.nupkg"
  printf '%s\n' "$file"
}

install_pester() {
  local dest="$cache/Modules/Pester/$pester_version"
  if [ -f "$dest/Pester.psd1" ] && [ -f "$dest/.edgelm-integrity" ] &&
     [ "$(cat "$dest/.edgelm-integrity")" = "${pester_integrity[$pester_version]}" ]; then
    return
  fi
  local nupkg tmp
  nupkg="$(fetch_pester)"
  tmp="$(mktemp -d)"
  unzip -q "$nupkg" 'tools/*' -d "$tmp" || { rm -rf "$tmp"; die "could not unzip $nupkg"; }
  rm -rf "$dest"
  mkdir -p "$(dirname "$dest")"
  mv "$tmp/tools" "$dest"
  rm -rf "$tmp"
  printf '%s' "${pester_integrity[$pester_version]}" >"$dest/.edgelm-integrity"
  say "Pester $pester_version placed in ${dest#"$repo"/}"
}

if [ -n "${EDGELM_PWSH:-}" ]; then
  [ -x "$EDGELM_PWSH" ] || command -v "$EDGELM_PWSH" >/dev/null 2>&1 || die "EDGELM_PWSH=$EDGELM_PWSH is not an executable pwsh"
  pwsh_path="$EDGELM_PWSH"
  # A board's own pwsh may already have the wanted Pester; only install it when it does not.
  if ! "$pwsh_path" -NoProfile -NonInteractive -Command "if (Get-Module -ListAvailable Pester | Where-Object { \$_.Version -eq '$pester_version' }) { exit 0 } else { exit 1 }" >/dev/null 2>&1; then
    install_pester
  fi
else
  pwsh_path="$(install_pwsh)"
  install_pester
fi
printf '%s\n' "$pwsh_path"
