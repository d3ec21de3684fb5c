#!/usr/bin/env bash
# Builds @nettrace/core's linux-arm64 prebuilt addon on this x86-64 host, into
# packages/core/prebuilds/linux-arm64/ where node-gyp-build finds it on an arm64 host with no
# compiler. Debian's cross compiler (gcc/g++-aarch64-linux-gnu) builds against an arm64 Debian tree
# (libc, libelf, zlib; and Debian's arm64 node, which tooling/test/prebuild-arm64.test.ts runs the
# result with under qemu-user), unpacked by mmdebstrap under tooling/.cache without touching the
# host's apt configuration. libbpf is vendored and static as on x86-64; the .node needs glibc and
# libelf.so.1 (with its zlib) on the target, as the x86-64 one does. `npm run release` runs it.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cache="$root/tooling/.cache"
sysroot="$cache/sysroot-arm64"
target="$root/packages/core/prebuilds/linux-arm64/nettrace_core.napi.glibc.node"

if [ ! -f "$sysroot/.complete" ]; then
    . "$root/tooling/bin/debian-mirror.sh"
    uri=$(debian_mirror prebuild-arm64)
    rm -rf "$sysroot"
    mmdebstrap --quiet --variant=extract --architectures=arm64 --include=libc6-dev,libelf-dev,zlib1g-dev,nodejs \
        bookworm "$sysroot" "deb $uri bookworm main"
    touch "$sysroot/.complete"
fi

bash "$root/tooling/bin/vendor-libbpf.sh" arm64 "$sysroot"
libbpf="$(ls -d "$cache"/libbpf-*-arm64)/root/usr"

# A copy of the addon's sources, so the x86-64 build in packages/core/native/build stays as it is.
work="$cache/addon-arm64"
src="$root/packages/core/native"
if [ -f "$target" ] && [ -z "$(find "$src/src" "$src/binding.gyp" -newer "$target" -print -quit)" ]; then exit 0; fi
rm -rf "$work" && mkdir -p "$work" && cp -r "$src/binding.gyp" "$src/src" "$work/"
env CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++ LINK=aarch64-linux-gnu-g++ AR=aarch64-linux-gnu-ar \
    CFLAGS="--sysroot=$sysroot" CXXFLAGS="--sysroot=$sysroot" LDFLAGS="--sysroot=$sysroot" LIBBPF_ROOT="$libbpf" \
    npx --prefix "$root" node-gyp rebuild --arch=arm64 --silent --directory "$work" >/dev/null
mkdir -p "$(dirname "$target")"
cp "$work/build/Release/nettrace_core.node" "$target"
echo "prebuild-arm64: ${target#"$root"/}" >&2
