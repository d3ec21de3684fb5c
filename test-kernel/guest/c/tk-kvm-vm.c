// tk-kvm-vm [-w] [-e GSI:N]... [-b GSI:N]... [-t TAP [-n RXFRAMES] [-x TXFRAMES]] [-s SECONDS]
// A tiny VMM, the "QEMU" of the KVM tests: one VM with an in-kernel irqchip and one vCPU that
// really runs (a real-mode guest that software-enables its x2APIC, then halts with interrupts on
// and counts the MSIs it handles), and irqfds bound to MSI routes:
//   -e GSI:N  GSI routed as an MSI to APIC 0 (vector 0x31), its eventfd written N times by this
//             process (the "control" path). KVM delivers it inline in irqfd_wakeup:
//             kvm_arch_set_irq_inatomic returns 1 and kicks the vCPU.
//   -b GSI:N  the same with a broadcast destination (vector 0x32): the fast path refuses it
//             (-EWOULDBLOCK), irqfd_inject delivers it later through kvm_set_irq -> kvm_set_msi.
//   -t TAP    a vhost-net device owned by this process with tap TAP as its backend (the "data"
//             path): its rx call eventfd is the irqfd of GSI 40 and its tx call eventfd that of
//             GSI 41, both MSI routes to APIC 0, so vhost's worker thread (vhost-<pid>) signals the
//             VM directly, as for a real guest. Frames the stack sends to TAP land in 64 receive
//             buffers; -x posts TXFRAMES frames on the transmit queue; -n waits until RXFRAMES
//             receive buffers were used (at most -s SECONDS, default 20).
// With -w it prints "ready pid P vhost_tid T" (T: vhost's worker, 0 without -t) and waits for
// SIGUSR1 (at most 300 s) before writing or transmitting anything, so a tracer can be started
// for this pid first.
// Writes are 20 ms apart, so each is one injection. The VM is closed before the eventfds (the
// irqfds go first: no EPOLLHUP wake-up). Prints "gsi G writes W" per -e/-b, then
// "rx_used R tx_used X", "guest_irqs I" (MSIs the guest handled) and "done".
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/kvm.h>
#include <linux/vhost.h>
#include <linux/virtio_ring.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MAX_IRQFDS 8
#define GSI_VHOST_RX 40
#define GSI_VHOST_TX 41
#define VEC_UNICAST 0x31
#define VEC_BROADCAST 0x32
#define GUEST_MEM (2u << 20)
#define GUEST_CODE 0x1000
#define GUEST_COUNTER 0x500
#define PORT_READY 0x3f0

/* The guest (real mode, CS=0, loaded at GUEST_CODE): x2APIC software enable (SVR = 0x1ff), tell
 * the host it is ready, then `sti; hlt` forever. The MSI handler counts at GUEST_COUNTER and EOIs
 * through the x2APIC EOI MSR; other vectors just return. */
extern const unsigned char tk_guest[], tk_guest_end[], tk_guest_msi[], tk_guest_iret[];
__asm__(".pushsection .rodata\n"
        ".globl tk_guest, tk_guest_end, tk_guest_msi, tk_guest_iret\n"
        ".code16\n"
        "tk_guest:\n"
        "  cli\n"
        "  movl $0x80f, %ecx\n  movl $0x1ff, %eax\n  xorl %edx, %edx\n  wrmsr\n"
        "  movw $0x3f0, %dx\n  outb %al, %dx\n"
        "  sti\n"
        "1: hlt\n  jmp 1b\n"
        "tk_guest_msi:\n"
        "  pushl %eax\n  pushl %ecx\n  pushl %edx\n"
        "  incl 0x500\n"
        "  movl $0x80b, %ecx\n  xorl %eax, %eax\n  xorl %edx, %edx\n  wrmsr\n"
        "  popl %edx\n  popl %ecx\n  popl %eax\n"
        "tk_guest_iret:\n"
        "  iret\n"
        "tk_guest_end:\n"
        ".code64\n"
        ".popsection\n");

struct irqfd {
    unsigned gsi, writes, vector, dest;
    int fd;
};

static int vm_fd, vcpu_fd;
static struct kvm_run *run;
static uint8_t *guest;
static volatile sig_atomic_t go, guest_ready, stopping;

static void fail(const char *what) {
    fprintf(stderr, "tk-kvm-vm: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void on_usr1(int sig) {
    (void)sig;
    go = 1;
}

static long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms) {
    struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000};
    nanosleep(&t, NULL);
}

static void *vcpu_loop(void *arg) {
    (void)arg;
    while (!stopping) {
        if (ioctl(vcpu_fd, KVM_RUN, 0) < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            fail("KVM_RUN");
        }
        if (run->exit_reason == KVM_EXIT_IO && run->io.port == PORT_READY)
            guest_ready = 1;
        else if (run->exit_reason != KVM_EXIT_IO && run->exit_reason != KVM_EXIT_INTR) {
            fprintf(stderr, "tk-kvm-vm: unexpected vCPU exit %u\n", run->exit_reason);
            exit(1);
        }
    }
    return NULL;
}

/* Real-mode interrupt vector table at GPA 0: every vector returns at once, except the two MSIs. */
static void load_guest(void) {
    memcpy(guest + GUEST_CODE, tk_guest, tk_guest_end - tk_guest);
    for (int v = 0; v < 256; v++) {
        int msi = v == VEC_UNICAST || v == VEC_BROADCAST;
        uint16_t off = GUEST_CODE + ((msi ? tk_guest_msi : tk_guest_iret) - tk_guest);
        memcpy(guest + v * 4, &off, 2);
        memset(guest + v * 4 + 2, 0, 2);
    }
}

static void start_vcpu(int kvm, pthread_t *thread) {
    vcpu_fd = ioctl(vm_fd, KVM_CREATE_VCPU, 0);
    if (vcpu_fd < 0)
        fail("KVM_CREATE_VCPU");
    int size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu_fd, 0);
    if (run == MAP_FAILED)
        fail("mmap kvm_run");
    struct {
        struct kvm_cpuid2 c;
        struct kvm_cpuid_entry2 e[256];
    } cpuid = {.c.nent = 256};
    if (ioctl(kvm, KVM_GET_SUPPORTED_CPUID, &cpuid) || ioctl(vcpu_fd, KVM_SET_CPUID2, &cpuid))
        fail("CPUID");
    /* APIC base: enabled, x2APIC mode, bootstrap processor. */
    struct {
        struct kvm_msrs m;
        struct kvm_msr_entry e;
    } msrs = {.m.nmsrs = 1,
              .e = {.index = 0x1b, .data = 0xfee00000ull | 1 << 11 | 1 << 10 | 1 << 8}};
    if (ioctl(vcpu_fd, KVM_SET_MSRS, &msrs) != 1)
        fail("KVM_SET_MSRS (APIC base)");
    struct kvm_sregs sregs;
    if (ioctl(vcpu_fd, KVM_GET_SREGS, &sregs))
        fail("KVM_GET_SREGS");
    struct kvm_segment *segs[] = {&sregs.cs, &sregs.ds, &sregs.es, &sregs.ss, &sregs.fs, &sregs.gs};
    for (int i = 0; i < 6; i++)
        segs[i]->base = segs[i]->selector = 0;
    struct kvm_regs regs = {.rip = GUEST_CODE, .rsp = 0x7000, .rflags = 2};
    if (ioctl(vcpu_fd, KVM_SET_SREGS, &sregs) || ioctl(vcpu_fd, KVM_SET_REGS, &regs))
        fail("vCPU registers");
    if (pthread_create(thread, NULL, vcpu_loop, NULL))
        fail("vCPU thread");
    for (long deadline = now_ms() + 30000; !guest_ready; sleep_ms(5))
        if (now_ms() > deadline) {
            fprintf(stderr, "tk-kvm-vm: the guest did not start within 30 s\n");
            exit(1);
        }
}

static void set_routes(struct irqfd *fds, int n) {
    struct {
        struct kvm_irq_routing r;
        struct kvm_irq_routing_entry e[MAX_IRQFDS];
    } rt = {.r.nr = n};
    for (int i = 0; i < n; i++) {
        rt.e[i].gsi = fds[i].gsi;
        rt.e[i].type = KVM_IRQ_ROUTING_MSI;
        rt.e[i].u.msi.address_lo = 0xfee00000u | fds[i].dest << 12;
        rt.e[i].u.msi.data = fds[i].vector; /* fixed delivery, edge */
    }
    if (ioctl(vm_fd, KVM_SET_GSI_ROUTING, &rt))
        fail("KVM_SET_GSI_ROUTING");
    for (int i = 0; i < n; i++) {
        fds[i].fd = eventfd(0, EFD_CLOEXEC);
        struct kvm_irqfd irqfd = {.fd = (uint32_t)fds[i].fd, .gsi = fds[i].gsi};
        if (fds[i].fd < 0 || ioctl(vm_fd, KVM_IRQFD, &irqfd))
            fail("KVM_IRQFD");
    }
}

/* vhost-net with an identity memory table over this process's buffers (as tk-vhost-net). */
#define QSIZE 64
#define BUFSZ 2048
#define VNET_HDR 10
struct vq {
    struct vring_desc *desc;
    struct vring_avail *avail;
    struct vring_used *used;
    int kick;
};
static struct vq rxq, txq;
static int vhost_fd;

static void vhost_queue(unsigned idx, struct vq *q, char *slot, int call) {
    q->desc = (struct vring_desc *)slot;
    q->avail = (struct vring_avail *)(slot + sizeof(struct vring_desc) * QSIZE);
    q->used = (struct vring_used *)(slot + 8192);
    q->kick = eventfd(0, EFD_NONBLOCK);
    struct vhost_vring_state num = {.index = idx, .num = QSIZE}, base = {.index = idx};
    struct vhost_vring_addr addr = {.index = idx,
                                    .desc_user_addr = (uintptr_t)q->desc,
                                    .avail_user_addr = (uintptr_t)q->avail,
                                    .used_user_addr = (uintptr_t)q->used};
    struct vhost_vring_file kick = {.index = idx, .fd = q->kick},
                            callf = {.index = idx, .fd = call};
    if (ioctl(vhost_fd, VHOST_SET_VRING_NUM, &num) ||
        ioctl(vhost_fd, VHOST_SET_VRING_BASE, &base) ||
        ioctl(vhost_fd, VHOST_SET_VRING_ADDR, &addr) ||
        ioctl(vhost_fd, VHOST_SET_VRING_KICK, &kick) ||
        ioctl(vhost_fd, VHOST_SET_VRING_CALL, &callf))
        fail("vhost vring setup");
}

static char *vhost_setup(const char *tapname, int rx_call, int tx_call) {
    int tap = open("/dev/net/tun", O_RDWR);
    struct ifreq ifr = {.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR};
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", tapname);
    if (tap < 0 || ioctl(tap, TUNSETIFF, &ifr))
        fail("tap");
    vhost_fd = open("/dev/vhost-net", O_RDWR);
    uint64_t features = 0;
    if (vhost_fd < 0 || ioctl(vhost_fd, VHOST_SET_OWNER) ||
        ioctl(vhost_fd, VHOST_SET_FEATURES, &features))
        fail("vhost-net");
    const size_t size = 4u << 20;
    char *mem =
        mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    struct vhost_memory *table = calloc(1, sizeof *table + sizeof(struct vhost_memory_region));
    if (mem == MAP_FAILED || !table)
        fail("vhost memory");
    table->nregions = 1;
    table->regions[0] = (struct vhost_memory_region){
        .guest_phys_addr = (uintptr_t)mem, .memory_size = size, .userspace_addr = (uintptr_t)mem};
    if (ioctl(vhost_fd, VHOST_SET_MEM_TABLE, table))
        fail("VHOST_SET_MEM_TABLE");
    vhost_queue(0, &rxq, mem, rx_call);
    vhost_queue(1, &txq, mem + 65536, tx_call);
    char *rxbufs = mem + (1u << 20);
    for (int i = 0; i < QSIZE; i++) {
        rxq.desc[i] = (struct vring_desc){
            .addr = (uintptr_t)(rxbufs + i * BUFSZ), .len = BUFSZ, .flags = VRING_DESC_F_WRITE};
        rxq.avail->ring[i] = i;
    }
    __sync_synchronize();
    rxq.avail->idx = QSIZE;
    for (unsigned i = 0; i < 2; i++) {
        struct vhost_vring_file backend = {.index = i, .fd = tap};
        if (ioctl(vhost_fd, VHOST_NET_SET_BACKEND, &backend))
            fail("VHOST_NET_SET_BACKEND");
    }
    uint64_t one = 1;
    if (write(rxq.kick, &one, sizeof one) != sizeof one)
        fail("kick rx");
    return mem + (2u << 20);
}

/* TX: a zero virtio_net_hdr and a 60-byte broadcast frame with a local experimental ethertype. */
static void vhost_transmit(char *bufs, long frames) {
    for (long i = 0; i < frames; i++) {
        char *f = bufs + i * BUFSZ;
        memset(f, 0, VNET_HDR + 60);
        memset(f + VNET_HDR, 0xff, 6);
        f[VNET_HDR + 6] = 0x02;
        f[VNET_HDR + 12] = (char)0x88;
        f[VNET_HDR + 13] = (char)0xb5;
        txq.desc[i] = (struct vring_desc){.addr = (uintptr_t)f, .len = VNET_HDR + 60};
        txq.avail->ring[i] = (uint16_t)i;
    }
    __sync_synchronize();
    txq.avail->idx = (uint16_t)frames;
    uint64_t one = 1;
    if (frames && write(txq.kick, &one, sizeof one) != sizeof one)
        fail("kick tx");
}

/* vhost's worker for this owner: a kthread before 6.4, a thread of this process since; both are
 * named vhost-<owner pid>. */
static long vhost_worker(void) {
    char want[32], path[64], comm[32];
    snprintf(want, sizeof want, "vhost-%d\n", (int)getpid());
    DIR *procs = opendir("/proc");
    struct dirent *p;
    while (procs && (p = readdir(procs))) {
        snprintf(path, sizeof path, "/proc/%.20s/task", p->d_name);
        DIR *tasks = opendir(path);
        struct dirent *t;
        while (tasks && (t = readdir(tasks))) {
            if (t->d_name[0] < '0' || t->d_name[0] > '9')
                continue; /* ".." would name the process itself */
            snprintf(path, sizeof path, "/proc/%.20s/task/%.20s/comm", p->d_name, t->d_name);
            FILE *f = fopen(path, "r");
            int match = f && fgets(comm, sizeof comm, f) && !strcmp(comm, want);
            if (f)
                fclose(f);
            if (match) {
                long tid = atol(t->d_name);
                closedir(tasks);
                closedir(procs);
                return tid;
            }
        }
        if (tasks)
            closedir(tasks);
    }
    if (procs)
        closedir(procs);
    return 0;
}

static int parse_irqfd(const char *arg, struct irqfd *fd, unsigned dest, unsigned vector) {
    char *end;
    fd->gsi = strtoul(arg, &end, 10);
    if (*end != ':' || fd->gsi >= GSI_VHOST_RX)
        return -1;
    fd->writes = strtoul(end + 1, &end, 10);
    fd->dest = dest;
    fd->vector = vector;
    return *end ? -1 : 0;
}

int main(int argc, char **argv) {
    struct irqfd fds[MAX_IRQFDS];
    int nfds = 0, wait_signal = 0, opt;
    const char *tap = NULL;
    long rxframes = 0, txframes = 0, seconds = 20;
    while ((opt = getopt(argc, argv, "we:b:t:n:x:s:")) != -1) {
        if ((opt == 'e' || opt == 'b') && nfds < MAX_IRQFDS - 2) {
            if (parse_irqfd(optarg, &fds[nfds++], opt == 'e' ? 0 : 0xff,
                            opt == 'e' ? VEC_UNICAST : VEC_BROADCAST))
                goto usage;
        } else if (opt == 'w')
            wait_signal = 1;
        else if (opt == 't')
            tap = optarg;
        else if (opt == 'n')
            rxframes = atol(optarg);
        else if (opt == 'x')
            txframes = atol(optarg);
        else if (opt == 's')
            seconds = atol(optarg);
        else
            goto usage;
    }
    if (optind != argc || txframes < 0 || txframes > QSIZE || rxframes < 0 || rxframes > QSIZE)
        goto usage;
    int first_vhost = nfds;
    if (tap) {
        fds[nfds++] = (struct irqfd){.gsi = GSI_VHOST_RX, .vector = VEC_UNICAST};
        fds[nfds++] = (struct irqfd){.gsi = GSI_VHOST_TX, .vector = VEC_UNICAST};
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct sigaction sa = {.sa_handler = on_usr1};
    sigaction(SIGUSR1, &sa, NULL);

    int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0)
        fail("open /dev/kvm (is kvm_amd or kvm_intel loaded?)");
    vm_fd = ioctl(kvm, KVM_CREATE_VM, 0);
    if (vm_fd < 0)
        fail("KVM_CREATE_VM");
    guest = mmap(NULL, GUEST_MEM, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (guest == MAP_FAILED)
        fail("mmap guest memory");
    load_guest();
    struct kvm_userspace_memory_region region = {.memory_size = GUEST_MEM,
                                                 .userspace_addr = (uintptr_t)guest};
    if (ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &region) || ioctl(vm_fd, KVM_CREATE_IRQCHIP, 0))
        fail("VM memory / irqchip");
    set_routes(fds, nfds);
    pthread_t vcpu;
    start_vcpu(kvm, &vcpu);
    char *txbufs = tap ? vhost_setup(tap, fds[first_vhost].fd, fds[first_vhost + 1].fd) : NULL;

    if (wait_signal) {
        printf("ready pid %d vhost_tid %ld\n", (int)getpid(), tap ? vhost_worker() : 0L);
        /* Polled, not pause(): the signal may land on the vCPU thread. */
        for (long deadline = now_ms() + 300000; !go; sleep_ms(10))
            if (now_ms() > deadline) {
                fprintf(stderr, "tk-kvm-vm: no SIGUSR1 within 300 s\n");
                return 1;
            }
    }
    if (tap)
        vhost_transmit(txbufs, txframes);
    for (int i = 0; i < first_vhost; i++)
        for (unsigned w = 0; w < fds[i].writes; w++) {
            uint64_t one = 1;
            if (write(fds[i].fd, &one, sizeof one) != sizeof one)
                fail("eventfd write");
            sleep_ms(20);
        }
    for (long deadline = now_ms() + seconds * 1000;
         tap && now_ms() < deadline && *(volatile uint16_t *)&rxq.used->idx < rxframes;)
        sleep_ms(20);
    sleep_ms(100); /* the last injections reach the guest */

    stopping = 1;
    run->immediate_exit = 1;
    pthread_kill(vcpu, SIGUSR1);
    pthread_join(vcpu, NULL);
    unsigned guest_irqs;
    memcpy(&guest_irqs, guest + GUEST_COUNTER, sizeof guest_irqs);
    close(vcpu_fd);
    if (tap)
        close(vhost_fd);
    close(vm_fd);
    close(kvm);
    for (int i = 0; i < nfds; i++)
        close(fds[i].fd);
    for (int i = 0; i < first_vhost; i++)
        printf("gsi %u writes %u\n", fds[i].gsi, fds[i].writes);
    if (tap)
        printf("rx_used %u tx_used %u\n", rxq.used->idx, txq.used->idx);
    printf("guest_irqs %u\ndone\n", guest_irqs);
    return 0;
usage:
    fprintf(stderr,
            "usage: tk-kvm-vm [-w] [-e GSI:N]... [-b GSI:N]... [-t TAP [-n RXFRAMES(0-%d)] "
            "[-x TXFRAMES(0-%d)]] [-s SECONDS]   (GSI < %d)\n",
            QSIZE, QSIZE, GSI_VHOST_RX);
    return 2;
}
