#!/usr/bin/env bash
# Fetches the pinned libbpf source from Debian's registry (checksum-verified), builds a static
# -fPIC archive for the @nettrace/core addon. Debian's own libbpf.a is not PIC and cannot be linked
# into a .node shared object. Nothing on the host's apt configuration is changed: apt runs with a
# private sources list and state directory under tooling/.cache/.
# `vendor-libbpf.sh arm64 SYSROOT` cross-builds the same source for the linux-arm64 prebuilt addon
# (tooling/bin/prebuild-arm64.sh), with the cross compiler against an arm64 Debian tree.
set -euo pipefail
cross_arch=${1:-}
sysroot=${2:-}
LIBBPF_VERSION=1.4.6
LIBBPF_SUITE=bookworm-backports
LIBBPF_SHA256=d4cf3ee697d9bd959ad3c0f5c6757370a2559e54448761271e15a23c31c1082e
root=$(cd "$(dirname "$0")/../.." && pwd)
cache="$root/tooling/.cache"
out="$cache/libbpf-$LIBBPF_VERSION${cross_arch:+-$cross_arch}"
[ -f "$out/root/usr/lib/libbpf.a" ] && exit 0

mkdir -p "$cache/apt/lists/partial" "$cache/apt/src"
src_list="$cache/apt/sources.list"
# A deb-src entry for the pinned suite on the machine's own Debian mirror.
. "$root/tooling/bin/debian-mirror.sh"
uri=$(debian_mirror vendor-libbpf)
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $LIBBPF_SUITE main" > "$src_list"
apt_opts=(-o "Dir::Etc::SourceList=$src_list" -o "Dir::Etc::SourceParts=-" -o "Dir::State::Lists=$cache/apt/lists"
          -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root" -qq)
apt-get "${apt_opts[@]}" update
tarball="libbpf_${LIBBPF_VERSION}.orig.tar.gz"
if [ ! -f "$cache/apt/src/$tarball" ]; then
    # Only the orig tarball is published for the backports version; the .dsc may be missing (404),
    # which is expected: apt still verified the tarball against the Sources index.
    (cd "$cache/apt/src" && apt-get "${apt_opts[@]}" source --download-only "libbpf=$LIBBPF_VERSION-1~bpo12+1" >/dev/null 2>&1 || true)
    [ -f "$cache/apt/src/$tarball" ] || (cd "$cache/apt/src" && apt-get "${apt_opts[@]}" source --download-only "libbpf/$LIBBPF_SUITE" 2>&1 | tail -3 || true)
fi
[ -f "$cache/apt/src/$tarball" ] || { echo "vendor-libbpf: could not download $tarball" >&2; exit 1; }
echo "$LIBBPF_SHA256  $cache/apt/src/$tarball" | sha256sum -c --quiet - || {
    echo "vendor-libbpf: checksum mismatch for $tarball" >&2; exit 1; }

rm -rf "$out" && mkdir -p "$out/obj"
tar -xzf "$cache/apt/src/$tarball" -C "$out"
srcdir=$(find "$out" -maxdepth 2 -type d -name src -path "*libbpf*" | head -1)
cross=()
[ "$cross_arch" = arm64 ] && cross=(CC=aarch64-linux-gnu-gcc AR=aarch64-linux-gnu-ar)
make -s -C "$srcdir" -j"$(nproc)" "${cross[@]}" BUILD_STATIC_ONLY=1 OBJDIR="$out/obj" DESTDIR="$out/root" \
     PREFIX=/usr LIBDIR=/usr/lib EXTRA_CFLAGS="-fPIC -O2${sysroot:+ --sysroot=$sysroot}" install >/dev/null
echo "vendor-libbpf: built libbpf $LIBBPF_VERSION (-fPIC, static${cross_arch:+, $cross_arch}) in $out/root" >&2
