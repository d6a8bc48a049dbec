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

find_sshd() {
  local candidate
  for candidate in "$(command -v sshd 2>/dev/null || true)" /usr/sbin/sshd; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then
      printf '%s\n' "$candidate"
      return
    fi
  done
}

# apt-get as root: directly when we are root, through sudo -n otherwise, so CI fails instead of waiting for a password.
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  as_root=(sudo -n)
fi
apt_get() {
  # policy-rc.d is not ours to write; RUNLEVEL=1 keeps the package's scripts from starting the system service
  # where invoke-rc.d honours it, and a container without an init starts nothing anyway.
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get "$@"
}

install_sshd() {
  command -v apt-get >/dev/null 2>&1 ||
    die "no sshd found and no apt-get to install it; install OpenSSH's server with this system's package manager, or set EDGELM_SSHD to its sshd"
  if [ "${#as_root[@]}" -gt 0 ]; then
    sudo -n true 2>/dev/null ||
      die "installing openssh-server needs root; run 'sudo apt-get install -y openssh-server' once, or set EDGELM_SSHD to an installed sshd"
  fi
  say "apt-get install openssh-server"
  # A fresh container has no package lists: the first install fails for want of them, so update and retry.
  if ! apt_get install -y --no-install-recommends openssh-server >&2; then
    say "apt-get update (the install failed; the package lists may be missing or stale)"
    apt_get update >&2 || die "apt-get update failed; check this machine's apt sources and network (or set EDGELM_SSHD)"
    apt_get install -y --no-install-recommends openssh-server >&2 ||
      die "apt-get install openssh-server failed (see above); install it by hand or set EDGELM_SSHD to an installed sshd"
  fi
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
