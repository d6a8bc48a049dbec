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

# shellcheck source=tools/apt.sh
. "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

# The first of the places a Debian chromium lands; nothing printed when there is none.
find_chromium() { apt_find_program chromium /usr/bin/chromium; }

install_chromium() {
  local fix="set EDGELM_CHROMIUM to an installed Chromium or Chrome"
  apt_require chromium "$fix"
  apt_install "$fix" chromium
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
