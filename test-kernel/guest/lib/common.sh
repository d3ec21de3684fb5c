# Sourced by the guest/bin helpers. They create namespaces, devices and traffic, which belongs
# inside a test VM only: its only NICs are joined to each other by a qemu hub with no host backend,
# so nothing they send can leave the machine.
grep -q 'tk.agent=' /proc/cmdline 2>/dev/null || {
    echo "${0##*/}: runs only inside a test-kernel VM (start() from @nettrace/test-kernel)" >&2
    exit 2
}
set -eu

die() {
    echo "${0##*/}: $*" >&2
    exit 1
}

# Waits (up to 5 s) for a network device to appear, e.g. one a background reader creates.
wait_dev() {
    i=0
    while [ ! -e "/sys/class/net/$1" ]; do
        i=$((i + 1))
        [ $i -le 100 ] || die "device $1 did not appear"
        sleep 0.05
    done
}

# IPv6 autoconfiguration sends router solicitations and MLD reports at random moments: helpers
# switch it off on their devices so packet counts are exact.
no_ipv6() {
    sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1" 2>/dev/null || true
}

# Waits (up to 10 s) for a helper started in the background to print "ready" into its output file:
# its device exists and is attached (a device that existed before, e.g. a persistent tap a tracer
# was started on, is there long before that).
wait_ready() {
    i=0
    until grep -q '^ready' "$1" 2>/dev/null; do
        i=$((i + 1))
        [ $i -le 200 ] || die "the helper writing $1 did not get ready"
        sleep 0.05
    done
}
