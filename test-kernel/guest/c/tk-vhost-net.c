// tk-vhost-net [-s SECONDS] [-n RXFRAMES] [-t TXFRAMES] [-x] [-N] [-E] [-a IPV4 -m MAC] TAPNAME
// Drives the vhost-net datapath without a VM: this process plays the virtio-net driver. It creates
// tap TAPNAME as the backend, gives vhost an identity memory table over its own buffers, posts
// receive buffers on queue 0 and TXFRAMES broadcast frames on queue 1, then counts call-eventfd
// signals until SECONDS passed or RXFRAMES frames were received. Frames the stack sends to TAPNAME
// go tun_net_xmit → vhost handle_rx → vhost_add_used_and_signal_n (which has vhost_signal inlined
// in Debian's builds). With -x the transmit queue gets no call eventfd (vhost then signals nothing
// for it), so a tracer can check that it reads the call eventfd as set on queue 0 and unset on
// queue 1. -N marks the receive queue VRING_AVAIL_F_NO_INTERRUPT (this driver does not want
// interrupts for it: vhost_notify says no); -E negotiates VIRTIO_RING_F_EVENT_IDX with used_event
// left at 0 (vhost interrupts only when the used index passes it). Prints "ready TAPNAME", then
// "rx_used N tx_used M calls C rx_signals R tx_signals T" at the end: calls counts the reads of
// the call eventfds (a read can take several signals), R and T the sum of the values read, i.e.
// exactly the eventfd_signal() calls vhost made on each queue's call eventfd.
//
// With -a IPV4 -m MAC the driver plays a VM with that address and MAC (TAPNAME may then be an
// existing persistent tap, e.g. an Open vSwitch port): every ICMP echo request and UDP datagram
// sent to it is answered through the transmit queue (vhost handle_tx → tun → the stack or the
// bridge), exactly as a guest would answer; receive buffers are recycled. RXFRAMES then counts the
// frames received, and the driver ends once they are received and every answer was transmitted.
// The last line then also says "replied R".
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/ip.h>
#include <linux/vhost.h>
#include <linux/virtio_ring.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define QSIZE 64
#define BUFSZ 2048
#define HDRLEN 10 /* struct virtio_net_hdr: no VIRTIO_NET_F_MRG_RXBUF negotiated */
#define MEMSZ (4u << 20)

struct queue {
    struct vring_desc *desc;
    struct vring_avail *avail;
    struct vring_used *used;
    int kick, call;
};

static void fail(const char *what) {
    perror(what);
    exit(1);
}

/* Each queue's rings live in one 64 KiB slot of the shared region: desc, then avail, used at 8 KiB.
 */
static void setup_queue(int vh, unsigned idx, struct queue *q, char *slot, int with_call) {
    q->desc = (struct vring_desc *)slot;
    q->avail = (struct vring_avail *)(slot + sizeof(struct vring_desc) * QSIZE);
    q->used = (struct vring_used *)(slot + 8192);
    q->kick = eventfd(0, EFD_NONBLOCK);
    q->call = eventfd(0, EFD_NONBLOCK);
    struct vhost_vring_state num = {.index = idx, .num = QSIZE};
    struct vhost_vring_state base = {.index = idx, .num = 0};
    struct vhost_vring_addr addr = {
        .index = idx,
        .desc_user_addr = (uintptr_t)q->desc,
        .avail_user_addr = (uintptr_t)q->avail,
        .used_user_addr = (uintptr_t)q->used,
    };
    struct vhost_vring_file kick = {.index = idx, .fd = q->kick};
    struct vhost_vring_file call = {.index = idx, .fd = q->call};
    if (ioctl(vh, VHOST_SET_VRING_NUM, &num) || ioctl(vh, VHOST_SET_VRING_BASE, &base) ||
        ioctl(vh, VHOST_SET_VRING_ADDR, &addr) || ioctl(vh, VHOST_SET_VRING_KICK, &kick) ||
        (with_call && ioctl(vh, VHOST_SET_VRING_CALL, &call)))
        fail("vring setup");
}

static long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The VM played with -a/-m: its address and MAC, and the answers it sent. */
struct vm {
    bool on;
    uint32_t addr; /* network order */
    unsigned char mac[6];
    long replied;
};

static uint16_t csum(const unsigned char *p, size_t len) {
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (len & 1)
        sum += (uint32_t)(p[len - 1] << 8);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* Turns the frame at f (len bytes, after the virtio_net_hdr) into the VM's answer in place:
 * echo reply to an echo request, the datagram back to a UDP sender. Returns false for frames the
 * VM does not answer (not for its MAC and address, or another protocol). Swapping addresses and
 * ports leaves the UDP checksum valid; the ICMP and IP checksums are computed again. */
static bool answer(struct vm *vm, unsigned char *f, size_t len) {
    if (len < 14 + sizeof(struct iphdr) || memcmp(f, vm->mac, 6) || f[12] != 0x08 || f[13] != 0x00)
        return false;
    struct iphdr *ip = (struct iphdr *)(f + 14);
    size_t ihl = ip->ihl * 4u, tot = ntohs(ip->tot_len);
    if (ip->version != 4 || ip->daddr != vm->addr || ihl < 20 || tot < ihl + 8 || 14 + tot > len ||
        (ip->frag_off & htons(0x3fff)))
        return false;
    unsigned char *l4 = f + 14 + ihl;
    if (ip->protocol == IPPROTO_ICMP && l4[0] == 8) {
        l4[0] = 0;
        l4[2] = l4[3] = 0;
        uint16_t c = csum(l4, tot - ihl);
        l4[2] = (unsigned char)(c >> 8);
        l4[3] = (unsigned char)c;
    } else if (ip->protocol == IPPROTO_UDP) {
        unsigned char port[2] = {l4[0], l4[1]};
        memcpy(l4, l4 + 2, 2);
        memcpy(l4 + 2, port, 2);
    } else {
        return false;
    }
    memcpy(f, f + 6, 6);
    memcpy(f + 6, vm->mac, 6);
    ip->daddr = ip->saddr;
    ip->saddr = vm->addr;
    ip->ttl = 64;
    ip->check = 0;
    uint16_t c = csum((unsigned char *)ip, ihl);
    ip->check = htons(c);
    return true;
}

int main(int argc, char **argv) {
    long seconds = 3, txframes = 1, rxframes = -1;
    int opt, tx_call = 1, no_interrupt = 0, event_idx = 0;
    struct vm vm = {0};
    bool have_mac = false;
    while ((opt = getopt(argc, argv, "s:n:t:xNEa:m:")) != -1) {
        if (opt == 's')
            seconds = atol(optarg);
        else if (opt == 'n')
            rxframes = atol(optarg);
        else if (opt == 't')
            txframes = atol(optarg);
        else if (opt == 'x')
            tx_call = 0;
        else if (opt == 'a')
            vm.on = inet_pton(AF_INET, optarg, &vm.addr) == 1 || (fprintf(stderr, "bad -a\n"), 0);
        else if (opt == 'm')
            have_mac = sscanf(optarg, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &vm.mac[0], &vm.mac[1],
                              &vm.mac[2], &vm.mac[3], &vm.mac[4], &vm.mac[5]) == 6;
        else if (opt == 'N')
            no_interrupt = 1;
        else if (opt == 'E')
            event_idx = 1;
        else
            goto usage;
    }
    if (optind != argc - 1 || strlen(argv[optind]) >= IFNAMSIZ || txframes < 0 ||
        txframes > QSIZE || vm.on != have_mac)
        goto usage;

    int tap = open("/dev/net/tun", O_RDWR);
    if (tap < 0)
        fail("open /dev/net/tun (is the tun module loaded?)");
    struct ifreq ifr = {0};
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
    strcpy(ifr.ifr_name, argv[optind]);
    if (ioctl(tap, TUNSETIFF, &ifr))
        fail("TUNSETIFF");

    int vh = open("/dev/vhost-net", O_RDWR);
    if (vh < 0)
        fail("open /dev/vhost-net (is vhost_net loaded?)");
    uint64_t features = event_idx ? 1ull << VIRTIO_RING_F_EVENT_IDX : 0;
    if (ioctl(vh, VHOST_SET_OWNER) || ioctl(vh, VHOST_SET_FEATURES, &features))
        fail("vhost owner/features");

    /* "Guest physical" addresses are this process's own addresses: one identity-mapped region. */
    char *mem = mmap(NULL, MEMSZ, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (mem == MAP_FAILED)
        fail("mmap");
    struct vhost_memory *table = calloc(1, sizeof *table + sizeof(struct vhost_memory_region));
    table->nregions = 1;
    table->regions[0] = (struct vhost_memory_region){
        .guest_phys_addr = (uintptr_t)mem, .memory_size = MEMSZ, .userspace_addr = (uintptr_t)mem};
    if (ioctl(vh, VHOST_SET_MEM_TABLE, table))
        fail("VHOST_SET_MEM_TABLE");

    struct queue rx, tx;
    setup_queue(vh, 0, &rx, mem, 1);
    setup_queue(vh, 1, &tx, mem + 65536, tx_call);
    char *rxbufs = mem + (1u << 20), *txbufs = mem + (2u << 20);
    for (int i = 0; i < QSIZE; i++) {
        rx.desc[i] = (struct vring_desc){
            .addr = (uintptr_t)(rxbufs + i * BUFSZ), .len = BUFSZ, .flags = VRING_DESC_F_WRITE};
        rx.avail->ring[i] = i;
    }
    if (no_interrupt)
        rx.avail->flags = VRING_AVAIL_F_NO_INTERRUPT;
    __sync_synchronize();
    rx.avail->idx = QSIZE;

    for (unsigned i = 0; i < 2; i++) {
        struct vhost_vring_file backend = {.index = i, .fd = tap};
        if (ioctl(vh, VHOST_NET_SET_BACKEND, &backend))
            fail("VHOST_NET_SET_BACKEND");
    }
    uint64_t one = 1;
    if (write(rx.kick, &one, sizeof one) != sizeof one)
        fail("kick rx");

    /* TX: zero virtio_net_hdr + a 60-byte broadcast frame with a local experimental ethertype. */
    for (long i = 0; i < txframes; i++) {
        char *f = txbufs + i * BUFSZ;
        memset(f, 0, HDRLEN + 60);
        memset(f + HDRLEN, 0xff, 6);
        f[HDRLEN + 6] = 0x02; /* locally administered source MAC */
        f[HDRLEN + 12] = (char)0x88;
        f[HDRLEN + 13] = (char)0xb5;
        tx.desc[i] = (struct vring_desc){.addr = (uintptr_t)f, .len = HDRLEN + 60};
        tx.avail->ring[i] = (uint16_t)i;
    }
    __sync_synchronize();
    tx.avail->idx = (uint16_t)txframes;
    if (txframes && write(tx.kick, &one, sizeof one) != sizeof one)
        fail("kick tx");

    printf("ready %s\n", ifr.ifr_name);
    fflush(stdout);
    long calls = 0, signals[2] = {0, 0}, deadline = now_ms() + seconds * 1000;
    /* Answer mode: rx frames handled so far, tx buffers posted (slots reused once used). */
    uint16_t rx_seen = 0, rx_avail = QSIZE, tx_posted = (uint16_t)txframes;
    for (;;) {
        uint16_t rx_used = *(volatile uint16_t *)&rx.used->idx;
        uint16_t tx_used = *(volatile uint16_t *)&tx.used->idx;
        bool rx_done = rxframes >= 0 && rx_used >= rxframes;
        if (now_ms() >= deadline ||
            (rx_done && (!vm.on || (rx_seen == rx_used && tx_used == tx_posted))))
            break;
        while (vm.on && rx_seen != rx_used && (uint16_t)(tx_posted - tx_used) < QSIZE) {
            __sync_synchronize();
            struct vring_used_elem *e = &rx.used->ring[rx_seen % QSIZE];
            char *buf = rxbufs + e->id * BUFSZ;
            if (e->len > HDRLEN && answer(&vm, (unsigned char *)buf + HDRLEN, e->len - HDRLEN)) {
                unsigned slot = tx_posted % QSIZE;
                char *f = txbufs + slot * BUFSZ;
                memset(f, 0, HDRLEN);
                memcpy(f + HDRLEN, buf + HDRLEN, e->len - HDRLEN);
                tx.desc[slot] = (struct vring_desc){.addr = (uintptr_t)f, .len = e->len};
                tx.avail->ring[slot] = (uint16_t)slot;
                __sync_synchronize();
                tx.avail->idx = ++tx_posted;
                vm.replied++;
                if (write(tx.kick, &one, sizeof one) != sizeof one)
                    fail("kick tx");
            }
            /* The buffer goes back to the receive queue. */
            rx.avail->ring[rx_avail % QSIZE] = (uint16_t)e->id;
            __sync_synchronize();
            rx.avail->idx = ++rx_avail;
            rx_seen++;
            if (write(rx.kick, &one, sizeof one) != sizeof one)
                fail("kick rx");
        }
        struct pollfd p[2] = {{.fd = rx.call, .events = POLLIN}, {.fd = tx.call, .events = POLLIN}};
        /* Without a tx call eventfd, completed answers are only seen by looking again. */
        if (poll(p, 2, vm.on ? 10 : 100) <= 0)
            continue;
        for (int i = 0; i < 2; i++) {
            uint64_t v;
            if ((p[i].revents & POLLIN) && read(p[i].fd, &v, sizeof v) == sizeof v) {
                calls++;
                signals[i] += (long)v;
            }
        }
    }
    /* vhost signals right after it publishes the used index this loop waits for: give it time,
     * then take what arrived after the last poll from the counters. */
    usleep(300000);
    for (int i = 0; i < 2; i++) {
        uint64_t v;
        int fd = i ? tx.call : rx.call;
        if (read(fd, &v, sizeof v) == sizeof v)
            signals[i] += (long)v;
    }
    printf("rx_used %u tx_used %u calls %ld rx_signals %ld tx_signals %ld", rx.used->idx,
           tx.used->idx, calls, signals[0], signals[1]);
    if (vm.on)
        printf(" replied %ld", vm.replied);
    printf("\n");
    return 0;
usage:
    fprintf(stderr,
            "usage: tk-vhost-net [-s SECONDS] [-n RXFRAMES] [-t TXFRAMES(0-%d)] [-x] [-N] [-E] "
            "[-a IPV4 -m MAC] TAPNAME\n",
            QSIZE);
    return 2;
}
