# Sourced by the tools that install a Debian package the tests need (chromium.sh, sshd.sh, qemu.sh); the caller
# defines say and die first. One rule for all of them: apt-get as root, directly when root, else through sudo -n
# (CI fails rather than wait for a password nobody types); a fresh container has no package lists, so a failed
# install updates them and tries once more; every failure names FIX, the caller's way out (an EDGELM_* variable).
# shellcheck shell=bash

apt_as_root=()
if [ "$(id -u)" -ne 0 ]; then
  apt_as_root=(sudo -n)
fi

# apt-get as root. RUNLEVEL=1 keeps packages' scripts from starting system services where invoke-rc.d honours it
# (policy-rc.d is not ours to write); a container without an init starts nothing anyway.
apt_get() {
  "${apt_as_root[@]}" env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get "$@"
}

# Any command as root, the same way (dpkg --add-architecture).
apt_root() {
  "${apt_as_root[@]}" "$@"
}

# Prints the first of NAME on PATH and PATH_WHERE_THE_PACKAGE_PUTS_IT that is executable; nothing when neither is.
apt_find_program() {
  local candidate
  for candidate in "$(command -v "$1" 2>/dev/null || true)" "$2"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then
      printf '%s\n' "$candidate"
      return
    fi
  done
}

# Refuses at once, naming FIX, where nothing can be installed: no apt-get, or not root and no password-less sudo.
apt_require() {
  local what="$1" fix="$2"
  command -v apt-get >/dev/null 2>&1 ||
    die "$what is missing and there is no apt-get to install it; install it with this system's package manager, or $fix"
  [ "${#apt_as_root[@]}" -eq 0 ] && return
  command -v sudo >/dev/null 2>&1 || die "installing $what needs root and there is no sudo; run this as root once, or $fix"
  sudo -n true 2>/dev/null || die "installing $what needs root and sudo asks for a password; run this with sudo once, or $fix"
}

# apt-get install PACKAGES, updating the package lists and trying once more when the first try fails.
apt_install() {
  local fix="$1"
  shift
  say "apt-get install $*"
  if ! apt_get install -y --no-install-recommends "$@" >&2; then
    say "apt-get update (the install failed; the package lists may be missing or stale)"
    apt_get update >&2 || die "apt-get update failed; check this machine's apt sources and network, or $fix"
    apt_get install -y --no-install-recommends "$@" >&2 || die "apt-get install $* failed (see above); install it by hand as root, or $fix"
  fi
}
