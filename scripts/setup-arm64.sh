#!/usr/bin/env bash
# Installs what litebit's arm64 backends need on a Debian/Ubuntu machine: qemu-user (runs the
# linux-arm64 harness on x86), the aarch64 cross compilers and libc, and cmake. Idempotent and
# quiet: packages already installed are skipped, so a second run does nothing (and needs no
# network). Uses sudo only when not root. On an arm64 host no emulator or cross compiler is needed:
# only cmake and a native gcc/g++.
#
#   scripts/setup-arm64.sh          # then: ./litebit platforms
set -euo pipefail

if [[ "$(uname -m)" == "aarch64" || "$(uname -m)" == "arm64" ]]; then
  packages=(cmake gcc g++)
else
  packages=(qemu-user gcc-aarch64-linux-gnu g++-aarch64-linux-gnu libc6-dev-arm64-cross cmake)
fi

missing=()
for p in "${packages[@]}"; do
  # dpkg-query's status is "install ok installed" only for a fully installed package.
  if [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != "install ok installed" ]]; then
    missing+=("$p")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-arm64.sh: needs apt-get (Debian/Ubuntu) to install: ${missing[*]}" >&2
  exit 1
fi
sudo=()
if [[ "$(id -u)" -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "setup-arm64.sh: not root and no sudo; install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
echo "setup-arm64.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# An install can fail on stale package lists: refresh them then, not on every run.
if ! "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
  if ! { "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "setup-arm64.sh: apt-get failed to install ${missing[*]}" >&2
    exit 1
  fi
fi
