# Sourced by the build scripts that fetch from Debian: prints the machine's own Debian mirror (the
# first URIs: of debian.sources, else the first deb line of sources.list), so that no host name is
# written in this repository; fails naming both files when neither has one.
debian_mirror() {
    local uri
    uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    [ -n "$uri" ] || uri=$(awk '$1=="deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
    [ -n "$uri" ] || { echo "$1: no Debian mirror found in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list" >&2; return 1; }
    echo "$uri"
}
