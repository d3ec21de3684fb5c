#!/usr/bin/env bash
# Installs what nettrace needs on a Debian 12 host, only what is missing (Debian packages, npm
# packages), then vendors libbpf.
# Idempotent and quiet when everything is already there, so `npm start` / `npm test` can call it every time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

# Tools the build and the tests use (clang-19 for BPF, bpftool for vmlinux.h and BTF dumps,
# libelf/zlib for the addon, iproute2/ping/nc/iptables for test traffic, qemu/busybox for test-kernel/,
# dwarves (pahole) for `nettrace btf build`, which 5.10 needs for module types, clang-format for `npm run lint`).
packages=(clang-19 llvm-19 bpftool libelf-dev zlib1g-dev pkg-config make g++ python3 dpkg-dev
          iproute2 iputils-ping ncat iptables ethtool
          qemu-system-x86 busybox-static kmod cpio xz-utils zstd dwarves clang-format-19)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "nettrace setup: missing Debian packages: ${missing[*]}" >&2
        echo "  fix: run as root, or: sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    echo "nettrace setup: installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The npm packages of package-lock.json, when node_modules is missing or older than the lock
# (a fresh clone: `npm start` is the first command, there is no separate `npm install`).
# npm ci refuses this lock on some registries (platform packages it cannot list), so fall back to
# npm install, as .ci/run does. A stamp, not the lock's mtime: npm install may rewrite the lock.
root=$(cd "$here/../.." && pwd)
stamp="$root/node_modules/.nettrace-setup"
if [ ! -f "$stamp" ] || [ "$root/package-lock.json" -nt "$stamp" ]; then
    echo "nettrace setup: installing npm packages" >&2
    (cd "$root" && { npm ci --no-audit --no-fund --loglevel=error 2>/dev/null ||
        npm install --no-audit --no-fund --loglevel=error; })
    touch "$stamp"
fi

bash "$here/vendor-libbpf.sh"
