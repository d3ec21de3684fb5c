// tk-irqfd [-p MS] GSI N
// Drives KVM's irqfd path without a guest: creates a VM with an in-kernel irqchip (no vCPU, no
// memory), binds an eventfd to GSI with KVM_IRQFD, writes the eventfd N times and unbinds it. Each
// write wakes the eventfd's wait queue once with EPOLLIN, so kvm's irqfd_wakeup runs exactly N
// times for this irqfd; the pause (-p, 20 ms by default) lets each injection finish before the
// next write. The deassign is flushed before the eventfd is closed, so the close (EPOLLHUP) wakes
// nothing. Prints "pid P gsi G writes W" at the end (W = N unless a write failed).
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static void fail(const char *what) {
    perror(what);
    exit(1);
}

int main(int argc, char **argv) {
    long pause_ms = 20;
    int opt;
    while ((opt = getopt(argc, argv, "p:")) != -1) {
        if (opt == 'p')
            pause_ms = atol(optarg);
        else
            goto usage;
    }
    if (optind != argc - 2 || pause_ms < 0)
        goto usage;
    long gsi = atol(argv[optind]), n = atol(argv[optind + 1]);
    if (gsi < 0 || n < 0)
        goto usage;

    int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0)
        fail("open /dev/kvm (is kvm_amd or kvm_intel loaded?)");
    if (ioctl(kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
        fail("KVM_GET_API_VERSION");
    int vm = ioctl(kvm, KVM_CREATE_VM, 0);
    if (vm < 0)
        fail("KVM_CREATE_VM");
    /* KVM_IRQFD needs an in-kernel irqchip; it also installs the default GSI routing (0-23). */
    if (ioctl(vm, KVM_CREATE_IRQCHIP, 0))
        fail("KVM_CREATE_IRQCHIP");

    int efd = eventfd(0, EFD_CLOEXEC);
    if (efd < 0)
        fail("eventfd");
    struct kvm_irqfd irqfd = {.fd = (uint32_t)efd, .gsi = (uint32_t)gsi};
    if (ioctl(vm, KVM_IRQFD, &irqfd))
        fail("KVM_IRQFD assign");

    struct timespec pause = {.tv_sec = pause_ms / 1000, .tv_nsec = (pause_ms % 1000) * 1000000};
    long writes = 0;
    for (long i = 0; i < n; i++) {
        uint64_t one = 1;
        if (write(efd, &one, sizeof one) == sizeof one)
            writes++;
        nanosleep(&pause, NULL);
    }

    irqfd.flags = KVM_IRQFD_FLAG_DEASSIGN;
    if (ioctl(vm, KVM_IRQFD, &irqfd))
        fail("KVM_IRQFD deassign");
    close(efd);
    close(vm);
    close(kvm);
    printf("pid %d gsi %ld writes %ld\n", (int)getpid(), gsi, writes);
    return writes == n ? 0 : 1;
usage:
    fprintf(stderr, "usage: tk-irqfd [-p PAUSE_MS] GSI N\n");
    return 2;
}
