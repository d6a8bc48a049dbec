#!/usr/bin/env bash
# EdgeLm's one entry point.
#   ./build.sh            natives + headers + build + module folder (out/EdgeLm)
#   ./build.sh test       all of the above, the linux-arm64 release, then the xunit suite and the Pester suite
#                         (pwsh and Pester installed by tools/pwsh.sh; PESTER_VERSION picks 5.7.1, 5.9.1 or
#                         6.2.0; EDGELM_PWSH uses a pwsh already on the machine; Chromium for the xunit
#                         browser tests found or installed by tools/chromium.sh, or EDGELM_CHROMIUM; the
#                         arm64 tests' emulator and cross compiler installed by tools/qemu.sh)
#   ./build.sh pester     build, module folder, then only the Pester suite
#   ./build.sh natives    only fetch and place llama.cpp's shared libraries
#   ./build.sh headers    only extract llama.cpp's headers (for the struct layout test)
#   ./build.sh module     build and assemble out/EdgeLm without fetching natives again
#   ./build.sh release [RID...]  all of the above, then per runtime (linux-x64, linux-arm64; default both) a
#                         self-contained edgelm CLI and the module with only that runtime's natives, each a
#                         .tar.gz in out/release/ listed in out/release/SHA256SUMS
# Every download comes from the npm registry through `npm pack` and is checked against a pinned
# sha512 integrity before anything is extracted; tarballs are cached under .cache/ (or $EDGELM_CACHE).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${EDGELM_CACHE:-$repo/.cache}"
out="$repo/out"
module_dir="$out/EdgeLm"
configuration="${EDGELM_CONFIGURATION:-Release}"

# node-llama-cpp 3.22.1 bundles llama.cpp release v0.5.0; the binding refuses any other version.
llama_release="0.5.0"
npm_version="3.22.1"
declare -A integrity=(
  [linux-x64]="sha512-5uCCDNqWCNfaAm8aR/Uzxbo4HBpKgNF91kCHPepKhgMgV2OAmatoefbOlMihsqCiH2Od35E/eUHQCFbfRBJuOg=="
  [linux-arm64]="sha512-W+7naKCXX9/eEjjFmRS8vvx91QyLXDbeFxexZc3bh/PtQABZgmRL3C0AtYYXn4YGTj/3Qor4lWZn2tpjZFPLdQ=="
  [source]="sha512-bltIipuWmc123H7tMIgDGKSsSrhmhlQYeVUC48XTjVW7XGJJiJJyCdlTMzQ/LiWoPkGDpcL4FviDpgw7qfTiDw=="
)
declare -A package=(
  [linux-x64]="@node-llama-cpp/linux-x64"
  [linux-arm64]="@node-llama-cpp/linux-arm64"
  [source]="node-llama-cpp"
)

say() { printf 'build.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
# shellcheck source=tools/integrity.sh
. "$repo/tools/integrity.sh"

need() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' is not installed; $2"
}

# Prints the path of the verified tarball for a key of ${package[@]}.
fetch_tarball() {
  local key="$1" name="${package[$1]}" want="${integrity[$1]}"
  local dir="$cache/npm" file
  file="$dir/$(echo "$name" | sed 's|^@||; s|/|-|g')-$npm_version.tgz"
  mkdir -p "$dir"
  if [ ! -f "$file" ] || [ "$(sri "$file")" != "$want" ]; then
    need npm "install Node.js and npm (Debian: apt-get install -y npm)"
    say "npm pack $name@$npm_version"
    rm -f "$file"
    (cd "$dir" && npm pack --silent "$name@$npm_version" >/dev/null) ||
      die "npm pack $name@$npm_version failed; check that the npm registry is reachable"
  fi
  require_integrity "$file" "$want" "$name@$npm_version"
  printf '%s\n' "$file"
}

natives() {
  local rid tarball dest tmp
  for rid in linux-x64 linux-arm64; do
    dest="$module_dir/runtimes/$rid/native"
    if [ -f "$dest/.edgelm-integrity" ] && [ "$(cat "$dest/.edgelm-integrity")" = "${integrity[$rid]}" ]; then
      continue
    fi
    tarball="$(fetch_tarball "$rid")"
    tmp="$(mktemp -d)"
    tar -xzf "$tarball" -C "$tmp"
    rm -rf "$dest"
    mkdir -p "$dest"
    # Only the shared libraries: node's addon and llama-common are not ours to load.
    find "$tmp/package/bins/$rid" -maxdepth 1 -name 'lib*.so' ! -name 'libllama-common.so' -exec cp {} "$dest/" \;
    cp "$tmp/package/LICENSE" "$dest/LICENSE.node-llama-cpp"
    printf '%s' "${integrity[$rid]}" >"$dest/.edgelm-integrity"
    rm -rf "$tmp"
    say "placed llama.cpp $llama_release for $rid in ${dest#"$repo"/}"
  done
}

headers() {
  local dest="$out/llama-headers" tarball tmp
  if [ -f "$dest/.edgelm-integrity" ] && [ "$(cat "$dest/.edgelm-integrity")" = "${integrity[source]}" ]; then
    return
  fi
  need git "install git (Debian: apt-get install -y git)"
  tarball="$(fetch_tarball source)"
  tmp="$(mktemp -d)"
  tar -xzf "$tarball" -C "$tmp" package/llama/gitRelease.bundle
  git clone --quiet "$tmp/package/llama/gitRelease.bundle" "$tmp/src" 2>/dev/null ||
    die "could not clone llama.cpp's source from node-llama-cpp@$npm_version's gitRelease.bundle"
  rm -rf "$dest"
  mkdir -p "$dest"
  cp "$tmp/src/include/llama.h" "$tmp/src/ggml/include/"*.h "$dest/"
  printf '%s' "${integrity[source]}" >"$dest/.edgelm-integrity"
  rm -rf "$tmp"
  say "extracted llama.h and ggml headers to ${dest#"$repo"/}"
}

build() {
  need dotnet "install the .NET SDK (https://learn.microsoft.com/dotnet/core/install/linux-debian)"
  dotnet build "$repo/EdgeLm.sln" -c "$configuration" --nologo -v quiet -clp:NoSummary ||
    die "dotnet build failed"
}

assemble_module() {
  local bin="$module_dir/bin"
  rm -rf "$bin"
  mkdir -p "$bin"
  # bin/ holds the loader (loaded into the default context by EdgeLm.psm1) and the private assemblies.
  cp "$repo/src/EdgeLm.Cmdlets/bin/$configuration/net8.0/"*.dll "$bin/"
  cp "$repo/src/EdgeLm.Loader/bin/$configuration/net8.0/EdgeLm.Loader.dll" "$bin/"
  # The worker the cmdlets start: `dotnet bin/edgelm.dll worker` (the CLI, sharing Core and YamlDotNet in bin/,
  # with its own command-line parser).
  cp "$repo/src/EdgeLm.Cli/bin/$configuration/net8.0/"{edgelm.dll,edgelm.runtimeconfig.json,edgelm.deps.json,System.CommandLine.dll} "$bin/"
  rm -f "$bin/System.Management.Automation.dll"
  cp "$repo/module/EdgeLm.psd1" "$repo/module/EdgeLm.psm1" "$repo/module/EdgeLm.Format.ps1xml" "$module_dir/"
  if [ -d "$repo/module/en-US" ]; then cp -r "$repo/module/en-US" "$module_dir/"; fi
  # Cmdlet help (MAML) from docs/help/*.md and the compiled cmdlets. Get-Help finds it in the module's en-US/,
  # not only beside the dll (bin/en-US/ is lost after Import-Module -Force). Disagreements are warnings here
  # and failures in the unit tests.
  dotnet "$repo/src/EdgeLm.HelpBuilder/bin/$configuration/net10.0/EdgeLm.HelpBuilder.dll" \
    --assembly "$bin/EdgeLm.Cmdlets.dll" --docs "$repo/docs/help" \
    --out "$module_dir/en-US/EdgeLm.Cmdlets.dll-Help.xml" || die "could not write the cmdlet help (see above)"
  say "module folder ready: ${module_dir#"$repo"/}"
}

# The version every archive is named with: Directory.Build.props's <Version>.
release_version() {
  sed -n 's|.*<Version>\(.*\)</Version>.*|\1|p' "$repo/Directory.Build.props" | head -1
}

# One runtime's release: out/release/edgelm-VERSION-RID/ (the self-contained CLI, llama.cpp's libraries in
# runtimes/RID/native where LlamaRuntime looks beside the CLI, and the CLI itself as the worker: `edgelm worker`
# through its apphost, so a board needs no .NET) and out/release/EdgeLm-module-VERSION-RID/EdgeLm/ (the module
# folder with only RID's libraries), each packed as a .tar.gz of that one folder.
release_runtime() {
  local rid="$1" version release="$out/release"
  version="$(release_version)"
  [ -f "$module_dir/runtimes/$rid/native/.edgelm-integrity" ] || die "no llama.cpp libraries for $rid in ${module_dir#"$repo"/}/runtimes; run ./build.sh natives"
  local cli="edgelm-$version-$rid" module="EdgeLm-module-$version-$rid"
  rm -rf "${release:?}/$cli" "${release:?}/$module" "$release/$cli.tar.gz" "$release/$module.tar.gz"
  mkdir -p "$release"
  # EdgeLmReleaseRid (Directory.Build.props) builds on .NET 10 in obj/release-RID/, apart from the everyday build.
  dotnet publish "$repo/src/EdgeLm.Cli/EdgeLm.Cli.csproj" -c "$configuration" -r "$rid" --self-contained \
    -p:EdgeLmReleaseRid="$rid" -o "$release/$cli" --nologo -v quiet -clp:NoSummary ||
    die "dotnet publish of the $rid CLI failed (see above); the NuGet feed must serve Microsoft.NETCore.App.Runtime.$rid for .NET 10"
  [ -x "$release/$cli/edgelm" ] || die "dotnet publish left no edgelm executable in ${release#"$repo"/}/$cli"
  [ -n "$(find "$release/$cli/runtimes/$rid/native" -maxdepth 1 -name 'libllama*.so' 2>/dev/null)" ] ||
    die "${release#"$repo"/}/$cli/runtimes/$rid/native has no libllama; run ./build.sh natives"
  cp "$module_dir/runtimes/$rid/native/LICENSE.node-llama-cpp" "$release/$cli/runtimes/$rid/native/"
  mkdir -p "$release/$module"
  cp -r "$module_dir" "$release/$module/EdgeLm"
  find "$release/$module/EdgeLm/runtimes" -mindepth 1 -maxdepth 1 ! -name "$rid" -exec rm -rf {} +
  pack "$release" "$cli"
  pack "$release" "$module"
  say "release for $rid: ${release#"$repo"/}/$cli.tar.gz ($(du -sh "$release/$cli" | cut -f1) unpacked), ${release#"$repo"/}/$module.tar.gz"
}

# A folder of $1 as $1/$2.tar.gz, the same bytes for the same files (sorted names, no owners or times from
# this machine), so two builds of one commit can be compared by checksum.
pack() {
  local parent="$1" name="$2" stamp
  stamp="$(git -C "$repo" log -1 --format=%ct 2>/dev/null || echo 0)"
  tar -C "$parent" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$stamp" -cf - "$name" |
    gzip -n -9 >"$parent/$name.tar.gz"
}

# SHA256SUMS over every archive in out/release (the format `sha256sum -c` reads).
release_checksums() {
  local release="$out/release"
  (cd "$release" && find . -maxdepth 1 -name '*.tar.gz' -printf '%f\n' | sort | xargs -r sha256sum >SHA256SUMS)
  say "checksums in ${release#"$repo"/}/SHA256SUMS"
}

release() {
  local rid
  [ "$#" -gt 0 ] || set -- linux-x64 linux-arm64
  for rid in "$@"; do
    [ -n "${integrity[$rid]:-}" ] && [ "$rid" != source ] || die "unknown runtime '$rid'; use linux-x64 or linux-arm64"
    release_runtime "$rid"
  done
  release_checksums
}

run_unit_tests() {
  local results="$out/test-results"
  mkdir -p "$results"
  rm -f "$results/unit.trx"
  local status=0 chromium
  # The browser tests (HeadlessChromium) render HTML in a real Chromium. Without one the suite still runs, so
  # every other failure shows too; those tests then fail naming tools/chromium.sh.
  if chromium="$("$repo/tools/chromium.sh")"; then
    export EDGELM_CHROMIUM="$chromium"
  else
    failed_step "tools/chromium.sh (no Chromium for the browser tests; see 'chromium.sh:' above)"
    status=1
  fi
  # The arm64 tests (Arm64*) run the linux-arm64 release and an arm64 struct-layout probe under qemu-aarch64.
  # Without the emulator the suite still runs; those tests then fail naming tools/qemu.sh.
  local qemu
  if qemu="$("$repo/tools/qemu.sh")"; then
    export EDGELM_QEMU="$qemu"
  else
    failed_step "tools/qemu.sh (no qemu-aarch64 for the arm64 tests; see 'qemu.sh:' above)"
    status=1
  fi
  local tested=0
  dotnet test "$repo/tests/Unit/EdgeLm.Tests.Unit.csproj" -c "$configuration" --no-build --nologo \
    --logger "trx;LogFileName=unit.trx" --results-directory "$results" || tested=$?
  [ "$tested" -eq 0 ] || { failed_step "dotnet test (exit code $tested)"; status=1; }
  unit_counts="$(summarize_trx "$results/unit.trx")"
  printf '%s\n' "$unit_counts"
  return $status
}

# The Pester suite in a fresh pwsh (a loaded binary module cannot be unloaded), cached Pester first on
# PSModulePath; its last line is 'pester: N passed, N failed, N skipped' (also kept in pester-counts.txt).
run_pester_tests() {
  local pwsh
  pwsh="$("$repo/tools/pwsh.sh")" || { failed_step "tools/pwsh.sh (could not install pwsh and Pester; see 'pwsh.sh:' above)"; return 1; }
  local modules="${EDGELM_CACHE:-$repo/.cache}/pwsh/Modules"
  PSModulePath="$modules${PSModulePath:+:$PSModulePath}" COLUMNS=80 \
    "$pwsh" -NoProfile -NonInteractive -File "$repo/tools/Invoke-PesterSuite.ps1" ||
    { failed_step "the Pester suite (exit code $?)"; return 1; }
}

# Both suites run even when the first fails, so one run shows every failure.
run_tests() {
  local status=0
  run_unit_tests || status=1
  run_pester_tests || status=1
  return $status
}

# What went wrong in this run, one line a step; show_failures repeats them at the end of the log.
failed_steps=()
unit_counts=""
failed_step() {
  say "failed: $*"
  failed_steps+=("$*")
}

# A closing block, so that the end of a long log (all a CI page may show) says what failed: the failed steps,
# then each failed test with the first lines of its message, then both suites' counts again.
show_failures() {
  local step pwsh
  printf '\nWhat failed in this run:\n'
  for step in "${failed_steps[@]}"; do
    printf '  %s\n' "$step"
  done
  if pwsh="$("$repo/tools/pwsh.sh" 2>/dev/null)"; then
    "$pwsh" -NoProfile -NonInteractive -File "$repo/tools/Show-TestFailures.ps1" || true
  fi
  [ -z "$unit_counts" ] || printf '%s\n' "$unit_counts"
  [ ! -f "$out/test-results/pester-counts.txt" ] || cat "$out/test-results/pester-counts.txt"
}

# One plain closing line ('N passed, N failed, N skipped') from the trx counters.
summarize_trx() {
  local trx="$1"
  [ -f "$trx" ] || { say "no test results at $trx"; return; }
  local counters passed failed total executed
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
  total="$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")"
  executed="$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  failed="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  printf 'unit: %s passed, %s failed, %s skipped\n' "$passed" "$failed" "$((total - executed))"
}

case "${1:-all}" in
  natives) natives ;;
  headers) headers ;;
  module) build; assemble_module ;;
  all) natives; headers; build; assemble_module ;;
  test)
    natives; headers; build; assemble_module
    # The arm64 release is what the xunit suite's Arm64 tests run under emulation. Without it the suites still
    # run, so every other failure shows too; those tests then fail naming ./build.sh release linux-arm64.
    # A job of its own, waited for: inside `release ... || ...` bash would ignore set -e and carry on past a failure.
    status=0
    release linux-arm64 &
    wait "$!" || { failed_step "./build.sh release linux-arm64 (see above; the Arm64 tests fail without it)"; status=1; }
    run_tests || status=1
    [ "$status" -eq 0 ] || show_failures
    exit "$status" ;;
  pester) build; assemble_module; run_pester_tests ;;
  release) shift; natives; headers; build; assemble_module; release "$@" ;;
  *) die "unknown command '$1'; use one of: all, test, pester, release, natives, headers, module" ;;
esac
