#!/usr/bin/env bash
# Finds or installs an OpenSSH server for the fleet tests, which start their own sshd processes on 127.0.0.1
# (never the system's service); prints the path of the sshd executable.
#   tools/sshd.sh                     /usr/sbin/sshd; otherwise Debian's `openssh-server` package
#                                     (apt-get, through sudo when not root)
#   EDGELM_SSHD=/opt/ssh/sbin/sshd    use that sshd instead (a machine without apt)
# The package's own service is not started here: the tests run sshd in the foreground (-D) with a throwaway config.
set -euo pipefail

say() { printf 'sshd.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# shellcheck source=tools/apt.sh
. "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

# sshd on PATH, else where Debian's openssh-server puts it (/usr/sbin is not on every user's PATH).
find_sshd() { apt_find_program sshd /usr/sbin/sshd; }

install_sshd() {
  local fix="set EDGELM_SSHD to an installed sshd"
  apt_require openssh-server "$fix"
  apt_install "$fix" openssh-server
}

if [ -n "${EDGELM_SSHD:-}" ]; then
  [ -x "$EDGELM_SSHD" ] || die "EDGELM_SSHD=$EDGELM_SSHD is not an executable; unset it to install Debian's openssh-server"
  printf '%s\n' "$EDGELM_SSHD"
  exit 0
fi

sshd_path="$(find_sshd)"
if [ -z "$sshd_path" ]; then
  install_sshd
  sshd_path="$(find_sshd)"
  [ -n "$sshd_path" ] || die "openssh-server was installed but no sshd was found in /usr/sbin or on PATH"
fi
printf '%s\n' "$sshd_path"
