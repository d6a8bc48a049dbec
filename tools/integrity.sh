# Sourced by build.sh and tools/pwsh.sh: Subresource-Integrity style sha512 of a download, checked before use.
# Both callers define say() and die().

sri() { printf 'sha512-%s' "$(openssl dgst -sha512 -binary "$1" | base64 -w0)"; }

# require_integrity FILE WANT LABEL: removes FILE and dies unless its sha512 is WANT.
require_integrity() {
  local got
  got="$(sri "$1")"
  if [ "$got" != "$2" ]; then
    rm -f "$1"
    die "$3: integrity $got does not match the pinned $2; the download was removed"
  fi
}
