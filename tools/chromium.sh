#!/usr/bin/env bash
# Finds or installs a Chromium for the tests that render HTML in a real browser (HeadlessChromium);
# prints the path of the executable to run.
#   tools/chromium.sh                       chromium on PATH or /usr/bin/chromium; otherwise Debian's
#                                           `chromium` package (apt-get, through sudo when not root)
#   EDGELM_CHROMIUM=/opt/chrome/chrome      use that browser instead (a machine without apt, or Chrome)
# Nothing is downloaded outside the system's package manager: the browser is as trusted as the OS.
set -euo pipefail

say() { printf 'chromium.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# The first of the places a Debian chromium lands; nothing printed when there is none.
find_chromium() {
  local candidate
  for candidate in "$(command -v chromium 2>/dev/null || true)" /usr/bin/chromium; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then
      printf '%s\n' "$candidate"
      return
    fi
  done
}

# apt-get as root: directly when we are root, through sudo otherwise; sudo -n, so CI fails instead of waiting
# for a password nobody types.
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  as_root=(sudo -n)
fi
apt_get() {
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "$@"
}

check_root() {
  [ "${#as_root[@]}" -eq 0 ] && return
  command -v sudo >/dev/null 2>&1 ||
    die "installing chromium needs root and there is no sudo; run 'apt-get install -y chromium' as root, or set EDGELM_CHROMIUM to an installed Chromium"
  sudo -n true 2>/dev/null ||
    die "installing chromium needs root and sudo asks for a password; run 'sudo apt-get install -y chromium' once, or set EDGELM_CHROMIUM to an installed Chromium"
}

install_chromium() {
  command -v apt-get >/dev/null 2>&1 ||
    die "no chromium found and no apt-get to install it; install Chromium with this system's package manager, or set EDGELM_CHROMIUM to its executable"
  check_root
  say "apt-get install chromium"
  # A fresh container has no package lists: the first install fails for want of them, so update and retry.
  if ! apt_get install -y --no-install-recommends chromium >&2; then
    say "apt-get update (the install failed; the package lists may be missing or stale)"
    apt_get update >&2 ||
      die "apt-get update failed; check this machine's apt sources and network (or set EDGELM_CHROMIUM to an installed Chromium)"
    apt_get install -y --no-install-recommends chromium >&2 ||
      die "apt-get install chromium failed (see above); install it by hand ('apt-get install -y chromium') or set EDGELM_CHROMIUM to an installed Chromium"
  fi
}

if [ -n "${EDGELM_CHROMIUM:-}" ]; then
  chromium_path="$(command -v "$EDGELM_CHROMIUM" 2>/dev/null || true)"
  [ -n "$chromium_path" ] && [ -x "$chromium_path" ] ||
    die "EDGELM_CHROMIUM=$EDGELM_CHROMIUM is not an executable; unset it to install Debian's chromium, or point it at chromium or chrome"
else
  chromium_path="$(find_chromium)"
  if [ -z "$chromium_path" ]; then
    install_chromium
    chromium_path="$(find_chromium)"
    [ -n "$chromium_path" ] ||
      die "apt-get installed chromium but no chromium is on PATH or at /usr/bin/chromium; set EDGELM_CHROMIUM to its executable"
    say "installed $("$chromium_path" --version 2>/dev/null || echo chromium)"
  fi
fi
printf '%s\n' "$chromium_path"
