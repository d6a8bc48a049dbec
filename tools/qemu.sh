#!/usr/bin/env bash
# Finds or installs what the arm64 tests need to run the linux-arm64 release on an x64 machine; prints the path of
# the emulator (qemu-aarch64-static) to run arm64 programs with.
#   tools/qemu.sh      Debian's qemu-user-static (the emulator, invoked directly: no binfmt registration);
#                      gcc-aarch64-linux-gnu and libc6-dev-arm64-cross (compile the struct-layout probe for arm64,
#                      statically); and the arm64 libraries the release loads (libc6, libstdc++6, and libssl3, since
#                      .NET hashes models with OpenSSL) from Debian's arm64 archive, installed beside the host's
#                      (multiarch), where the emulated loader finds them as on a board.
#   EDGELM_QEMU=/path/to/qemu-aarch64   use that emulator instead, and install nothing (its libraries must be
#                      found by it already, for example through QEMU_LD_PREFIX)
# Nothing is downloaded outside the system's package manager.
set -euo pipefail

say() { printf 'qemu.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# The arm64 libraries the release needs, as multiarch packages, and the file each leaves where the emulated
# loader looks (/lib/ld-linux-aarch64.so.1 and /usr/lib/aarch64-linux-gnu/).
declare -A arm64_libraries=(
  [libc6:arm64]=/lib/ld-linux-aarch64.so.1
  [libstdc++6:arm64]=/usr/lib/aarch64-linux-gnu/libstdc++.so.6
  [libssl3:arm64]=/usr/lib/aarch64-linux-gnu/libssl.so.3
)

if [ -n "${EDGELM_QEMU:-}" ]; then
  qemu="$(command -v "$EDGELM_QEMU" 2>/dev/null || true)"
  [ -n "$qemu" ] && [ -x "$qemu" ] ||
    die "EDGELM_QEMU=$EDGELM_QEMU is not an executable; unset it to install Debian's qemu-user-static, or point it at qemu-aarch64"
  printf '%s\n' "$qemu"
  exit 0
fi

# shellcheck source=tools/apt.sh
. "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

# What is still missing, as package names; nothing printed when all is there.
missing_packages() {
  command -v qemu-aarch64-static >/dev/null 2>&1 || echo qemu-user-static
  command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || echo gcc-aarch64-linux-gnu
  # The cross compiler only recommends its C library headers (and libc.a, for the probe's static link).
  [ -e /usr/aarch64-linux-gnu/include/stdio.h ] || echo libc6-dev-arm64-cross
  local package
  for package in "${!arm64_libraries[@]}"; do
    [ -e "${arm64_libraries[$package]}" ] || echo "$package"
  done
}

install_packages() {
  local fix="set EDGELM_QEMU to a qemu-aarch64 that finds the arm64 libraries itself"
  apt_require "the arm64 emulator and libraries" "$fix"
  # The arm64 libraries come from Debian's arm64 archive: dpkg must know the architecture (apt then needs its lists,
  # which apt_install's retry fetches).
  if [ "$(dpkg --print-architecture)" != arm64 ] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
    say "dpkg --add-architecture arm64 (for the arm64 libc6, libstdc++6 and libssl3 the release loads)"
    apt_root dpkg --add-architecture arm64
  fi
  apt_install "$fix" "$@"
}

mapfile -t missing < <(missing_packages)
if [ "${#missing[@]}" -gt 0 ]; then
  install_packages "${missing[@]}"
  mapfile -t missing < <(missing_packages)
  [ "${#missing[@]}" -eq 0 ] || die "apt-get finished but ${missing[*]} is still missing; install it by hand as root"
  say "installed $(qemu-aarch64-static --version | head -1)"
fi
command -v qemu-aarch64-static
